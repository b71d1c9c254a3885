// The sandbox's configuration, written as a real YAML file with secret files beside it, so the sandbox and the
// end-to-end tests go through the same loadConfig path as production.
import {randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {join} from 'node:path';
import {stringify} from 'yaml';
import {loadConfig, type OffboardConfig} from '../config.js';
import {ALL_PROVIDERS} from '../providers/index.js';

export interface SandboxConfigInput {
  readonly dir: string;
  readonly mattermostUrl: string;
  readonly botToken: string;
  readonly port: number;
  readonly logLevel?: string;
  /** Deep-merged over the defaults (tests tune engine timings, access rules, the database). */
  readonly overrides?: Record<string, unknown>;
}

/** A free TCP port on 127.0.0.1: the command URL must be known before the service listens. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {...base};
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
      ? merge(b as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** Writes offboard.yaml + secret files into `dir` and returns the loaded config and its path. */
export function writeSandboxConfig(input: SandboxConfigInput): {config: OffboardConfig; path: string} {
  writeFileSync(join(input.dir, 'bot_token'), `${input.botToken}\n`, {mode: 0o600});
  writeFileSync(join(input.dir, 'action_secret'), `${randomBytes(32).toString('hex')}\n`, {mode: 0o600});
  const doc = merge({
    mattermost: {url: input.mattermostUrl, bot_token_file: 'bot_token', command_teams: ['acme', 'engineering'],
      run_team: 'acme', reviewers: ['alice']},
    service: {listen_host: '127.0.0.1', listen_port: input.port, public_url: `http://127.0.0.1:${input.port}`,
      action_secret_file: 'action_secret'},
    database: {sqlite_path: join(input.dir, 'offboard.sqlite')},
    engine: {poll_ms: 100},
    log: {level: input.logLevel ?? 'warn'},
    providers: {mattermost: {bot_owner: 'sysadmin'}},
  }, input.overrides ?? {});
  const path = join(input.dir, 'offboard.yaml');
  writeFileSync(path, stringify(doc));
  return {config: loadConfig({path, env: {}, providers: ALL_PROVIDERS}), path};
}
