// CLI: `node --import tsx test/mattermost_sim/main.ts [--seed sandbox] [--port N]`.
// Prints one JSON line {"url","admin_token"} and serves until SIGINT/SIGTERM.

import {parseArgs} from 'node:util';
import {seedAdmin, seedWorkspace} from './seed.js';
import {startMattermostSim} from './sim.js';

async function main(): Promise<void> {
  const {values} = parseArgs({options: {seed: {type: 'string'}, port: {type: 'string'}}, strict: true});
  if (values.seed !== undefined && values.seed !== 'sandbox') throw new Error(`unknown seed "${values.seed}" (known: sandbox)`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer between 0 and 65535, got "${values.port}"`);
  const sim = await startMattermostSim({port});
  const adminToken = values.seed === 'sandbox' ? seedWorkspace(sim).adminToken : seedAdmin(sim).adminToken;
  process.stdout.write(`${JSON.stringify({url: sim.url, admin_token: adminToken})}\n`);
  const stop = (): void => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`mattermost simulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
