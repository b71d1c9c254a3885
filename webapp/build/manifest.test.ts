/** @jest-environment node */
import {describe, expect, it} from '@jest/globals';
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {ManifestError, readManifest, renderManifestModule, validateManifest} from './manifest.js';

const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const real = JSON.parse(readFileSync(join(rootDir, 'plugin.json'), 'utf8')) as Record<string, unknown>;

function problems(raw: unknown, dir?: string): readonly string[] {
  try {
    validateManifest(raw, dir);
    return [];
  } catch (e) {
    if (e instanceof ManifestError) return e.problems;
    throw e;
  }
}

describe('validateManifest', () => {
  it('accepts the project\'s plugin.json: webapp-only, strict semver, an SVG icon that exists', () => {
    const m = readManifest(rootDir);
    expect(m.id).toBe('offboarding');
    expect(m.webapp.bundle_path).toBe('webapp/dist/main.js');
    expect(m.min_server_version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    [{id: 'ab'}, /id must be 3-190/],
    [{id: 'off boarding'}, /id must be 3-190/],
    [{id: 'Offboarding'}, /id must be lower case/],
    [{name: '  '}, /name is required/],
    [{version: 'v1.0.0'}, /version must be a strict semantic version/],
    [{version: '1.0'}, /version must be a strict semantic version/],
    [{min_server_version: '9.11'}, /min_server_version must be a strict semantic version/],
    [{homepage_url: 'javascript:alert(1)'}, /homepage_url must be an http\(s\) URL/],
    [{icon_path: 'assets/icon.png'}, /icon_path must be a relative path to an SVG file/],
    [{icon_path: 'assets/missing.svg'}, /icon_path assets\/missing.svg does not exist/],
    [{webapp: {bundle_path: '../main.js'}}, /webapp.bundle_path must be a relative path/],
    [{webapp: undefined}, /webapp.bundle_path must be a relative path/],
    [{server: {executables: {'linux-amd64': 'server/dist/plugin'}}}, /webapp-only/],
    [{settings_schema: {settings: [{key: 'k', type: 'color'}]}}, /setting k: type must be one of/],
    [{settings_schema: {settings: [{key: 'k', type: 'text', options: []}]}}, /options are only allowed/],
    [{settigns_schema: {}}, /unknown key "settigns_schema"/],
  ])('refuses %j', (change, expected) => {
    const found = problems({...real, ...change}, rootDir);
    expect(found.some((p) => expected.test(p))).toBe(true);
  });

  it('lists every problem at once', () => {
    expect(problems({id: 'x', version: 'one'})).toHaveLength(4);
    expect(problems([])).toEqual(['the manifest must be a JSON object']);
  });

  it('reports unreadable JSON with the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'offb-manifest-'));
    writeFileSync(join(dir, 'plugin.json'), '{"id": ');
    expect(() => readManifest(dir)).toThrow(/cannot read .*plugin\.json/);
  });
});

describe('renderManifestModule', () => {
  it('writes a TypeScript module exporting the manifest', () => {
    const text = renderManifestModule(readManifest(rootDir));
    expect(text).toMatch(/^\/\/ Generated from plugin\.json/);
    expect(text).toContain('"id": "offboarding"');
    expect(text.trim().endsWith('export default manifest;')).toBe(true);
  });
});
