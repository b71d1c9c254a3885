// startAwsSim: IAM, STS, Organizations, CloudTrail and IAM Identity Center on one 127.0.0.1 endpoint, for tests,
// the benchmark and `offboard sandbox`. Runtime knobs (latency, concurrency, page cap, throttling, injected faults,
// random 500s and hangs, denied actions) and a request counter; seeding goes through ops.ts.
import type {AddressInfo} from 'node:net';
import type {SimKnobs} from './context.js';
import type {AwsSimError} from './errors.js';
import {SimOps} from './ops.js';
import {createSimServer, type Fault, type RequestRecord, type SimRuntime} from './server.js';
import {SimState} from './state.js';
import {seededRandom} from '../support/prng.js';

export interface AwsSimOptions {
  readonly latencyMs?: number;
  readonly maxConcurrent?: number;
  readonly pageCap?: number;
  readonly throttle?: {ratePerSecond: number; burst: number} | null;
  readonly closureDelayMs?: number;
  readonly concurrentClosures?: number;
  readonly ssoDeletionPolls?: number;
  readonly errorRate?: number;
  readonly timeoutRate?: number;
  /** Seed of the PRNG behind errorRate and timeoutRate. */
  readonly seed?: number;
  /** The simulator's clock (CloudTrail retention, credential expiry, closure timing). */
  readonly now?: () => number;
}

export interface FaultSpec {
  readonly count: number;
  readonly service?: 'iam' | 'sts' | 'organizations' | 'cloudtrail' | 'identitystore' | 'sso-admin';
  readonly action?: string;
  readonly account?: string;
  readonly error: 'throttle' | 'internal' | AwsSimError;
  /** Runs when the fault fires, to model a change someone else made at that moment. */
  readonly sideEffect?: () => void;
}

export interface AwsSim extends SimOps {
  /** The one endpoint for every service, e.g. http://127.0.0.1:41234. */
  readonly url: string;
  readonly knobs: SimKnobs;
  /** Requests received (counted before authentication), per `service:Action`, and the last answers. */
  readonly stats: {readonly calls: number; readonly byAction: ReadonlyMap<string, number>;
    readonly log: readonly RequestRecord[]};
  count(serviceAction: string): number;
  resetStats(): void;
  setLatency(ms: number): void;
  setMaxConcurrent(n: number): void;
  setPageCap(n: number): void;
  setThrottle(rule: {ratePerSecond: number; burst: number} | null): void;
  /** Random 500s and hangs, as shares of all requests (0..1). */
  setFaultRates(rates: {errorRate?: number; timeoutRate?: number}): void;
  /** The next `count` matching requests fail with `error` (after authentication, like a real throttle). */
  failNext(fault: FaultSpec): void;
  /** Requests of `account` for `service:Action` (e.g. `iam:DeleteUser`) are refused with AccessDenied. */
  deny(accountId: string, action: string): void;
  allow(accountId: string, action: string): void;
  close(): Promise<void>;
}

export async function startAwsSim(options: AwsSimOptions = {}): Promise<AwsSim> {
  const state = new SimState(options.now ?? (() => Date.now()));
  const knobs: SimKnobs = {
    latencyMs: options.latencyMs ?? 0,
    maxConcurrent: options.maxConcurrent ?? Infinity,
    pageCap: options.pageCap ?? Infinity,
    throttle: options.throttle ?? null,
    closureDelayMs: options.closureDelayMs ?? 1000,
    concurrentClosures: options.concurrentClosures ?? 3,
    ssoDeletionPolls: options.ssoDeletionPolls ?? 1,
    errorRate: options.errorRate ?? 0,
    timeoutRate: options.timeoutRate ?? 0,
    random: seededRandom(options.seed ?? 1),
  };
  const faults: Fault[] = [];
  const stats = {calls: 0, byAction: new Map<string, number>(), log: [] as RequestRecord[]};
  const runtime: SimRuntime = {state, knobs, faults, denied: new Set(), stats};
  const server = createSimServer(runtime);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const {port} = server.address() as AddressInfo;
  const ops = new SimOps(state);
  const sim = Object.assign(ops, {
    url: `http://127.0.0.1:${port}`,
    knobs,
    stats,
    count: (key: string) => stats.byAction.get(key) ?? 0,
    resetStats() {
      stats.calls = 0;
      stats.byAction.clear();
      stats.log.length = 0;
    },
    setLatency(ms: number) {
      knobs.latencyMs = ms;
    },
    setMaxConcurrent(n: number) {
      knobs.maxConcurrent = n;
    },
    setPageCap(n: number) {
      knobs.pageCap = n;
    },
    setThrottle(rule: {ratePerSecond: number; burst: number} | null) {
      knobs.throttle = rule;
    },
    setFaultRates(rates: {errorRate?: number; timeoutRate?: number}) {
      knobs.errorRate = rates.errorRate ?? knobs.errorRate;
      knobs.timeoutRate = rates.timeoutRate ?? knobs.timeoutRate;
    },
    failNext(f: FaultSpec) {
      faults.push({remaining: f.count, error: f.error, ...(f.service ? {service: f.service} : {}),
        ...(f.action ? {action: f.action} : {}), ...(f.account ? {account: f.account} : {}),
        ...(f.sideEffect ? {sideEffect: f.sideEffect} : {})});
    },
    deny(accountId: string, action: string) {
      runtime.denied.add(`${accountId}:${action}`);
    },
    allow(accountId: string, action: string) {
      runtime.denied.delete(`${accountId}:${action}`);
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  });
  return sim as AwsSim;
}
