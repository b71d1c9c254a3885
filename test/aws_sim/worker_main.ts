// Worker-thread body of the simulator (loaded by worker.mjs): runs startAwsSim + seedAwsOrg off the caller's thread, so a benchmark
// measures the client's CPU and not the simulator's. Controlled by messages from threaded.ts.
import {parentPort, workerData} from 'node:worker_threads';
import {seedAwsOrg, type AwsOrgSeedOptions} from './seed.js';
import {startAwsSim, type AwsSimOptions} from './sim.js';

interface Boot {
  readonly options: AwsSimOptions;
  readonly seed: AwsOrgSeedOptions;
}

type Command = {op: 'setLatency'; ms: number} | {op: 'stats'} | {op: 'close'};

const port = parentPort;
if (!port) throw new Error('aws sim worker: no parent port');
const boot = workerData as Boot;
const sim = await startAwsSim(boot.options);
const seeded = seedAwsOrg(sim, boot.seed);
port.postMessage({op: 'ready', url: sim.url, seeded: {...seeded}, accounts: [...sim.state.accounts.keys()]});
port.on('message', (cmd: Command) => {
  void (async () => {
    if (cmd.op === 'setLatency') sim.setLatency(cmd.ms);
    if (cmd.op === 'close') await sim.close();
    port.postMessage({op: 'ack', calls: sim.stats.calls});
    if (cmd.op === 'close') port.close();
  })();
});
