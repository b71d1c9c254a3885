// Where configuration values come from besides the YAML file: OFFBOARD_* environment overrides (typed by the schema's
// leaves) and `*_file` secrets read from disk. Used by config.ts only.
import {resolve} from 'node:path';
import {parse as parseYaml} from 'yaml';
import {z} from 'zod';

export const ENV_PREFIX = 'OFFBOARD_';
export const CONFIG_PATH_ENV = 'OFFBOARD_CONFIG';

export type Data = Record<string, unknown>;
export const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The object shape behind wrappers (optional, default, pipe ...), or undefined when the schema is not an object. */
export function objectShape(schema: z.core.$ZodType): Record<string, z.core.$ZodType> | undefined {
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.core.$ZodType>;
  if (
    schema instanceof z.ZodOptional ||
    schema instanceof z.ZodNullable ||
    schema instanceof z.ZodDefault ||
    schema instanceof z.ZodPrefault
  ) {
    return objectShape(schema.unwrap() as z.core.$ZodType);
  }
  if (schema instanceof z.ZodPipe) {
    return objectShape(schema.in as z.core.$ZodType) ?? objectShape(schema.out as z.core.$ZodType);
  }
  return undefined;
}

/** Whether a leaf takes text as is (strings, enums) or a YAML value (numbers, booleans, lists). */
type LeafKind = 'text' | 'list' | 'yaml' | 'unknown';

function leafKind(schema: z.core.$ZodType | undefined): LeafKind {
  if (schema === undefined) return 'unknown';
  const type = schema._zod.def.type;
  // String formats (z.url(), z.email()) are not ZodString instances but share the 'string' def type.
  if (type === 'string' || type === 'enum') return 'text';
  if (type === 'array') return 'list';
  if (type === 'number' || type === 'boolean') return 'yaml';
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) {
    return leafKind(schema.unwrap() as z.core.$ZodType);
  }
  if (schema instanceof z.ZodPipe) return leafKind(schema.in as z.core.$ZodType);
  return 'unknown';
}

/**
 * Applies DATABASE_URL and then OFFBOARD_<SECTION>__<KEY> (double underscore = nesting) over the file's values.
 * Setting `x` or `x_file` from the environment replaces either form of `x` given in the file.
 */
export function applyEnv(data: Data, env: Readonly<Record<string, string | undefined>>, schema: z.core.$ZodType, problems: string[]): void {
  const overrides: [string[], string][] = [];
  // DATABASE_URL is the common convention (DESIGN.md); the specific OFFBOARD_DATABASE__URL(_FILE) wins over it.
  const databaseUrl = env['DATABASE_URL'];
  const specific = env['OFFBOARD_DATABASE__URL'] !== undefined || env['OFFBOARD_DATABASE__URL_FILE'] !== undefined;
  if (databaseUrl !== undefined && !specific) overrides.push([['database', 'url'], databaseUrl]);
  const unknown: string[] = [];
  for (const varName of Object.keys(env).sort()) {
    const value = env[varName];
    if (!varName.startsWith(ENV_PREFIX) || varName === CONFIG_PATH_ENV || value === undefined) continue;
    const segments = varName.slice(ENV_PREFIX.length).toLowerCase().split('__');
    const leaf = segments.length >= 2 && segments.every((s) => s !== '') ? lookupLeaf(schema, segments) : null;
    if (leaf === null) unknown.push(varName);
    else overrides.push([segments, value]);
  }
  if (unknown.length > 0) {
    const expected = `expected ${ENV_PREFIX}<SECTION>__<KEY> naming a setting, e.g. OFFBOARD_MATTERMOST__URL`;
    problems.push(`environment: unknown variables ${unknown.join(', ')} (${expected})`);
  }
  const setFromEnv = new Set<string>();
  for (const [segments, raw] of overrides) {
    const kind = segments.at(-1)?.endsWith('_file') ? 'text' : leafKind(lookupLeaf(schema, segments) ?? undefined);
    let value: unknown = envValue(raw, kind);
    if (segments.at(-1)?.endsWith('_file') && typeof value === 'string' && value !== '') {
      // Relative paths from the environment are meant relative to where the process was started.
      value = resolve(value);
    }
    const parent = ensurePath(data, segments.slice(0, -1));
    const key = segments.at(-1) ?? '';
    const base = key.replace(/_file$/, '');
    const path = segments.slice(0, -1).concat(base).join('.');
    if (!setFromEnv.has(path)) {
      delete parent[base];
      delete parent[`${base}_file`];
    }
    setFromEnv.add(path);
    parent[key] = value;
  }
}

/**
 * Finds the schema at `segments`. Returns null when the path names no setting, and undefined when the path goes
 * below a schema that cannot be walked (then the schema itself will judge the value). `x_file` stands for `x`.
 */
function lookupLeaf(root: z.core.$ZodType, segments: readonly string[]): z.core.$ZodType | undefined | null {
  let current: z.core.$ZodType = root;
  for (const [i, seg] of segments.entries()) {
    const shape = objectShape(current);
    if (shape === undefined) return i === 0 ? null : undefined;
    const last = i === segments.length - 1;
    const next = shape[seg] ?? (last && seg.endsWith('_file') ? shape[seg.slice(0, -5)] : undefined);
    if (next === undefined) return null;
    current = next;
  }
  return current;
}

function envValue(raw: string, kind: LeafKind): unknown {
  if (raw.trim() === '') return null;
  if (kind === 'text') return raw;
  if (kind === 'list' && !raw.trim().startsWith('[')) {
    // `a,b` and a single `a` are lists too; `[a, b]` is parsed as YAML below.
    return raw.split(',').map((v) => v.trim()).filter((v) => v !== '');
  }
  try {
    const parsed: unknown = parseYaml(raw);
    // Strings keep the raw text (a '#' or ': ' in a password must not turn into a comment or a map) unless quoted.
    if (typeof parsed === 'string') return /^\s*["']/.test(raw) ? parsed : raw;
    if (isObject(parsed) && kind === 'unknown') return raw;
    return parsed;
  } catch {
    return raw;
  }
}

function ensurePath(data: Data, segments: readonly string[]): Data {
  let node = data;
  for (const seg of segments) {
    const next = node[seg];
    if (!isObject(next)) node[seg] = {};
    node = node[seg] as Data;
  }
  return node;
}

/** An empty YAML value (`key:`) or empty env value means "not set": the default applies. */
export function dropNulls(node: Data): void {
  for (const [key, value] of Object.entries(node)) {
    if (value === null) delete node[key];
    else if (isObject(value)) dropNulls(value);
  }
}

/**
 * Replaces every `x_file: path` by `x: <file content without trailing whitespace>`, unless the schema of that
 * object declares `x_file` itself (a provider that wants a path, not a secret). Relative paths are resolved
 * against `baseDir` (the config file's directory).
 */
export function resolveSecretFiles(
  node: Data,
  schema: z.core.$ZodType | undefined,
  baseDir: string,
  readFile: (p: string) => string,
  at: readonly string[],
  out: {problems: string[]; failedSecrets: Set<string>},
): void {
  const shape = schema === undefined ? undefined : objectShape(schema);
  for (const key of Object.keys(node)) {
    const value = node[key];
    const base = key.slice(0, -5);
    // With a known shape, only `x_file` for a declared `x` is a secret file; anything else is left to the schema.
    if (key.endsWith('_file') && base !== '' && (shape === undefined || (base in shape && !(key in shape)))) {
      const label = [...at, key].join('.');
      delete node[key];
      if (base in node) {
        out.problems.push(`${label}: give either ${base} or ${key}, not both`);
      } else if (typeof value !== 'string' || value.trim() === '') {
        out.problems.push(`${label}: must be a file path`);
      } else {
        const file = resolve(baseDir, value);
        const content = readSecret(file, readFile);
        if (content.ok) node[base] = content.value;
        else {
          out.problems.push(`${label}: cannot read ${file} (${content.reason})`);
          out.failedSecrets.add([...at, base].join('.'));
        }
      }
    } else if (isObject(value)) {
      resolveSecretFiles(value, shape?.[key], baseDir, readFile, [...at, key], out);
    }
  }
}

type SecretRead = {ok: true; value: string} | {ok: false; reason: string};

function readSecret(file: string, readFile: (p: string) => string): SecretRead {
  try {
    const value = readFile(file).replace(/\s+$/, '');
    return value === '' ? {ok: false, reason: 'file is empty'} : {ok: true, value};
  } catch (e) {
    return {ok: false, reason: fsReason(e)};
  }
}

/** The errno code of a failed read (ENOENT, EACCES, ...); never the error text, which a custom reader might fill. */
export function fsReason(e: unknown): string {
  const code = isObject(e) && typeof e['code'] === 'string' ? e['code'] : undefined;
  return code ?? 'unreadable';
}

