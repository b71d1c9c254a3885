// End-to-end harness: a seeded Mattermost simulator and the real service (HTTP + executor) against it, plus helpers
// that call the service the way Mattermost and the webapp do (POST /api/v4/commands/execute).
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {freePort} from '../../server/src/cli/sandbox_config.js';
import {type SandboxEnv, startSandboxEnv} from '../../server/src/cli/sandbox_env.js';
import type {OffboardConfig} from '../../server/src/config.js';
import type {AnyProvider} from '../../server/src/engine/types.js';
import {silentLogger} from '../../server/src/logger.js';
import {type RunningService, startService} from '../../server/src/service/service.js';

export interface Harness {
  readonly sim: SandboxEnv['sim'];
  readonly seed: SandboxEnv['seed'];
  /** The AWS simulator and its organization, when started with `aws: true`. */
  readonly aws: SandboxEnv['aws'];
  readonly service: RunningService;
  readonly config: OffboardConfig;
  readonly configPath: string;
  readonly dir: string;
  /** Runs a slash command through the simulator as the given user (default: the seeded admin). */
  exec(command: string, opts?: {token?: string; channelId?: string; teamId?: string}): Promise<{status: number; body: any}>;
  /** `/offboard rpc <method> <payload>` through the simulator; returns the reply props. */
  rpc(method: string, payload: Record<string, unknown>, token?: string): Promise<any>;
  /** Like rpc() but with a raw (possibly malformed) payload string. */
  rpcRaw(text: string, token?: string): Promise<any>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly overrides?: Record<string, unknown>;
  readonly providers?: readonly AnyProvider[];
  readonly execute?: boolean;
  /** Also start the AWS simulator with an organization and enable the AWS provider. */
  readonly aws?: boolean;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'offboard-test-'));
  const env = await startSandboxEnv({dir, port: await freePort(), aws: opts.aws ?? false,
    overrides: {engine: {poll_ms: 50, lease_ms: 5000}, ...opts.overrides}});
  const {sim, seed, config, configPath: path} = env;
  const service = await startService(config, {
    log: silentLogger(), serve: true, execute: opts.execute ?? true,
    ...(opts.providers ? {providers: opts.providers} : {}),
  });
  const exec: Harness['exec'] = async (command, o = {}) => {
    const res = await fetch(`${sim.url}/api/v4/commands/execute`, {
      method: 'POST',
      headers: {'Authorization': `Bearer ${o.token ?? seed.adminToken}`, 'Content-Type': 'application/json'},
      body: JSON.stringify({command, channel_id: o.channelId ?? seed.channels.acmeTownSquare,
        team_id: o.teamId ?? seed.teams.acme}),
    });
    return {status: res.status, body: await res.json()};
  };
  const rpcRaw: Harness['rpcRaw'] = async (text, token) => {
    const res = await exec(`/offboard rpc ${text}`, token ? {token} : {});
    if (res.status !== 200) throw new Error(`commands/execute answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.props;
  };
  return {
    sim, seed, aws: env.aws, service, config, configPath: path, dir, exec, rpcRaw,
    rpc: (method, payload, token) =>
      rpcRaw(`${method} ${Buffer.from(JSON.stringify({v: 1, ...payload})).toString('base64url')}`, token),
    async close() {
      await service.close();
      await env.close();
      rmSync(dir, {recursive: true, force: true});
    },
  };
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
export async function waitFor<T>(fn: () => Promise<T>, timeoutMs = 20_000, intervalMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
