// The GitHub simulator in a worker thread, for benchmarks: the simulator's own CPU work (GraphQL execution, JSON)
// then runs on another core instead of the client's event loop, as GitHub's would on GitHub's machines. Its state is
// reached through commands (see thread_worker.ts); tests use the in-thread simulator (sim.ts) instead.
import type {EventLoopUtilization} from 'node:perf_hooks';
import {Worker} from 'node:worker_threads';
import type {BenchOrgOptions, SeededBench, SeededGithub} from './seed.js';
import type {GithubSimOptions} from './sim.js';

export interface GithubSimThread {
  readonly url: string;
  seedBench(options: BenchOrgOptions): Promise<SeededBench>;
  seedSandbox(): Promise<SeededGithub>;
  /** Forgets all state, counters and limits. */
  reset(): Promise<void>;
  clearRequests(): Promise<void>;
  /** The request log: arrival time, operation and status of each request. */
  requests(): Promise<{at: number; operationId: string; status: number}[]>;
  stats(): Promise<{requests: number; secondaryHits: number; primaryHits: number}>;
  accessLeft(org: string, login: string): Promise<{member: boolean; directGrants: number; invitations: number}>;
  issueInstallationToken(org: string, installationId: number): Promise<string>;
  reposWithDeployKeys(org: string): Promise<number>;
  /** The simulator thread's event-loop utilization (its busy time), as performance.eventLoopUtilization() has it. */
  utilization(since?: EventLoopUtilization): EventLoopUtilization;
  close(): Promise<void>;
}

export async function startGithubSimThread(options: GithubSimOptions = {}): Promise<GithubSimThread> {
  const worker = new Worker(new URL('./thread_entry.mjs', import.meta.url), {workerData: options});
  const pending = new Map<number, {resolve: (v: unknown) => void; reject: (e: Error) => void}>();
  let nextId = 0;
  const url = await new Promise<string>((resolve, reject) => {
    worker.on('message', (msg: {ready?: string; id?: number; result?: unknown; error?: string}) => {
      if (msg.ready !== undefined) return resolve(msg.ready);
      const waiter = pending.get(msg.id ?? -1);
      pending.delete(msg.id ?? -1);
      if (msg.error !== undefined) waiter?.reject(new Error(msg.error));
      else waiter?.resolve(msg.result);
      return undefined;
    });
    worker.on('error', (e) => {
      reject(e);
      for (const w of pending.values()) w.reject(e);
      pending.clear();
    });
  });
  const call = <T>(command: string, ...args: unknown[]): Promise<T> => new Promise<T>((resolve, reject) => {
    const id = nextId++;
    pending.set(id, {resolve: resolve as (v: unknown) => void, reject});
    worker.postMessage({id, command, args});
  });
  return {
    url,
    seedBench: (o) => call('seedBench', o),
    seedSandbox: () => call('seedSandbox'),
    reset: () => call('reset'),
    clearRequests: () => call('clearRequests'),
    requests: () => call('requests'),
    stats: () => call('stats'),
    accessLeft: (org, login) => call('accessLeft', org, login),
    issueInstallationToken: (org, id) => call('issueInstallationToken', org, id),
    reposWithDeployKeys: (org) => call('reposWithDeployKeys', org),
    utilization: (since) => worker.performance.eventLoopUtilization(since),
    close: async () => {
      await call('close');
      await worker.terminate();
    },
  };
}
