// plugin.json: validation with the rules of Mattermost's model.Manifest.IsValid (server/public/model/manifest.go)
// and generation of webapp/src/manifest.ts, so the plugin id lives in one place (the starter's `manifest apply`).
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export interface PluginManifest {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly homepage_url?: string;
  readonly support_url?: string;
  readonly release_notes_url?: string;
  readonly icon_path?: string;
  readonly version: string;
  readonly min_server_version?: string;
  readonly webapp: {readonly bundle_path: string};
  readonly settings_schema?: Record<string, unknown>;
  readonly props?: Record<string, unknown>;
}

export class ManifestError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`plugin.json is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ManifestError';
  }
}

// Masterminds semver StrictNewVersion: exactly MAJOR.MINOR.PATCH, optional -prerelease and +build, no "v" prefix.
const STRICT_SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const PLUGIN_ID = /^[a-zA-Z0-9-_.]+$/;
const KNOWN_KEYS = new Set([
  'id', 'name', 'description', 'homepage_url', 'support_url', 'release_notes_url', 'icon_path', 'version',
  'min_server_version', 'server', 'webapp', 'settings_schema', 'props',
]);
const SETTING_TYPES = new Set(['bool', 'dropdown', 'generated', 'radio', 'text', 'longtext', 'number', 'username', 'custom']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isHttpUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A path inside the bundle: relative, forward slashes, no `..` (it becomes a path under the plugin directory). */
function isBundleRelative(p: string): boolean {
  return p !== '' && !p.startsWith('/') && !p.includes('\\') && !p.split('/').includes('..');
}

function checkSettings(schema: unknown, problems: string[]): void {
  if (!isRecord(schema)) {
    problems.push('settings_schema must be an object');
    return;
  }
  const sections = Array.isArray(schema['sections']) ? schema['sections'] : [];
  const settings = [
    ...(Array.isArray(schema['settings']) ? schema['settings'] : []),
    ...sections.flatMap((s: unknown) => (isRecord(s) && Array.isArray(s['settings']) ? s['settings'] : [])),
  ];
  for (const [i, s] of sections.entries()) {
    if (!isRecord(s) || typeof s['key'] !== 'string' || s['key'] === '') problems.push(`settings_schema.sections[${i}].key is required`);
  }
  for (const s of settings) {
    const key = isRecord(s) && typeof s['key'] === 'string' ? s['key'] : '(no key)';
    if (!isRecord(s) || typeof s['type'] !== 'string' || !SETTING_TYPES.has(s['type'])) {
      problems.push(`setting ${key}: type must be one of ${[...SETTING_TYPES].join(', ')}`);
    } else if (s['options'] !== undefined && s['type'] !== 'radio' && s['type'] !== 'dropdown') {
      problems.push(`setting ${key}: options are only allowed for radio and dropdown settings`);
    }
  }
}

/**
 * Checks a parsed plugin.json. `rootDir` (the folder holding plugin.json) enables the file checks (icon).
 * Returns the manifest typed, or throws ManifestError listing every problem at once.
 */
export function validateManifest(raw: unknown, rootDir?: string): PluginManifest {
  const problems: string[] = [];
  if (!isRecord(raw)) throw new ManifestError(['the manifest must be a JSON object']);
  for (const key of Object.keys(raw)) if (!KNOWN_KEYS.has(key)) problems.push(`unknown key "${key}"`);
  const str = (key: string): string | undefined => (typeof raw[key] === 'string' ? raw[key] : undefined);

  const id = str('id');
  if (id === undefined || id.length < 3 || id.length > 190 || !PLUGIN_ID.test(id)) {
    problems.push('id must be 3-190 characters of letters, digits, "-", "_" and "."');
  } else if (id !== id.toLowerCase()) {
    problems.push('id must be lower case (Mattermost lower-cases it on load, which would break the generated manifest)');
  }
  if (!str('name')?.trim()) problems.push('name is required');
  const version = str('version');
  if (version === undefined || !STRICT_SEMVER.test(version)) problems.push('version must be a strict semantic version like 1.2.3');
  const minServer = raw['min_server_version'];
  if (minServer !== undefined && (typeof minServer !== 'string' || !STRICT_SEMVER.test(minServer))) {
    problems.push('min_server_version must be a strict semantic version like 9.11.0');
  }
  for (const key of ['homepage_url', 'support_url', 'release_notes_url']) {
    const v = raw[key];
    if (v !== undefined && (typeof v !== 'string' || !isHttpUrl(v))) problems.push(`${key} must be an http(s) URL`);
  }
  for (const key of ['description', 'icon_path']) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') problems.push(`${key} must be a string`);
  }
  const icon = str('icon_path');
  if (icon !== undefined) {
    if (!icon.endsWith('.svg') || !isBundleRelative(icon)) problems.push('icon_path must be a relative path to an SVG file');
    else if (rootDir !== undefined && !existsSync(join(rootDir, icon))) problems.push(`icon_path ${icon} does not exist`);
  }
  if (raw['server'] !== undefined) problems.push('server: this plugin is webapp-only and the build has no server executables');
  const webapp = raw['webapp'];
  if (!isRecord(webapp) || typeof webapp['bundle_path'] !== 'string' || !isBundleRelative(webapp['bundle_path'])) {
    problems.push('webapp.bundle_path must be a relative path (the plugin is webapp-only)');
  }
  if (raw['settings_schema'] !== undefined) checkSettings(raw['settings_schema'], problems);
  if (raw['props'] !== undefined && !isRecord(raw['props'])) problems.push('props must be an object');
  if (problems.length > 0) throw new ManifestError(problems);
  return raw as unknown as PluginManifest;
}

/** Reads and validates `<rootDir>/plugin.json`. */
export function readManifest(rootDir: string): PluginManifest {
  const path = join(rootDir, 'plugin.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ManifestError([`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`]);
  }
  return validateManifest(raw, rootDir);
}

/** The TypeScript module the webapp imports (`import manifest from './manifest.js'`). */
export function renderManifestModule(manifest: PluginManifest): string {
  return [
    '// Generated from plugin.json by scripts/build_plugin.ts (webapp/build/manifest.ts); do not edit, not committed.',
    `const manifest = ${JSON.stringify(manifest, null, 4)} as const;`,
    '',
    'export default manifest;',
    '',
  ].join('\n');
}

/** Validates plugin.json and (re)writes webapp/src/manifest.ts when its content changed. */
export function writeManifestModule(rootDir: string): PluginManifest {
  const manifest = readManifest(rootDir);
  const target = join(rootDir, 'webapp', 'src', 'manifest.ts');
  const text = renderManifestModule(manifest);
  if (!existsSync(target) || readFileSync(target, 'utf8') !== text) writeFileSync(target, text);
  return manifest;
}
