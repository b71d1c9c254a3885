// CLI: `node --import tsx test/aws_sim/main.ts [--seed sandbox] [--latency MS]`. Serves the simulator on 127.0.0.1,
// prints one JSON line with its URL and the `providers.aws` section to use (Dana's organization with --seed sandbox,
// an empty organization otherwise), and runs until SIGINT/SIGTERM.
import {parseArgs} from 'node:util';
import {seedAwsOrg} from './seed.js';
import {startAwsSim} from './sim.js';

async function main(): Promise<void> {
  const {values} = parseArgs({options: {seed: {type: 'string'}, latency: {type: 'string'}}, strict: true});
  if (values.seed !== undefined && values.seed !== 'sandbox') {
    throw new Error(`unknown seed "${values.seed}" (known: sandbox)`);
  }
  const latency = values.latency === undefined ? 0 : Number(values.latency);
  if (!Number.isInteger(latency) || latency < 0) {
    throw new Error(`--latency must be a whole number of ms, got "${values.latency}"`);
  }
  const sim = await startAwsSim({latencyMs: latency});
  let aws: Record<string, unknown>;
  if (values.seed === 'sandbox') {
    aws = seedAwsOrg(sim).config;
  } else {
    const {credentials} = sim.createOrganization({managementAccountId: '100000000000', email: 'aws-root@example.com'});
    aws = {endpoint_url: sim.url, region: 'us-east-1', access_key_id: credentials.accessKeyId,
      secret_access_key: credentials.secretAccessKey};
  }
  process.stdout.write(`${JSON.stringify({url: sim.url, aws})}\n`);
  const stop = (): void => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`aws simulator: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
