/** @jest-environment node */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {runInNewContext} from 'node:vm';

import {BUNDLE_LIMIT_BYTES, bundledHostPackages, compileWebapp, HOST_EXTERNALS, type BundleResult} from './bundle.js';

const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
let out: string;
let bundle: BundleResult;
let code: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'offb-bundle-'));
  bundle = await compileWebapp(rootDir, 'production', out);
  code = readFileSync(bundle.path, 'utf8');
}, 120_000);

afterAll(() => rmSync(out, {recursive: true, force: true}));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test_support' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('the production bundle', () => {
  it('stays within 200 KB minified', () => {
    expect(bundle.bytes).toBeGreaterThan(10_000);
    expect(bundle.bytes).toBeLessThanOrEqual(BUNDLE_LIMIT_BYTES);
  });

  it('takes React, ReactDOM, Redux, ReactRedux and PropTypes from the host', () => {
    expect(bundledHostPackages(bundle.modules)).toEqual([]);
    expect(bundle.modules.some((m) => m.includes('/webapp/src/index.tsx'))).toBe(true);
    expect(code).toContain('window.React');
    expect(code).toContain('window.ReactRedux');
    // Markers only present in React's / ReactDOM's / Redux's own code.
    expect(code).not.toMatch(/__SECRET_INTERNALS_DO_NOT_USE_OR_YOU_WILL_BE_FIRED|react\.element|@@redux\/INIT/);
    expect(Object.values(HOST_EXTERNALS).sort()).toEqual(['PropTypes', 'React', 'ReactDOM', 'ReactRedux', 'Redux']);
  });

  it('runs with nothing but the host\'s globals and registers itself under the manifest id', () => {
    const registered: [string, unknown][] = [];
    const window = {
      React: require(join(rootDir, 'webapp', 'node_modules', 'react')), ReactDOM: {}, Redux: require('redux'),
      ReactRedux: require('react-redux'), PropTypes: require('prop-types'),
      registerPlugin: (id: string, plugin: unknown) => registered.push([id, plugin]),
    };
    runInNewContext(code, {window});
    expect(registered.map(([id]) => id)).toEqual(['offboarding']);
    expect(typeof (registered[0]?.[1] as {initialize?: unknown}).initialize).toBe('function');
  });
});

describe('bundledHostPackages', () => {
  it('names the host libraries a module list would smuggle in', () => {
    expect(bundledHostPackages(['/x/node_modules/react-dom/index.js', '/x/node_modules/zod/mini.js', '/x/node_modules/react/cjs/react.js']))
      .toEqual(['react', 'react-dom']);
  });
});

describe('the sources', () => {
  it('use no React 18-only API (Mattermost 9.x and 10.x hosts provide React 17)', () => {
    const offenders = sources(join(rootDir, 'webapp', 'src')).filter((f) =>
      /\b(useId|useSyncExternalStore|useTransition|useDeferredValue|useInsertionEffect|startTransition|createRoot)\b|react-dom\/client|react\/jsx-runtime/
        .test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
