/** @jest-environment node */
import {afterAll, describe, expect, it} from '@jest/globals';
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {list} from 'tar';

import {readManifest} from './manifest.js';
import {packPlugin} from './pack.js';

const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'offb-pack-'));

afterAll(() => rmSync(work, {recursive: true, force: true}));

/** A copy of the project's plugin.json and assets with a stand-in bundle. */
function project(): string {
  const dir = mkdtempSync(join(work, 'p-'));
  cpSync(join(rootDir, 'plugin.json'), join(dir, 'plugin.json'));
  cpSync(join(rootDir, 'assets'), join(dir, 'assets'), {recursive: true});
  mkdirSync(join(dir, 'webapp', 'dist'), {recursive: true});
  writeFileSync(join(dir, 'webapp', 'dist', 'main.js'), 'window.registerPlugin("offboarding", {initialize() {}});');
  return dir;
}

async function entries(tarPath: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  await list({file: tarPath, onReadEntry: (e) => {
    const chunks: Buffer[] = [];
    e.on('data', (c: Buffer) => chunks.push(c));
    e.on('end', () => files.set(e.path, Buffer.concat(chunks).toString('utf8')));
  }});
  return files;
}

describe('packPlugin', () => {
  it('packs one top-level <id>/ folder with plugin.json, assets and the bundle at bundle_path', async () => {
    const dir = project();
    const manifest = readManifest(dir);
    const {tarPath} = await packPlugin(dir, manifest);
    expect(tarPath).toBe(join(dir, 'dist', `offboarding-${manifest.version}.tar.gz`));
    const files = await entries(tarPath);
    expect([...files.keys()].filter((p) => !p.endsWith('/')).sort()).toEqual([
      'offboarding/assets/bot.svg', 'offboarding/assets/icon.svg', 'offboarding/plugin.json', 'offboarding/webapp/dist/main.js',
    ]);
    expect(JSON.parse(files.get('offboarding/plugin.json') ?? '{}')).toEqual(manifest);
    expect(files.get('offboarding/webapp/dist/main.js')).toContain('registerPlugin');
  });

  it('is reproducible: the same inputs give the same bytes', async () => {
    const dir = project();
    const manifest = readManifest(dir);
    const first = readFileSync((await packPlugin(dir, manifest)).tarPath);
    const second = readFileSync((await packPlugin(dir, manifest)).tarPath);
    expect(second.equals(first)).toBe(true);
  });

  it('refuses to pack without a compiled bundle', async () => {
    const dir = project();
    rmSync(join(dir, 'webapp', 'dist'), {recursive: true});
    await expect(packPlugin(dir, readManifest(dir))).rejects.toThrow(/webapp\/dist\/main\.js is missing/);
    expect(() => readFileSync(join(dirname(join(dir, 'dist', 'x')), 'offboarding-0.1.0.tar.gz'))).toThrow();
  });
});
