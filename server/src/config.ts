// The service configuration: one zod schema, read from a YAML file plus OFFBOARD_* environment overrides, with
// secrets given inline or as `*_file` paths. Nothing else in the service reads process.env: callers pass `env` in.
import {readFileSync} from 'node:fs';
import {dirname, resolve} from 'node:path';
import {LineCounter, parseDocument} from 'yaml';
import {z} from 'zod';
import {ConfigError} from './engine/errors.js';
import type {AnyProvider} from './engine/types.js';
import {
  applyEnv, CONFIG_PATH_ENV, type Data, dropNulls, ENV_PREFIX, fsReason, isObject, objectShape, resolveSecretFiles,
} from './config_sources.js';

export {ENV_PREFIX, objectShape};

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


/**
 * Loads, merges and validates the configuration. Throws one ConfigError listing every problem as
 * `path.to.key: reason` lines; messages name keys and file paths, never secret values.
 */
/**
 * `enabled:` is the one key every provider section accepts: `false` switches the provider off with its settings kept
 * (the section is dropped before validation, so nothing in it is checked); `true` is the default and is removed.
 */
function applyEnabledFlags(data: Data, problems: string[]): void {
  const providers = data['providers'];
  if (!isObject(providers)) return;
  for (const [id, section] of Object.entries(providers)) {
    if (!isObject(section) || !('enabled' in section)) continue;
    const enabled = section['enabled'];
    if (typeof enabled !== 'boolean') problems.push(`providers.${id}.enabled: must be true or false`);
    else if (!enabled) delete providers[id];
    else delete section['enabled'];
  }
}

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
  applyEnabledFlags(data, problems);
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
