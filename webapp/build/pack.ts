// Stages and packs the plugin bundle Mattermost's upload expects (plugin_install.go extractPlugin): one top-level
// folder named after the plugin id holding plugin.json, assets/ and the webapp bundle at webapp.bundle_path.
import {cpSync, existsSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {create} from 'tar';
import type {PluginManifest} from './manifest.js';

/** Fixed entry times make two builds of the same sources byte-identical. */
const EPOCH = new Date('2020-01-01T00:00:00Z');

export interface PackResult {
  /** dist/<id>-<version>.tar.gz */
  readonly tarPath: string;
  /** Paths inside the archive, as Mattermost sees them. */
  readonly entries: readonly string[];
}

/** Builds dist/<id>/ from plugin.json, assets/ and the compiled bundle, then dist/<id>-<version>.tar.gz. */
export async function packPlugin(rootDir: string, manifest: PluginManifest): Promise<PackResult> {
  const bundleSource = join(rootDir, manifest.webapp.bundle_path);
  if (!existsSync(bundleSource)) throw new Error(`${manifest.webapp.bundle_path} is missing: compile the webapp first`);
  const dist = join(rootDir, 'dist');
  const stage = join(dist, manifest.id);
  rmSync(stage, {recursive: true, force: true});
  mkdirSync(stage, {recursive: true});
  writeFileSync(join(stage, 'plugin.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const entries = [`${manifest.id}/plugin.json`];
  const assets = join(rootDir, 'assets');
  if (existsSync(assets)) {
    cpSync(assets, join(stage, 'assets'), {recursive: true});
    entries.push(`${manifest.id}/assets/`);
  }
  const bundleTarget = join(stage, manifest.webapp.bundle_path);
  mkdirSync(dirname(bundleTarget), {recursive: true});
  cpSync(bundleSource, bundleTarget);
  entries.push(`${manifest.id}/${manifest.webapp.bundle_path}`);

  const tarPath = join(dist, `${manifest.id}-${manifest.version}.tar.gz`);
  rmSync(tarPath, {force: true});
  await create({gzip: true, file: tarPath, cwd: dist, portable: true, mtime: EPOCH}, [manifest.id]);
  return {tarPath, entries};
}
