// Config loading end to end: file + env + secret files, every problem reported with its path, no secret in errors,
// and the `offboard configure` template that must stay in step with the schema.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parse as parseYaml} from 'yaml';
import {z} from 'zod';
import {
  buildConfigSchema,
  CONFIG_DEFAULTS,
  configPathFromEnv,
  loadConfig,
  objectShape,
  redactConfig,
} from './config.js';
import {renderConfigTemplate} from './config_template.js';
import {ConfigError} from './engine/errors.js';
import type {AnyProvider} from './engine/types.js';

const BOT_TOKEN = 'bot-token-9f8e7d6c5b4a';
const ACTION_SECRET = 'action-secret-0123456789abcdefghijklmnop';
const FAKE_TOKEN = 'fake-provider-token-77';

/** A tiny provider: only its id, schema and example matter to the config layer. */
const fakeProvider: AnyProvider = {
  id: 'fake',
  title: 'Fake directory',
  configSchema: z.strictObject({
    api_url: z.url(),
    token: z.string().min(1),
    page_size: z.number().int().positive().default(100),
    // Declared `_file` keys are paths the provider wants, not secrets to inline.
    ca_file: z.string().optional(),
  }),
  configExample: '  # fake:\n  #   api_url: https://fake.example.com\n  #   token_file: /etc/offboard/fake_token\n',
  limits: {
    concurrency: 1,
    requestsPerSecond: 1,
    burst: 1,
    retry: {maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 1},
  },
  planOptions: [],
  check: async () => ({ok: true, detail: 'ok'}),
  resolve: async () => [],
  discover: async () => [],
  plan: () => [],
  execute: async () => ({kind: 'skipped', evidence: {}, reason: 'fake'}),
  verify: async () => ({ok: true, evidence: {}}),
};

let dir: string;
let n = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'offboard-config-'));
});
afterAll(() => {
  rmSync(dir, {recursive: true, force: true});
});

/** Writes a config file (and optional extra files) into a fresh sub directory; returns the config path. */
function writeConfig(text: string, files: Record<string, string> = {}): string {
  const sub = join(dir, `case${++n}`);
  mkdirSync(sub, {recursive: true});
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(sub, name, '..'), {recursive: true});
    writeFileSync(join(sub, name), content);
  }
  const path = join(sub, 'offboard.yaml');
  writeFileSync(path, text);
  return path;
}

const MINIMAL = `
mattermost:
  url: https://chat.example.com
  bot_token: ${BOT_TOKEN}
  command_teams: [acme]
service:
  public_url: http://offboard.internal:8080
  action_secret: ${ACTION_SECRET}
`;

function load(path: string | undefined, env: Record<string, string | undefined> = {}, providers = [fakeProvider]) {
  return loadConfig(path === undefined ? {env, providers} : {path, env, providers});
}

/** The ConfigError thrown by fn, with its message lines. */
function configError(fn: () => unknown): {error: ConfigError; lines: string[]} {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const error = e as ConfigError;
    return {error, lines: error.message.split('\n').slice(1).map((l) => l.trim())};
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads a full file with every option set', () => {
    const path = writeConfig(`
mattermost:
  url: https://chat.example.com/
  bot_token: ${BOT_TOKEN}
  command_teams: [acme, ops]
  run_team: security
  reviewers: ['@alice', bob]
  request_timeout_ms: 5000
service:
  listen_host: 0.0.0.0
  listen_port: 9090
  public_url: http://offboard.internal:9090/
  action_secret: ${ACTION_SECRET}
access:
  allowed_users: [carol]
  allowed_groups: [it-admins]
  require_approval: true
database:
  sqlite_path: /var/lib/offboard/db.sqlite
  url: postgres://offboard:pw@db.internal/offboard
engine:
  lease_ms: 60000
  poll_ms: 250
  replica_id: replica-a
log:
  level: debug
providers:
  fake:
    api_url: https://fake.example.com
    token: ${FAKE_TOKEN}
    ca_file: certs/ca.pem
`);
    const config = load(path);
    expect(config).toEqual({
      mattermost: {
        url: 'https://chat.example.com',
        bot_token: BOT_TOKEN,
        command_teams: ['acme', 'ops'],
        run_team: 'security',
        reviewers: ['alice', 'bob'],
        request_timeout_ms: 5000,
      },
      service: {
        listen_host: '0.0.0.0',
        listen_port: 9090,
        public_url: 'http://offboard.internal:9090',
        action_secret: ACTION_SECRET,
      },
      access: {allowed_users: ['carol'], allowed_groups: ['it-admins'], require_approval: true},
      database: {sqlite_path: '/var/lib/offboard/db.sqlite', url: 'postgres://offboard:pw@db.internal/offboard'},
      engine: {lease_ms: 60000, poll_ms: 250, replica_id: 'replica-a'},
      log: {level: 'debug'},
      providers: {
        fake: {api_url: 'https://fake.example.com', token: FAKE_TOKEN, page_size: 100, ca_file: 'certs/ca.pem'},
      },
    });
  });

  it('fills defaults and takes the first command team as run team', () => {
    const config = load(writeConfig(MINIMAL));
    expect(config.mattermost.run_team).toBe('acme');
    expect(config.mattermost.reviewers).toEqual([]);
    expect(config.mattermost.request_timeout_ms).toBe(CONFIG_DEFAULTS.requestTimeoutMs);
    expect(config.service).toMatchObject({listen_host: '127.0.0.1', listen_port: 8080});
    expect(config.access).toEqual({allowed_users: [], allowed_groups: [], require_approval: false});
    expect(config.database).toEqual({sqlite_path: './offboard.sqlite'});
    expect(config.engine).toEqual({lease_ms: 30000, poll_ms: 500});
    expect(config.log.level).toBe('info');
    expect(config.providers).toEqual({});
  });

  it('names the unknown key with its full path', () => {
    const path = writeConfig(MINIMAL.replace('  command_teams:', '  bot_tokn: x\n  command_teams:') + 'extras: 1\n');
    const {error, lines} = configError(() => load(path));
    expect(lines).toEqual(expect.arrayContaining(['mattermost.bot_tokn: unknown key', 'extras: unknown key']));
    expect(error.message).toContain(path);
  });

  it('names unknown providers and lists the known ones', () => {
    const path = writeConfig(`${MINIMAL}providers:\n  gitlab:\n    token: x\n`);
    expect(configError(() => load(path)).lines).toEqual(['providers.gitlab: unknown provider (known: fake)']);
  });

  it('lists every wrong type with its path', () => {
    const path = writeConfig(`${MINIMAL.replace('https://chat.example.com', 'ftp://chat.example.com')}
access:
  allowed_users: alice
  require_approval: maybe
engine:
  lease_ms: -5
log:
  level: verbose
`);
    const {lines} = configError(() => load(path));
    expect(lines.map((l) => l.split(':')[0])).toEqual(
      expect.arrayContaining([
        'mattermost.url',
        'access.allowed_users',
        'access.require_approval',
        'engine.lease_ms',
        'log.level',
      ]),
    );
    expect(lines).toHaveLength(5);
    expect(lines).toContain('mattermost.url: must be an http(s) URL');
  });

  it('checks that the executor polls more often than leases expire', () => {
    const path = writeConfig(`${MINIMAL}engine:\n  lease_ms: 1000\n  poll_ms: 1000\n`);
    expect(configError(() => load(path)).lines).toEqual(['engine.poll_ms: must be shorter than lease_ms']);
  });

  it('requires the bot token and names both ways to give it', () => {
    const path = writeConfig(MINIMAL.replace(`  bot_token: ${BOT_TOKEN}\n`, ''));
    expect(configError(() => load(path)).lines).toEqual([
      'mattermost.bot_token: required (set bot_token or bot_token_file)',
    ]);
  });

  it('rejects a secret given both inline and as a file', () => {
    const path = writeConfig(MINIMAL.replace('  command_teams:', '  bot_token_file: bot_token\n  command_teams:'), {
      bot_token: 'other',
    });
    const {error, lines} = configError(() => load(path));
    expect(lines).toEqual(['mattermost.bot_token_file: give either bot_token or bot_token_file, not both']);
    expect(error.message).not.toContain(BOT_TOKEN);
  });

  it('reads *_file secrets relative to the config file, trimming the trailing newline', () => {
    const text = MINIMAL.replace(`bot_token: ${BOT_TOKEN}`, 'bot_token_file: secrets/bot_token')
      .replace(`action_secret: ${ACTION_SECRET}`, 'action_secret_file: ./secrets/action_secret');
    const fake = 'providers:\n  fake:\n    api_url: https://fake.example.com\n    token_file: fake\n';
    const path = writeConfig(`${text}${fake}`, {
      'secrets/bot_token': `${BOT_TOKEN}\n`,
      'secrets/action_secret': `${ACTION_SECRET}\r\n`,
      fake: FAKE_TOKEN,
    });
    const config = load(path);
    expect(config.mattermost.bot_token).toBe(BOT_TOKEN);
    expect(config.service.action_secret).toBe(ACTION_SECRET);
    expect(config.providers['fake']).toMatchObject({token: FAKE_TOKEN});
  });

  it('reports an unreadable secret file clearly, once, and without any secret', () => {
    const path = writeConfig(MINIMAL.replace(`bot_token: ${BOT_TOKEN}`, 'bot_token_file: missing/bot_token'));
    const {error, lines} = configError(() => load(path));
    expect(lines).toEqual([`mattermost.bot_token_file: cannot read ${join(path, '..', 'missing/bot_token')} (ENOENT)`]);
    expect(error.message).not.toContain(ACTION_SECRET);
    expect(error.message).not.toContain(BOT_TOKEN);
  });

  it('never echoes a secret from a value it rejects or a line it cannot parse', () => {
    const short = 'tooshort-secret-xyz';
    const badValue = writeConfig(MINIMAL.replace(ACTION_SECRET, short));
    const e1 = configError(() => load(badValue));
    expect(e1.lines).toEqual(['service.action_secret: must be at least 32 characters']);
    expect(e1.error.message).not.toContain(short);
    const badYaml = writeConfig(MINIMAL.replace(`bot_token: ${BOT_TOKEN}`, `bot_token: "${BOT_TOKEN}`));
    const e2 = configError(() => load(badYaml));
    expect(e2.lines[0]).toMatch(/^line \d+, column \d+: /);
    expect(e2.error.message).not.toContain(BOT_TOKEN);
  });

  it('reports a missing config file', () => {
    const missing = join(dir, 'nope', 'offboard.yaml');
    expect(() => load(missing)).toThrow(`cannot read config file ${missing} (ENOENT)`);
  });
});

describe('environment overrides', () => {
  it('override the file, parse lists and numbers, and map DATABASE_URL', () => {
    const path = writeConfig(`${MINIMAL}database:\n  url: postgres://file@db/offboard\n`);
    const config = load(path, {
      OFFBOARD_MATTERMOST__URL: 'https://other.example.com',
      OFFBOARD_MATTERMOST__COMMAND_TEAMS: '[red, blue]',
      OFFBOARD_SERVICE__LISTEN_PORT: '9999',
      OFFBOARD_ACCESS__REQUIRE_APPROVAL: 'true',
      OFFBOARD_MATTERMOST__REVIEWERS: 'alice, @bob',
      OFFBOARD_CONFIG: path,
      DATABASE_URL: 'postgres://env@db/offboard',
      PATH: '/usr/bin',
    });
    expect(config.mattermost.url).toBe('https://other.example.com');
    expect(config.mattermost.command_teams).toEqual(['red', 'blue']);
    expect(config.mattermost.run_team).toBe('red');
    expect(config.service.listen_port).toBe(9999);
    expect(config.access.require_approval).toBe(true);
    expect(config.mattermost.reviewers).toEqual(['alice', 'bob']);
    expect(config.database.url).toBe('postgres://env@db/offboard');
  });

  it('prefers OFFBOARD_DATABASE__URL(_FILE) over DATABASE_URL', () => {
    const config = load(writeConfig(MINIMAL), {
      DATABASE_URL: 'postgres://generic@db/x',
      OFFBOARD_DATABASE__URL: 'postgres://specific@db/x',
    });
    expect(config.database.url).toBe('postgres://specific@db/x');
    const path = writeConfig(MINIMAL, {db_url: 'postgres://fromfile@db/x\n'});
    const fromFile = load(path, {
      DATABASE_URL: 'postgres://generic@db/x',
      OFFBOARD_DATABASE__URL_FILE: join(path, '../db_url'),
    });
    expect(fromFile.database.url).toBe('postgres://fromfile@db/x');
  });

  it('keep secrets verbatim and replace the file form of the same secret', () => {
    const text = MINIMAL.replace(`bot_token: ${BOT_TOKEN}`, 'bot_token_file: /etc/offboard/bot_token');
    const envSecret = 'a#b: c [d] 12345678901234567890123456789';
    const config = load(writeConfig(text), {
      OFFBOARD_MATTERMOST__BOT_TOKEN: BOT_TOKEN,
      OFFBOARD_SERVICE__ACTION_SECRET: envSecret,
    });
    expect(config.mattermost.bot_token).toBe(BOT_TOKEN);
    expect(config.service.action_secret).toBe(envSecret);
  });

  it('set provider secrets as files and build the whole config without a file', () => {
    const sub = join(dir, `env${++n}`);
    mkdirSync(sub);
    writeFileSync(join(sub, 'bot'), BOT_TOKEN);
    writeFileSync(join(sub, 'fake'), `${FAKE_TOKEN}\n`);
    const config = load(undefined, {
      OFFBOARD_MATTERMOST__URL: 'https://chat.example.com',
      OFFBOARD_MATTERMOST__BOT_TOKEN_FILE: join(sub, 'bot'),
      OFFBOARD_MATTERMOST__COMMAND_TEAMS: 'acme',
      OFFBOARD_SERVICE__PUBLIC_URL: 'http://svc:8080',
      OFFBOARD_SERVICE__ACTION_SECRET: ACTION_SECRET,
      OFFBOARD_PROVIDERS__FAKE__API_URL: 'https://fake.example.com',
      OFFBOARD_PROVIDERS__FAKE__TOKEN_FILE: join(sub, 'fake'),
    });
    expect(config.mattermost.bot_token).toBe(BOT_TOKEN);
    expect(config.providers['fake']).toEqual({api_url: 'https://fake.example.com', token: FAKE_TOKEN, page_size: 100});
  });

  it('reject unknown OFFBOARD_ variables, listing them all', () => {
    const {lines} = configError(() =>
      load(writeConfig(MINIMAL), {
        OFFBOARD_MATTERMOST__URLS: 'x',
        OFFBOARD_LOGLEVEL: 'debug',
        OFFBOARD_PROVIDERS__GITLAB__TOKEN: 'secret-value',
      }),
    );
    expect(lines).toHaveLength(1);
    const names = 'OFFBOARD_LOGLEVEL, OFFBOARD_MATTERMOST__URLS, OFFBOARD_PROVIDERS__GITLAB__TOKEN';
    expect(lines[0]).toMatch(new RegExp(`^environment: unknown variables ${names} `));
    expect(lines[0]).not.toContain('secret-value');
  });

  it('treat an empty value as unset', () => {
    const config = load(writeConfig(`${MINIMAL}engine:\n  replica_id: r1\n`), {OFFBOARD_ENGINE__REPLICA_ID: ''});
    expect(config.engine.replica_id).toBeUndefined();
  });

  it('configPathFromEnv reads OFFBOARD_CONFIG', () => {
    expect(configPathFromEnv({OFFBOARD_CONFIG: '/etc/offboard/offboard.yaml'})).toBe('/etc/offboard/offboard.yaml');
    expect(configPathFromEnv({OFFBOARD_CONFIG: ' '})).toBeUndefined();
    expect(configPathFromEnv({})).toBeUndefined();
  });
});

describe('provider sections', () => {
  it('are validated by the provider schema, with full paths', () => {
    const path = writeConfig(`${MINIMAL}providers:\n  fake:\n    api_url: not a url\n    page_size: 0\n    extra: 1\n`);
    const {lines} = configError(() => load(path));
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual([
      'providers.fake.api_url',
      'providers.fake.extra',
      'providers.fake.page_size',
      'providers.fake.token',
    ]);
  });

  it('are optional: an empty section means the provider is off', () => {
    expect(load(writeConfig(`${MINIMAL}providers:\n  fake:\n`)).providers).toEqual({});
  });
});

describe('renderConfigTemplate', () => {
  /** Writes the template with its /etc/offboard/ secret paths pointed at a temp dir holding those files. */
  function writeTemplate(providers: readonly AnyProvider[], transform = (t: string) => t): string {
    const sub = join(dir, `tpl${++n}`);
    mkdirSync(sub);
    writeFileSync(join(sub, 'bot_token'), `${BOT_TOKEN}\n`);
    writeFileSync(join(sub, 'action_secret'), `${ACTION_SECRET}\n`);
    writeFileSync(join(sub, 'fake_token'), `${FAKE_TOKEN}\n`);
    const template = transform(renderConfigTemplate(providers));
    expect(template.match(/\/etc\/offboard\//g)?.length).toBe(2 + (providers.length > 0 ? 1 : 0));
    const path = join(sub, 'offboard.yaml');
    writeFileSync(path, template.replaceAll('/etc/offboard/', `${sub}/`));
    return path;
  }

  it('parses and validates as printed, with the schema defaults', () => {
    const template = renderConfigTemplate([]);
    expect(parseYaml(template)).toMatchObject({mattermost: {url: 'https://chat.example.com'}});
    const config = load(writeTemplate([]), {}, []);
    expect(config.mattermost.bot_token).toBe(BOT_TOKEN);
    expect(config.service.action_secret).toBe(ACTION_SECRET);
    const defaults = load(writeConfig(MINIMAL), {}, []);
    expect({...config, mattermost: {}, service: {}}).toEqual({...defaults, mattermost: {}, service: {}});
    expect(config.service.listen_port).toBe(defaults.service.listen_port);
  });

  it('covers every key of the root schema', () => {
    const parsed = parseYaml(renderConfigTemplate([])) as Record<string, Record<string, unknown> | null>;
    const root = objectShape(buildConfigSchema([]));
    expect(root).toBeDefined();
    const missing: string[] = [];
    for (const [section, sectionSchema] of Object.entries(root ?? {})) {
      if (!(section in parsed)) missing.push(section);
      if (section === 'providers') continue;
      for (const key of Object.keys(objectShape(sectionSchema) ?? {})) {
        const given = parsed[section] ?? {};
        if (!(key in given) && !(`${key}_file` in given)) missing.push(`${section}.${key}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('inserts provider examples that validate once uncommented', () => {
    const template = renderConfigTemplate([fakeProvider]);
    expect(template).toContain(fakeProvider.configExample);
    expect(load(writeTemplate([fakeProvider])).providers).toEqual({});
    const uncommented = (t: string) =>
      t.replace('  # fake:\n  #   api_url', '  fake:\n    api_url').replace('  #   token_file', '    token_file');
    expect(load(writeTemplate([fakeProvider], uncommented)).providers['fake']).toMatchObject({token: FAKE_TOKEN});
  });
});

describe('redactConfig', () => {
  it('hides secrets and URL passwords in a copy', () => {
    const path = writeConfig(`${MINIMAL}database:
  url: postgres://offboard:dbpass@db/offboard
providers:
  fake:
    api_url: https://fake.example.com
    token: ${FAKE_TOKEN}
`);
    const config = load(path);
    const redacted = redactConfig(config);
    const text = JSON.stringify(redacted);
    for (const secret of [BOT_TOKEN, ACTION_SECRET, FAKE_TOKEN, 'dbpass']) expect(text).not.toContain(secret);
    expect(redacted.mattermost.bot_token).toBe('[redacted]');
    expect(redacted.service.action_secret).toBe('[redacted]');
    expect(redacted.database.url).toBe('postgres://offboard:[redacted]@db/offboard');
    expect(redacted.mattermost.url).toBe('https://chat.example.com');
    expect(config.mattermost.bot_token).toBe(BOT_TOKEN);
  });
});

describe('provider enabled flags', () => {
  const provider = {
    id: 'vault', title: 'Vault', configExample: '', planOptions: [],
    configSchema: z.strictObject({address: z.string()}),
  } as unknown as AnyProvider;
  const load = (vault: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'offboard-enabled-'));
    writeFileSync(join(dir, 'bot_token'), 'b'.repeat(26));
    writeFileSync(join(dir, 'secret'), 's'.repeat(40));
    writeFileSync(join(dir, 'c.yaml'), [
      'mattermost: {url: https://chat.example.com, bot_token_file: bot_token, command_teams: [acme]}',
      'service: {public_url: http://offboard:8080, action_secret_file: secret}',
      `providers: {vault: ${vault}}`,
    ].join('\n'));
    return loadConfig({path: join(dir, 'c.yaml'), env: {}, providers: [provider]});
  };

  it('drops a section that says enabled: false, keeping its settings unchecked', () => {
    expect((load('{enabled: false, address: 42}').providers as Record<string, unknown>)['vault']).toBeUndefined();
  });
  it('accepts enabled: true and validates the rest', () => {
    expect((load('{enabled: true, address: "https://vault:8200"}').providers as Record<string, unknown>)['vault'])
      .toEqual({address: 'https://vault:8200'});
    expect(() => load('{enabled: true, address: 42}')).toThrow(/providers\.vault\.address/);
  });
  it('refuses anything but a boolean', () => {
    expect(() => load('{enabled: "no", address: "x"}')).toThrow(/providers\.vault\.enabled: must be true or false/);
  });
});
