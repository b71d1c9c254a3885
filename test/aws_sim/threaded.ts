// startAwsSimThread: the simulator, seeded, in a worker thread (see worker_main.ts). Only what a benchmark needs crosses
// the thread boundary: the URL, the seed summary, latency, the request counter and close.
import type {EventLoopUtilization} from 'node:perf_hooks';
import {Worker} from 'node:worker_threads';
import type {AwsOrgSeedOptions, SeededAwsOrg} from './seed.js';
import type {AwsSimOptions} from './sim.js';

export interface ThreadedAwsSim {
  readonly url: string;
  readonly seeded: SeededAwsOrg;
  /** Every account id, management first. */
  readonly accounts: readonly string[];
  setLatency(ms: number): Promise<void>;
  /** Requests received so far. */
  calls(): Promise<number>;
  /** The simulator thread's event-loop utilization (its busy time), as performance.eventLoopUtilization() has it. */
  utilization(since?: EventLoopUtilization): EventLoopUtilization;
  close(): Promise<void>;
}

/** The worker loads TypeScript through tsx (a dev dependency), so this runs under plain node as well. */
export async function startAwsSimThread(options: AwsSimOptions, seed: AwsOrgSeedOptions): Promise<ThreadedAwsSim> {
  const worker = new Worker(new URL('./worker.mjs', import.meta.url), {workerData: {options, seed}});
  const next = (): Promise<Record<string, unknown>> => new Promise((resolve, reject) => {
    const onError = (e: unknown) => reject(e);
    worker.once('error', onError);
    worker.once('message', (m: Record<string, unknown>) => {
      worker.off('error', onError);
      resolve(m);
    });
  });
  const ready = await next();
  const ask = async (cmd: Record<string, unknown>): Promise<number> => {
    const answer = next();
    worker.postMessage(cmd);
    return (await answer)['calls'] as number;
  };
  return {
    url: ready['url'] as string,
    seeded: ready['seeded'] as SeededAwsOrg,
    accounts: ready['accounts'] as string[],
    setLatency: async (ms) => {
      await ask({op: 'setLatency', ms});
    },
    calls: () => ask({op: 'stats'}),
    utilization: (since) => worker.performance.eventLoopUtilization(since),
    close: async () => {
      await ask({op: 'close'});
      await worker.terminate();
    },
  };
}
