// `npm run bench -- webapp_bundle`: builds the production webapp bundle (into a temporary folder, leaving
// webapp/dist alone) and reports its size against the 200 KB limit; fails when over it or when a host library
// (React, ReactDOM, Redux, ReactRedux, PropTypes) was bundled.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {BUNDLE_LIMIT_BYTES, compileWebapp} from '../../webapp/build/bundle.js';
import {writeManifestModule} from '../../webapp/build/manifest.js';

const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export default async function webappBundle() {
  writeManifestModule(rootDir);
  const out = mkdtempSync(join(tmpdir(), 'offb-bench-bundle-'));
  try {
    const started = Date.now();
    const bundle = await compileWebapp(rootDir, 'production', out);
    if (bundle.bytes > BUNDLE_LIMIT_BYTES) {
      throw new Error(`the webapp bundle is ${bundle.bytes} bytes, over the ${BUNDLE_LIMIT_BYTES}-byte limit`);
    }
    return {
      scenario: 'webapp_bundle', bytes: bundle.bytes, gzip_bytes: bundle.gzipBytes, limit_bytes: BUNDLE_LIMIT_BYTES,
      modules: bundle.modules.length, build_ms: Date.now() - started,
    };
  } finally {
    rmSync(out, {recursive: true, force: true});
  }
}
