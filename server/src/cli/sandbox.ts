// `offboard sandbox` (make demo): a seeded Mattermost simulator plus the service against it on SQLite.
// Prints one JSON line and runs until a signal; `--once` drives a whole offboarding through commands/execute.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {stringify} from 'yaml';
import {seedWorkspace, startMattermostSim} from '../../../test/mattermost_sim/index.js';
import {loadConfig} from '../config.js';
import {createLogger} from '../logger.js';
import {ALL_PROVIDERS} from '../providers/index.js';
import {startService} from '../service/service.js';
import {driveOffboarding} from './sandbox_driver.js';

interface SandboxOptions {
  readonly once?: boolean;
  readonly json?: boolean;
  readonly debug?: boolean;
}

/** A free TCP port on 127.0.0.1: the command URL must be known before the service listens. */
async function freePort(): Promise<number> {
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

export async function sandboxCommand(o: SandboxOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'offboard-sandbox-'));
  const sim = await startMattermostSim({});
  const seed = await seedWorkspace(sim);
  const port = await freePort();
  writeFileSync(join(dir, 'bot_token'), `${seed.botToken}\n`, {mode: 0o600});
  writeFileSync(join(dir, 'action_secret'), `${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex')}\n`,
    {mode: 0o600});
  const configPath = join(dir, 'offboard.yaml');
  writeFileSync(configPath, stringify({
    mattermost: {url: sim.url, bot_token_file: 'bot_token', command_teams: ['acme', 'engineering'], run_team: 'acme',
      reviewers: ['alice']},
    service: {listen_host: '127.0.0.1', listen_port: port, public_url: `http://127.0.0.1:${port}`,
      action_secret_file: 'action_secret'},
    database: {sqlite_path: join(dir, 'offboard.sqlite')},
    engine: {poll_ms: 100},
    log: {level: o.debug ? 'debug' : 'warn'},
  }));
  const config = loadConfig({path: configPath, env: {}, providers: ALL_PROVIDERS});
  const log = createLogger({level: config.log.level, debug: o.debug, destination: process.stderr});
  const service = await startService(config, {log, serve: true, execute: true});
  const teamId = seed.teams.acme;
  const channelId = seed.channels.acmeTownSquare;
  const cleanup = async () => {
    await service.close();
    await sim.close();
    rmSync(dir, {recursive: true, force: true});
  };
  try {
    if (o.once) {
      const result = await driveOffboarding({
        mattermostUrl: sim.url, adminToken: seed.adminToken, teamId, channelId, subject: seed.subject.username,
        log: (line) => { if (!o.json) process.stderr.write(`${line}\n`); },
      });
      process.stdout.write(o.json ? `${JSON.stringify(result.report)}\n` : `${result.summary}\n`);
      return result.ok ? 0 : 1;
    }
    process.stdout.write(`${JSON.stringify({
      mattermost_url: sim.url, service_url: service.url, admin_token: seed.adminToken, team_id: teamId,
      channel_id: channelId, subject: seed.subject.username,
    })}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    return 0;
  } finally {
    await cleanup();
  }
}
