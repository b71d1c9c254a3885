// `offboard sandbox` (make demo): a seeded Mattermost simulator plus the service against it on SQLite.
// Prints one JSON line and runs until a signal; `--once` drives a whole offboarding through commands/execute.
import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {startHostPage} from '../../../test/host_page/index.js';
import {createLogger} from '../logger.js';
import {startService} from '../service/service.js';
import {driveOffboarding} from './sandbox_driver.js';
import {freePort} from './sandbox_config.js';
import {startSandboxEnv} from './sandbox_env.js';

interface SandboxOptions {
  readonly once?: boolean;
  readonly json?: boolean;
  readonly debug?: boolean;
}

export async function sandboxCommand(o: SandboxOptions): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'offboard-sandbox-'));
  const env = await startSandboxEnv({dir, port: await freePort(), logLevel: o.debug ? 'debug' : 'warn', aws: true,
    github: true});
  const {sim, seed, config} = env;
  const log = createLogger({level: config.log.level, debug: o.debug, destination: process.stderr});
  const service = await startService(config, {log, serve: true, execute: true});
  const teamId = seed.teams.acme;
  const channelId = seed.channels.acmeTownSquare;
  let hostPage: Awaited<ReturnType<typeof startHostPage>> | undefined;
  const cleanup = async () => {
    await hostPage?.close();
    await service.close();
    await env.close();
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
    // The host page stands in for the Mattermost webapp with the built plugin (make dist); without a bundle the
    // sandbox still serves everything else.
    const bundlePath = fileURLToPath(new URL('../../../webapp/dist/main.js', import.meta.url));
    if (existsSync(bundlePath)) {
      hostPage = await startHostPage({sim, userId: seed.adminUserId, teamId, channelId, bundlePath});
    } else {
      process.stderr.write('No plugin bundle (webapp/dist/main.js): run `make dist` to get the host page.\n');
    }
    process.stdout.write(`${JSON.stringify({
      mattermost_url: sim.url, service_url: service.url, admin_token: seed.adminToken, team_id: teamId,
      channel_id: channelId, subject: seed.subject.username, ...(hostPage ? {host_page_url: hostPage.url} : {}),
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
