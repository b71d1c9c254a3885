// The service configuration: one zod schema, read from a YAML file plus OFFBOARD_* environment overrides, with
// secrets given inline or as `*_file` paths. Nothing else in the service reads process.env: callers pass `env` in.
import {readFileSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {LineCounter, parseDocument, parse as parseYaml} from 'yaml';
import {z} from 'zod';
import {ConfigError} from './engine/errors.js';
import type {AnyProvider} from './engine/types.js';

/** Defaults in one place, shared with `offboard configure` (config_template.ts). */
export const CONFIG_DEFAULTS = {
  requestTimeoutMs: 15_000,
  // Loopback by default: exposing the service is a deliberate choice (the Mattermost server must reach it).
  listenHost: '127.0.0.1',
  listenPort: 8080,
  sqlitePath: './offboard.sqlite',
  leaseMs: 30_000,
  pollMs: 500,
  logLevel: 'info',
} as const;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export const ENV_PREFIX = 'OFFBOARD_';
const CONFIG_PATH_ENV = 'OFFBOARD_CONFIG';
const REDACTED = '[redacted]';

const httpUrl = z
  .url({protocol: /^https?$/, error: 'must be an http(s) URL'})
  .transform((u) => u.replace(/\/+$/, ''));
const name = z.string().trim().min(1, 'must not be empty');
const username = name.transform((u) => u.replace(/^@/, ''));
const millis = z.number().int('must be a whole number of milliseconds').positive('must be positive');

function buildMattermostSchema() {
  return z
    .strictObject({
      url: httpUrl,
      bot_token: z.string().min(1, 'must not be empty'),
      command_teams: z.array(name).min(1, 'list at least one team'),
      run_team: name.optional(),
      reviewers: z.array(username).default([]),
      request_timeout_ms: millis.default(CONFIG_DEFAULTS.requestTimeoutMs),
    })
    .transform((m) => ({...m, run_team: m.run_team ?? m.command_teams[0] ?? ''}));
}

function buildProvidersSchema(providers: readonly AnyProvider[]) {
  const shape: Record<string, z.ZodOptional<z.ZodType>> = {};
  for (const p of providers) {
    if (shape[p.id]) throw new ConfigError(`provider id "${p.id}" is registered twice`);
    shape[p.id] = p.configSchema.optional();
  }
  return z.strictObject(shape).prefault({});
}

/** The root schema of the resolved configuration (secrets inline; `*_file` keys are resolved before validation). */
export function buildConfigSchema(providers: readonly AnyProvider[]) {
  return z.strictObject({
    mattermost: buildMattermostSchema(),
    service: z.strictObject({
      listen_host: name.default(CONFIG_DEFAULTS.listenHost),
      listen_port: z.number().int().min(0).max(65_535).default(CONFIG_DEFAULTS.listenPort),
      public_url: httpUrl,
      action_secret: z.string().min(32, 'must be at least 32 characters'),
    }),
    access: z
      .strictObject({
        allowed_users: z.array(username).default([]),
        allowed_groups: z.array(name).default([]),
        require_approval: z.boolean().default(false),
      })
      .prefault({}),
    database: z
      .strictObject({
        sqlite_path: name.default(CONFIG_DEFAULTS.sqlitePath),
        url: z
          .string()
          .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL')
          .optional(),
      })
      .prefault({}),
    engine: z
      .strictObject({
        lease_ms: millis.default(CONFIG_DEFAULTS.leaseMs),
        poll_ms: millis.default(CONFIG_DEFAULTS.pollMs),
        replica_id: name.optional(),
      })
      .refine((e) => e.poll_ms < e.lease_ms, {
        message: 'must be shorter than lease_ms',
        path: ['poll_ms'],
        // Compare only valid numbers: a bad lease_ms is reported once, on its own.
        when: (payload) => payload.issues.length === 0,
      })
      .prefault({}),
    log: z.strictObject({level: z.enum(LOG_LEVELS).default(CONFIG_DEFAULTS.logLevel)}).prefault({}),
    providers: buildProvidersSchema(providers),
  });
}

/** The parsed, secrets-resolved configuration. `providers[id]` holds each configured provider's own parsed section. */
export type OffboardConfig = z.output<ReturnType<typeof buildConfigSchema>>;

export interface LoadConfigOptions {
  /** YAML file; when absent, the configuration comes from `env` and defaults alone. */
  readonly path?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly providers: readonly AnyProvider[];
  /** Reads the config file and secret files (tests inject it); defaults to fs.readFileSync as UTF-8. */
  readonly readFile?: (p: string) => string;
}

/** The config file path named by OFFBOARD_CONFIG, if any (the CLI's default for --config). */
export function configPathFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const p = env[CONFIG_PATH_ENV]?.trim();
  return p ? p : undefined;
}

type Data = Record<string, unknown>;
const isObject = (v: unknown): v is Data => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Loads, merges and validates the configuration. Throws one ConfigError listing every problem as
 * `path.to.key: reason` lines; messages name keys and file paths, never secret values.
 */
export function loadConfig(opts: LoadConfigOptions): OffboardConfig {
  const readFile = opts.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const file = opts.path === undefined ? undefined : resolve(opts.path);
  const where = file ?? 'environment (no config file)';
  const problems: string[] = [];
  const schema = buildConfigSchema(opts.providers);

  let data: Data = {};
  if (file !== undefined) {
    let text: string;
    try {
      text = readFile(file);
    } catch (e) {
      throw new ConfigError(`cannot read config file ${file} (${fsReason(e)})`, {details: {file}});
    }
    data = parseConfigText(text, problems);
  }
  applyEnv(data, opts.env, schema, problems);
  dropNulls(data);
  const failedSecrets = new Set<string>();
  resolveSecretFiles(data, schema, file === undefined ? process.cwd() : dirname(file), readFile, [], {
    problems,
    failedSecrets,
  });

  const parsed = schema.safeParse(data, {
    error: (iss) => (iss.code === 'invalid_type' && iss.input === undefined ? 'required' : undefined),
  });
  if (!parsed.success) problems.push(...formatIssues(parsed.error.issues, opts.providers, failedSecrets));
  if (problems.length > 0 || !parsed.success) {
    throw new ConfigError(`invalid configuration in ${where}:\n${problems.map((p) => `  ${p}`).join('\n')}`, {
      details: {file: where, problems},
    });
  }
  return parsed.data;
}

function parseConfigText(text: string, problems: string[]): Data {
  const lineCounter = new LineCounter();
  // prettyErrors would quote the offending source line, which may hold a secret; report line and column only.
  const doc = parseDocument(text, {prettyErrors: false, lineCounter, uniqueKeys: true});
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = lineCounter.linePos(e.pos[0]);
      problems.push(`line ${pos.line}, column ${pos.col}: ${e.message}`);
    }
    return {};
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (!isObject(value)) {
    problems.push('(root): must be a mapping of sections (mattermost:, service:, ...)');
    return {};
  }
  return value;
}

function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  providers: readonly AnyProvider[],
  failedSecrets: ReadonlySet<string>,
): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const at = issue.path.map(String);
    const key = at.at(-1) ?? '';
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) lines.push(`${[...at, k].join('.')}: ${unknownKeyReason(at, providers)}`);
    } else if (!failedSecrets.has(at.join('.'))) {
      // Issues never carry the input value (zod's reportInput is off), so no secret reaches the message.
      const hint = SECRET_KEY.test(key) && issue.message === 'required' ? ` (set ${key} or ${key}_file)` : '';
      lines.push(`${at.join('.') || '(root)'}: ${issue.message}${hint}`);
    }
  }
  return lines;
}

function unknownKeyReason(at: readonly string[], providers: readonly AnyProvider[]): string {
  if (at.length === 1 && at[0] === 'providers') {
    return `unknown provider (known: ${providers.map((p) => p.id).join(', ') || 'none'})`;
  }
  return 'unknown key';
}

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
function applyEnv(data: Data, env: LoadConfigOptions['env'], schema: z.core.$ZodType, problems: string[]): void {
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
function dropNulls(node: Data): void {
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
function resolveSecretFiles(
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
function fsReason(e: unknown): string {
  const code = isObject(e) && typeof e['code'] === 'string' ? e['code'] : undefined;
  return code ?? 'unreadable';
}

const SECRET_KEY = /(?:^|_)(?:token|secret|password|passphrase|key|authorization|credentials?)$/i;
const URL_PASSWORD = /^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^@/\s]*@/i;

/** A deep copy safe to print and log: secret-named keys become `[redacted]`, URL passwords are masked. */
export function redactConfig<T>(config: T): T {
  return redactValue(config, false) as T;
}

function redactValue(value: unknown, secret: boolean): unknown {
  if (secret && value !== undefined && value !== null) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactValue(v, false));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, SECRET_KEY.test(k))]));
  }
  if (typeof value === 'string') return value.replace(URL_PASSWORD, `$1:${REDACTED}@`);
  return value;
}
