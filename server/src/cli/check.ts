// `offboard check`: one line per system, `ok` or the reason; non-zero exit when anything fails.
import {systemClock} from '../clock.js';
import {errorMessage} from '../engine/errors.js';
import type {CheckResult} from '../engine/types.js';
import {createLimiter} from '../limits.js';
import {MattermostClient} from '../mattermost/client.js';
import {enabledProviders, providerConfig} from '../providers/index.js';
import {openStore} from '../store/index.js';
import {type CliOptions, loadCliConfig} from './common.js';

export async function checkCommand(o: CliOptions): Promise<number> {
  const {config, log} = loadCliConfig(o);
  const results: [string, CheckResult][] = [];
  const attempt = async (name: string, fn: () => Promise<CheckResult>) => {
    try {
      results.push([name, await fn()]);
    } catch (e) {
      results.push([name, {ok: false, detail: errorMessage(e)}]);
    }
  };
  const mm = new MattermostClient({url: config.mattermost.url, token: config.mattermost.bot_token, log,
    timeoutMs: config.mattermost.request_timeout_ms});
  await attempt('mattermost', async () => {
    const me = await mm.getMe();
    if (!(me.roles ?? '').split(' ').includes('system_admin')) {
      return {ok: false, detail: `bot @${me.username} is not a system admin (it must manage users, teams and commands)`};
    }
    const client = await mm.getClientConfigOld();
    if (!client.AsymmetricSigningPublicKey) return {ok: false, detail: 'server publishes no AsymmetricSigningPublicKey'};
    for (const team of config.mattermost.command_teams) await mm.getTeamByName(team);
    return {ok: true, detail: 'ok'};
  });
  await attempt('database', async () => {
    const store = await openStore(config.database.url
      ? {kind: 'postgres', url: config.database.url} : {kind: 'sqlite', path: config.database.sqlite_path}, log);
    try {
      await store.ping();
    } finally {
      await store.close();
    }
    return {ok: true, detail: 'ok'};
  });
  for (const provider of enabledProviders(config)) {
    await attempt(`provider ${provider.id}`, () => provider.check({
      config: providerConfig(config, provider), log, clock: systemClock,
      signal: AbortSignal.timeout(30_000), limiter: createLimiter(provider.limits),
    }));
  }
  for (const [name, r] of results) process.stdout.write(`${name}: ${r.ok ? 'ok' : r.detail}\n`);
  return results.every(([, r]) => r.ok) ? 0 : 1;
}
