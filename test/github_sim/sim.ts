// startGithubSim: a stateful GitHub (REST + GraphQL) on 127.0.0.1 for tests, benchmarks and `offboard sandbox`.
import type {ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {APP_ROUTES} from './auth.js';
import {githubSchema} from './graphql_schema.js';
import {GITHUB_LIMITS, type RateLimitConfig, RateLimits} from './rate_limit.js';
import type {Handler} from './route_kit.js';
import {ORG_ROUTES} from './routes_org.js';
import {REPO_ROUTES} from './routes_repo.js';
import {createSimServer, type FaultOptions, type Knobs, type RequestInfo, type RequestLogEntry, type ScriptedFailure, type ServerDeps} from './server.js';
import {loadSpec} from './spec.js';
import {SimState} from './state.js';
import {seededRandom} from '../support/prng.js';

export interface GithubSimOptions {
  /** Added before answering each request (network plus server time). */
  readonly latencyMs?: number;
  /** Overrides of GitHub's documented limits (tests shorten windows or lower caps). */
  readonly limits?: Partial<RateLimitConfig>;
  readonly faults?: FaultOptions;
  /** Seed of the PRNG behind the fault knobs. */
  readonly seed?: number;
}

export interface GithubSim {
  /** Base URL of the REST API (also the GraphQL endpoint's origin: `${url}/graphql`). */
  readonly url: string;
  readonly state: SimState;
  readonly limits: RateLimits;
  /** Every request in the order answered. */
  readonly requests: readonly RequestLogEntry[];
  /** Requests that change state: anything but GET/HEAD, GraphQL queries and minting an installation token. */
  mutations(): RequestLogEntry[];
  clearRequests(): void;
  setLatency(ms: number): void;
  setFaults(faults: FaultOptions): void;
  setLimits(limits: Partial<RateLimitConfig>): void;
  /** The next matching requests fail this way, in order. */
  scriptFailures(...failures: ScriptedFailure[]): void;
  /** Runs before each REST handler (after validation and limits): tests stage races here. */
  beforeHandle(fn: ((info: RequestInfo) => void) | undefined): void;
  close(): Promise<void>;
}

const ROUTES: Readonly<Record<string, Handler>> = {...ORG_ROUTES, ...REPO_ROUTES, ...APP_ROUTES};

const normalizeFaults = (f: FaultOptions = {}): Required<FaultOptions> =>
  ({status5xxRate: f.status5xxRate ?? 0, timeoutRate: f.timeoutRate ?? 0});

export async function startGithubSim(options: GithubSimOptions = {}): Promise<GithubSim> {
  // The spec loads in its worker while this thread builds the GraphQL schema.
  const specLoading = loadSpec();
  githubSchema();
  const spec = await specLoading;
  const state = new SimState();
  const limits = new RateLimits({...GITHUB_LIMITS, ...options.limits});
  const knobs: Knobs = {
    latencyMs: options.latencyMs ?? 0, faults: normalizeFaults(options.faults), scripted: [],
    random: seededRandom(options.seed ?? 1), beforeHandle: undefined,
  };
  const log: RequestLogEntry[] = [];
  const hung = new Set<ServerResponse>();
  const deps: ServerDeps = {state, spec, limits, routes: ROUTES, knobs, log, hung, base: ''};
  const server = createSimServer(deps);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  deps.base = url;
  state.base = url;

  return {
    url, state, limits, requests: log,
    mutations: () => log.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && !r.operationId.startsWith('graphql')
      && r.operationId !== 'apps/create-installation-access-token'),
    clearRequests: () => void log.splice(0, log.length),
    setLatency: (ms) => void (knobs.latencyMs = ms),
    setFaults: (f) => void (knobs.faults = normalizeFaults(f)),
    setLimits: (l) => {
      limits.config = {...limits.config, ...l};
      limits.reset();
    },
    scriptFailures: (...failures) => void knobs.scripted.push(...failures),
    beforeHandle: (fn) => void (knobs.beforeHandle = fn),
    close: async () => {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
