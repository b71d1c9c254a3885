// End to end over HTTP (in process): health, readiness and metrics; malformed or oversized callbacks that must change
// nothing; idempotent `/offboard` registration across restarts, URL changes and a foreign command.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {freePort, writeSandboxConfig} from '../../server/src/cli/sandbox_config.js';
import {isConfigError} from '../../server/src/engine/errors.js';
import {silentLogger} from '../../server/src/logger.js';
import {type RunningService, startService} from '../../server/src/service/service.js';
import type {Command, SeedTeam} from '../mattermost_sim/index.js';
import {seedWorkspace, startMattermostSim} from '../mattermost_sim/index.js';
import {type Harness, startHarness} from '../support/service_harness.js';

const TEAMS = ['acme', 'engineering'] as const;

interface Reply {
  status: number;
  contentType: string;
  text: string;
}

async function request(url: string, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(url, init);
  return {status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text()};
}

/** The sample value of one series in Prometheus text, 0 when the series has not been observed yet. */
function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('health, readiness, metrics and malformed callbacks', () => {
  let h: Harness;
  let base: string;
  let token: string;

  beforeAll(async () => {
    h = await startHarness({execute: false});
    base = h.service.url ?? '';
    token = h.service.commands[0]?.token ?? '';
  });
  afterAll(async () => { await h.close(); });

  const command = (body: string, contentType: string, headers: Record<string, string> = {}) =>
    request(`${base}/mattermost/command`, {method: 'POST', headers: {'Content-Type': contentType, ...headers}, body});

  it('/healthz answers 200; /readyz 200 with the store and Mattermost ok', async () => {
    const health = await request(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({status: 'ok'});
    const ready = await request(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toEqual({status: 'ready', checks: {store: 'ok', mattermost: 'ok'}});
  });

  it('/metrics is Prometheus text with command, latency and process metrics, and counts a bad-token refusal',
    async () => {
      const help = await h.exec('/offboard help');
      expect(help.status).toBe(200);
      const before = await request(`${base}/metrics`);
      expect(before.status).toBe(200);
      expect(before.contentType).toMatch(/^text\/plain/);
      expect(before.text).toMatch(/^# TYPE offboard_commands_total counter$/m);
      expect(sample(before.text, 'offboard_commands_total{verb="help",outcome="ok"}')).toBe(1);
      expect(before.text).toMatch(/^# TYPE offboard_http_request_duration_seconds histogram$/m);
      expect(before.text).toMatch(/^offboard_http_request_duration_seconds_bucket\{.*route="\/mattermost\/command"/m);
      expect(before.text).toMatch(/^(offboard_)?process_cpu_user_seconds_total \d/m);
      const refusals = 'offboard_refusals_total{reason="bad_token"}';
      const refusedBefore = sample(before.text, refusals);

      const forged = 'forgedtokenforgedtoken0000';
      const bad = await command(new URLSearchParams({token: forged, user_id: h.seed.adminUserId, text: 'help'}).toString(),
        'application/x-www-form-urlencoded', {Authorization: `Token ${forged}`});
      expect(bad.status).toBe(401);
      expect(bad.text).not.toContain(forged);
      const after = await request(`${base}/metrics`);
      expect(sample(after.text, refusals)).toBe(refusedBefore + 1);
      expect(sample(after.text, 'offboard_commands_total{verb="help",outcome="ok"}')).toBe(1);
    });

  it('wrong-typed JSON, garbage forms and bodies over 64 KB get 4xx and change nothing', async () => {
    h.sim.clearRequests();
    const auth = {Authorization: `Token ${token}`};
    const json = 'application/json';
    const form = 'application/x-www-form-urlencoded';
    const cases: [string, Promise<Reply>][] = [
      ['JSON array', command(JSON.stringify(['/offboard', 'help']), json)],
      ['JSON string', command(JSON.stringify('token=x&text=help'), json)],
      ['JSON with a numeric token', command(JSON.stringify({token: 12345, text: 'help'}), json)],
      ['invalid JSON', command('{"token": "', json, auth)],
      ['garbage form', command('%%%&&==&token&%zz=%ff%fe', form)],
      ['form with a token list', command(`token=${token}&token=${token}&text=help`, form)],
      ['plain text', command('/offboard help', 'text/plain')],
      ['unknown content type', command('<offboard/>', 'application/xml', auth)],
      ['over 64 KB', command(`token=${token}&text=${'a'.repeat(70 * 1024)}`, form, auth)],
      ['over 64 KB of JSON', command(JSON.stringify({token, text: 'a'.repeat(70 * 1024)}), json, auth)],
    ];
    for (const [name, pending] of cases) {
      const reply = await pending;
      expect({name, status: reply.status >= 400 && reply.status < 500}).toEqual({name, status: true});
      expect(reply.text).not.toContain(token);
    }
    for (const [, pending] of cases.slice(-2)) expect((await pending).status).toBe(413);
    expect(h.sim.mutations()).toEqual([]);
    expect(await h.service.deps.store.listRuns({limit: 10})).toEqual([]);
  });

  it('a valid token with a wrong-typed body is refused as malformed, without touching Mattermost', async () => {
    h.sim.clearRequests();
    const auth = {Authorization: `Token ${token}`};
    const replies = await Promise.all([
      command(JSON.stringify(['/offboard', 'help']), 'application/json', auth),
      command(JSON.stringify({user_id: 42, team_id: null, channel_id: [], command: {}, text: 7}), 'application/json',
        auth),
      command(`token=${token}&user_id=..%2F..%2Fusers&text=%ff%fe`, 'application/x-www-form-urlencoded'),
      command('/offboard help', 'text/plain', auth),
    ]);
    for (const reply of replies) {
      // Mattermost's own request, so the refusal is an ephemeral reply the user can read (never a 5xx).
      expect(reply.status).toBeLessThan(500);
      const body = JSON.parse(reply.text) as {response_type?: string; props?: {ok: boolean; error: {reason: string}}};
      expect(body.response_type).toBe('ephemeral');
      expect(body.props).toMatchObject({ok: false, error: {reason: 'malformed_request'}});
      expect(reply.text).not.toContain(token);
    }
    expect(h.sim.requests).toEqual([]);
  });

  // Last in this block: it stops the simulator.
  it('/readyz answers 503 naming mattermost once Mattermost is gone', async () => {
    await h.sim.close();
    const ready = await request(`${base}/readyz`);
    expect(ready.status).toBe(503);
    const body = JSON.parse(ready.text) as {status: string; checks: {store: string; mattermost: string}};
    expect(body.status).toBe('not ready');
    expect(body.checks.store).toBe('ok');
    expect(body.checks.mattermost).not.toBe('ok');
    expect(body.checks.mattermost.length).toBeGreaterThan(0);
    expect((await request(`${base}/healthz`)).status).toBe(200);
  });
});

describe('/offboard registration', () => {
  let h: Harness;
  const dirs: string[] = [];
  const started: RunningService[] = [];

  const ours = (team: SeedTeam): Command[] =>
    h.sim.state.commandsOfTeam(h.seed.teams[team]).filter((c) => c.trigger === 'offboard');

  /** Another service for the same simulator and bot, listening on a new port. */
  async function startSecond(publicUrl?: string): Promise<RunningService> {
    const dir = mkdtempSync(join(tmpdir(), 'offboard-http-'));
    dirs.push(dir);
    const port = await freePort();
    const {config} = writeSandboxConfig({dir, mattermostUrl: h.sim.url, botToken: h.seed.botToken, port,
      overrides: publicUrl ? {service: {public_url: publicUrl}} : {}});
    const service = await startService(config, {log: silentLogger(), serve: true, execute: false});
    started.push(service);
    return service;
  }

  beforeAll(async () => { h = await startHarness({execute: false}); });
  afterAll(async () => {
    for (const s of started) await s.close();
    await h.close();
    for (const d of dirs) rmSync(d, {recursive: true, force: true});
  });

  it('registers exactly one /offboard per configured team, created by the bot, pointing at the service', () => {
    const url = `${h.config.service.public_url}/mattermost/command`;
    for (const team of TEAMS) {
      const cmds = ours(team);
      expect(cmds).toHaveLength(1);
      expect(cmds[0]).toMatchObject({creator_id: h.seed.botUserId, url, method: 'P', team_id: h.seed.teams[team]});
    }
    expect(ours('sales')).toEqual([]);
    expect(h.service.commands.map((c) => ({team: c.teamName, id: c.commandId, token: c.token, created: c.created})))
      .toEqual(TEAMS.map((team) => ({team, id: ours(team)[0]!.id, token: ours(team)[0]!.token, created: true})));
  });

  it('a second service with the same URL reuses the commands (same ids and tokens) and changes nothing', async () => {
    h.sim.clearRequests();
    const second = await startSecond(h.config.service.public_url);
    expect(second.commands).toEqual(h.service.commands.map((c) => ({...c, created: false})));
    expect(h.sim.mutations()).toEqual([]);
    for (const team of TEAMS) expect(ours(team)).toHaveLength(1);
    await second.close();
  });

  it('a service at a new URL updates the existing commands in place, and Mattermost then calls it', async () => {
    const before = TEAMS.map((team) => ({...ours(team)[0]!}));
    h.sim.clearRequests();
    const moved = await startSecond();
    const url = `${moved.deps.config.service.public_url}/mattermost/command`;
    expect(url).not.toBe(`${h.config.service.public_url}/mattermost/command`);
    expect(moved.commands).toEqual(h.service.commands.map((c) => ({...c, created: false})));
    for (const [i, team] of TEAMS.entries()) {
      const cmds = ours(team);
      expect(cmds).toHaveLength(1);
      expect(cmds[0]).toMatchObject({id: before[i]!.id, token: before[i]!.token, creator_id: h.seed.botUserId, url});
    }
    const writes = h.sim.mutations().map((r) => `${r.method} ${r.path}`).sort();
    expect(writes).toEqual(before.map((c) => `PUT /api/v4/commands/${c.id}`).sort());

    // The moved command really is in use: Mattermost now posts /offboard to the new service.
    const reply = await h.exec('/offboard help');
    expect(reply.status).toBe(200);
    expect(JSON.stringify(reply.body)).toMatch(/offboard/i);
    const metrics = await moved.metrics.registry.getSingleMetricAsString('offboard_commands_total');
    expect(metrics).toMatch(/^offboard_commands_total\{verb="help",outcome="ok"\} 1$/m);
  });

  it('a /offboard owned by another account in a configured team: startService fails with a ConfigError naming it',
    async () => {
      const sim = await startMattermostSim({});
      const dir = mkdtempSync(join(tmpdir(), 'offboard-http-'));
      dirs.push(dir);
      try {
        const seed = seedWorkspace(sim);
        const foreign = sim.createCommand({team_id: seed.teams.engineering, creator_id: seed.users.alice,
          trigger: 'offboard', url: 'https://elsewhere.example.com/command', display_name: 'Not ours'});
        const snapshot = {...foreign};
        const {config} = writeSandboxConfig({dir, mattermostUrl: sim.url, botToken: seed.botToken, port: await freePort()});
        let error: unknown;
        try {
          started.push(await startService(config, {log: silentLogger(), serve: true, execute: false}));
        } catch (e) {
          error = e;
        }
        expect(isConfigError(error)).toBe(true);
        expect((error as Error).message).toContain('Team "engineering"');
        expect((error as Error).message).toContain(foreign.id);
        expect((error as Error).message).not.toContain(foreign.token);
        const left = sim.state.commandsOfTeam(seed.teams.engineering).filter((c) => c.trigger === 'offboard');
        expect(left).toEqual([snapshot]);
        expect(await fetch(`${config.service.public_url}/healthz`).then(() => 'listening', () => 'closed'))
          .toBe('closed');
      } finally {
        await sim.close();
      }
    });
});
