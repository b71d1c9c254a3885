// `make dist`: validates plugin.json, generates webapp/src/manifest.ts, compiles the webapp (externals checked) and
// packs dist/<id>-<version>.tar.gz. Node only (no Go). Flags: --manifest-only, --no-pack, --dev.
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import {BUNDLE_LIMIT_BYTES, compileWebapp} from '../webapp/build/bundle.js';
import {ManifestError, writeManifestModule} from '../webapp/build/manifest.js';
import {packPlugin} from '../webapp/build/pack.js';

const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const out = (line: string) => process.stdout.write(`${line}\n`);

try {
  const manifest = writeManifestModule(rootDir);
  out(`manifest: ${manifest.id} ${manifest.version} (min_server_version ${manifest.min_server_version ?? 'none'}) -> webapp/src/manifest.ts`);
  if (!args.has('--manifest-only')) {
    const bundle = await compileWebapp(rootDir, args.has('--dev') ? 'development' : 'production');
    out(`webapp: ${relative(rootDir, bundle.path)} ${bundle.bytes} bytes (${bundle.gzipBytes} gzipped), `
      + `${bundle.modules.length} modules, host libraries external`);
    if (!args.has('--dev') && bundle.bytes > BUNDLE_LIMIT_BYTES) {
      throw new Error(`the bundle is ${bundle.bytes} bytes, over the ${BUNDLE_LIMIT_BYTES}-byte limit`);
    }
    if (!args.has('--no-pack')) {
      const packed = await packPlugin(rootDir, manifest);
      out(`bundle: ${relative(rootDir, packed.tarPath)} (${packed.entries.join(', ')})`);
    }
  }
} catch (e) {
  process.stderr.write(`build_plugin: ${e instanceof ManifestError || e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
