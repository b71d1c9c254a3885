// End to end: the `offboard` CLI as a child process against the Mattermost simulator (in this process), on SQLite.
// Usage errors, configure, check, inventory and plan; run/status/export are in cli_run.test.ts.
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it, jest} from '@jest/globals';
import {parse as parseYaml, stringify as stringifyYaml} from 'yaml';
import {CLI_TEST_TIMEOUT_MS, type CliFixture, lines, startCliFixture} from './cli_support.js';

jest.setTimeout(CLI_TEST_TIMEOUT_MS);

const COMMANDS = ['configure', 'check', 'start', 'inventory', 'plan', 'run', 'status', 'export', 'sandbox'];

let f: CliFixture;

beforeAll(async () => { f = await startCliFixture(); });
afterAll(async () => { await f.close(); });

describe('usage', () => {
  it('--help lists every command; an unknown command or a missing option exits 2 with a message on stderr', async () => {
    const [help, unknown, noSubject] = await Promise.all([
      f.cli('--help'), f.cli('frobnicate'), f.cli('inventory', '--config', f.configPath),
    ]);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));

    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
    expect(unknown.stdout).toBe('');
    expect(noSubject.code).toBe(2);
    expect(noSubject.stderr).toContain("required option '-s, --subject <who>' not specified");
    expect(noSubject.stdout).toBe('');
    expect(f.sim.requests).toHaveLength(0);
  });

  it('a command without --config (and no OFFBOARD_CONFIG) is a usage error: exit 2, says how to fix it', async () => {
    const res = await f.cli('inventory', '--subject', 'dana');
    expect(res.stderr).toMatch(/--config/);
    expect(res.stderr).toMatch(/OFFBOARD_CONFIG/);
    expect(res.code).toBe(2);
  });
});

describe('configure', () => {
  it('prints commented YAML that parses and covers every section', async () => {
    const res = await f.cli('configure');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^# /m);
    const doc = parseYaml(res.stdout) as Record<string, unknown>;
    expect(Object.keys(doc).sort())
      .toEqual(['access', 'database', 'engine', 'log', 'mattermost', 'providers', 'service']);
    expect(doc['providers']).toHaveProperty('mattermost');
    expect(doc['mattermost']).toHaveProperty('command_teams');
    expect(doc['service']).toHaveProperty('public_url');
  });
});

describe('check', () => {
  it('reports every system ok against the simulator and exits 0', async () => {
    const res = await f.cli('check', '--config', f.configPath);
    expect(res.code).toBe(0);
    // Mattermost itself, the store, then each enabled provider (the mattermost provider first).
    const out = lines(res.stdout);
    expect(out.slice(0, 3)).toEqual(['mattermost: ok', 'database: ok', 'provider mattermost: ok']);
    for (const line of out) expect(line).toMatch(/^(provider )?[a-z0-9_]+: ok$/);
  });

  it('a wrong bot token: the mattermost lines give the reason, never the token, and the exit code is 1', async () => {
    const badToken = 'wr0ngb0tt0kenxxxxxxxxxxxxx';
    const bad = await f.configIn('bad-token', badToken);
    const res = await f.cli('check', '--config', bad.path);
    expect(res.code).toBe(1);
    const out = lines(res.stdout);
    expect(out.length).toBeGreaterThanOrEqual(3);
    expect(out[0]).toMatch(/^mattermost: .*401/);
    expect(out[1]).toBe('database: ok');
    expect(out[2]).toMatch(/^provider mattermost: (?!ok$).+/);
    expect(res.stdout + res.stderr).not.toContain(badToken);
  });

  it('an unknown key in the file: exit 2 naming the key path, and nothing is created', async () => {
    const bad = await f.configIn('unknown-key');
    const doc = parseYaml(readFileSync(bad.path, 'utf8')) as Record<string, Record<string, unknown>>;
    const badSqlite = join(bad.dir, 'never.sqlite');
    doc['engine'] = {...doc['engine'], frobnicate: 1};
    doc['database'] = {sqlite_path: badSqlite};
    const badPath = join(bad.dir, 'unknown_key.yaml');
    writeFileSync(badPath, stringifyYaml(doc));
    f.sim.clearRequests();
    const res = await f.cli('check', '--config', badPath);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('engine.frobnicate: unknown key');
    expect(res.stdout).toBe('');
    expect(existsSync(badSqlite)).toBe(false);
    expect(f.sim.requests).toHaveLength(0);
  });
});

describe('inventory and plan', () => {
  it('inventory --json lists the findings and changes nothing in Mattermost', async () => {
    f.sim.clearRequests();
    const res = await f.cli('inventory', '--config', f.configPath, '--subject', 'dana', '--json');
    expect(res.code).toBe(0);
    const inv = JSON.parse(res.stdout) as {
      subject: {username: string; user_id: string}; done: boolean; providers: {id: string; status: string}[];
      findings: {provider: string; kind: string}[];
    };
    expect(inv.subject).toMatchObject({username: 'dana', user_id: f.seed.subject.userId});
    expect(inv.done).toBe(true);
    expect(inv.providers).toEqual([expect.objectContaining({id: 'mattermost', status: 'done'})]);
    const kinds = new Set(inv.findings.map((x) => x.kind));
    for (const kind of ['session', 'access_token', 'team_membership', 'incoming_webhook', 'owned_bot', 'oauth_app']) {
      expect(kinds).toContain(kind);
    }
    expect(f.sim.requests.length).toBeGreaterThan(0);
    expect(f.sim.mutations()).toEqual([]);
  });

  it('plan --json lists the steps; -o mattermost.account=keep drops the deactivation; bad options are refused', async () => {
    f.sim.clearRequests();
    const plan = (...extra: string[]) => f.cli('plan', '--config', f.configPath, '--subject', 'dana', ...extra);
    const [full, keep, malformed, unknownKey] = await Promise.all([
      plan('--json'), plan('--json', '-o', 'mattermost.account=keep'), plan('-o', 'account'),
      plan('-o', 'mattermost.nope=1'),
    ]);
    expect(full.code).toBe(0);
    const steps = (JSON.parse(full.stdout) as {steps: {action: string; provider: string}[]}).steps;
    expect(steps.length).toBeGreaterThanOrEqual(10);
    expect(steps.map((s) => s.action)).toEqual(expect.arrayContaining(['revoke_sessions', 'revoke_token',
      'deactivate_account', 'remove_from_team', 'delete_incoming_webhook']));

    expect(keep.code).toBe(0);
    const kept = JSON.parse(keep.stdout) as {options: {mattermost: {account: string}}; steps: {action: string}[]};
    expect(kept.options.mattermost.account).toBe('keep');
    expect(kept.steps.map((s) => s.action)).not.toContain('deactivate_account');
    expect(kept.steps.map((s) => s.action)).toContain('revoke_sessions');

    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('expected provider.option=value');
    expect(unknownKey.code).not.toBe(0);
    expect(unknownKey.stderr).toContain('Unknown option "nope"');
    for (const res of [malformed, unknownKey]) expect(res.stdout).toBe('');
    expect(f.sim.mutations()).toEqual([]);
  });

  it('no output contained the bot token or the action secret', () => {
    expect(f.outputs.length).toBeGreaterThanOrEqual(20);
    for (const text of f.outputs) {
      expect(text).not.toContain(f.seed.botToken);
      expect(text).not.toContain(f.actionSecret);
    }
  });
});
