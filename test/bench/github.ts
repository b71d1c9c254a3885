// `npm run bench -- github`: offboarding one person from a 10,000-repository organization on the GitHub simulator
// (50 ms per request; GitHub's limits: 100 concurrent requests, 900 points per minute and REST endpoint, 2,000 for
// GraphQL, 80 content writes per minute). The person is a member in 20 teams with direct grants on 300 repositories.
//
// wall_ms: resolve → discover → plan → execute (each step: execute, then verify, a phase's steps side by side, the
// provider's real limiter) until every automatic step is verified. calls: requests the simulator answered meanwhile.
//
// lower_bound_ms = L × Σ rounds, L = 50 ms; a round is one request latency, and n independent requests take
// ceil(n / C) rounds with C = 100 (the concurrency cap). Requests that need an earlier answer start a new round:
//   1  mint the App installation token
//   1  resolve: the SAML identity by email
//   1  discover, everything that needs only the login (membership, teams, invitations, authorizations, token grants,
//      forks, enterprise repository invitations, first repository page)
//   ceil((P − 1) / C)  the other repository pages, P = ceil(R / 100)
//   ceil(B / C)        the access batches, B = ceil(R / 100) GraphQL queries of 100 repositories
//   ceil(K / C)        deploy-key lists of the K repositories that have keys
//   3  contain (read, revoke, verify), 3  revoke (read, remove, verify), 2  cleanup (the sweep reads and verifies: the
//      organization removal already took the direct grants)
// plus the time the write limits force (here 0: 6 writes against 180 DELETEs and 80 content writes per minute).
// With R = 10,000 and K = 40 that is 14 rounds = 700 ms.
//
// client_busy_ms / sim_busy_ms (diagnostics): how long the client's event loop and the simulator's thread were busy
// during the measured run (event-loop utilization). The bound counts latency only; on a small machine the gap between
// wall_ms and lower_bound_ms is CPU time (the simulator runs the 100 GraphQL batches one after another).
// inventory_ms, inventory_lower_bound_ms, inventory_client_busy_ms, inventory_sim_busy_ms: the same up to the plan
// (token, resolve, discover: the first 6 rounds), where the simulator's serial GraphQL work sits on the critical path.
//
// baseline_wall_ms: the script an admin writes today, sequentially on the same simulator (re-seeded) in this process:
// list the repositories, list each one's collaborators, remove the person where found; it honours Retry-After.
import {performance} from 'node:perf_hooks';
import {buildPlan} from '../../server/src/engine/plan.js';
import type {Limiter, Logger, ProviderContext, StepSpec, Subject} from '../../server/src/engine/types.js';
import {PHASES} from '../../server/src/engine/types.js';
import {createLimiter} from '../../server/src/limits.js';
import {configSchema, type GithubConfig} from '../../server/src/providers/github/config.js';
import {githubProvider} from '../../server/src/providers/github/index.js';
import type {SeededGithub} from '../github_sim/index.js';
import {type GithubSimThread, startGithubSimThread} from '../github_sim/thread.js';

const LATENCY_MS = 50;
const REPOS = 10_000;
const DIRECT_GRANTS = 300;
const TEAMS = 20;
const CONCURRENCY = 100;
const WARM_UP_RUNS = 2;

const silent: Logger = {debug() {}, info() {}, warn() {}, error() {}, child: () => silent};
const clock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** The bound's rounds up to the plan: the token, resolve, and discover (see the header). */
function inventoryRounds(repos: number, reposWithKeys: number): number {
  const pages = Math.ceil(repos / 100);
  return 1 + 1 + 1 + Math.ceil((pages - 1) / CONCURRENCY) + Math.ceil(pages / CONCURRENCY)
    + Math.ceil(reposWithKeys / CONCURRENCY);
}

export function lowerBoundMs(repos: number, reposWithKeys: number): number {
  return (inventoryRounds(repos, reposWithKeys) + 3 + 3 + 2) * LATENCY_MS;
}

/** Wall time (ms) of one offboarding, and of its inventory (resolve, discover, plan) with both sides' busy time. */
export interface Timings {
  readonly wallMs: number;
  readonly inventoryMs: number;
  readonly inventoryBusy: {readonly client: number; readonly sim: number};
}

/** Resolve, discover, plan, then each phase's automatic steps side by side, each executed and then verified. */
export async function offboard(sim: GithubSimThread, seed: SeededGithub, subject: Subject, limiter: Limiter): Promise<Timings> {
  const config: GithubConfig = configSchema.parse({
    base_url: sim.url, orgs: seed.orgs, enterprise: seed.enterprise,
    app: {app_id: seed.app.appId, private_key: seed.app.privateKeyPem, installation_ids: seed.app.installations},
  });
  const ctx: ProviderContext<GithubConfig> = {config, log: silent, clock, signal: new AbortController().signal, limiter};
  const start = performance.now();
  const client = performance.eventLoopUtilization();
  const server = sim.utilization();
  const identities = await githubProvider.resolve(ctx, subject);
  const findings = (await Promise.all(identities.map((i) => githubProvider.discover(ctx, i)))).flat();
  const steps = buildPlan({providers: [githubProvider], findings: new Map([['github', findings]]),
    identities: new Map([['github', identities]]), options: {github: {}}});
  const inventoryMs = performance.now() - start;
  const inventoryBusy = {client: performance.eventLoopUtilization(client).active, sim: sim.utilization(server).active};
  for (const phase of PHASES) {
    const batch = steps.filter((s: StepSpec) => s.phase === phase && s.kind === 'auto');
    await Promise.all(batch.map(async (step) => {
      await githubProvider.execute(ctx, step);
      const v = await githubProvider.verify(ctx, step);
      if (!v.ok) throw new Error(`${step.id} did not verify: ${v.reason ?? ''}`);
    }));
  }
  return {wallMs: performance.now() - start, inventoryMs, inventoryBusy};
}

export const person = (seed: SeededGithub, username: string): Subject =>
  ({userId: `mm-${username}`, username, email: seed.subject.email, displayName: username, roles: [], isBot: false});

/**
 * The measured run, after unmeasured ones on the sandbox organization and on the full organization: the service is
 * long-running, so no timed run should pay for loading Octokit and compiling its hot paths (nor the simulator's).
 */
export async function runProvider(sim: GithubSimThread, limiter: Limiter = createLimiter(githubProvider.limits)):
  Promise<Timings & {calls: number; keys: number; busy: {client: number; sim: number}}> {
  const sandbox = await sim.seedSandbox();
  await offboard(sim, sandbox, person(sandbox, 'dana'), limiter);
  for (let i = 0; i < WARM_UP_RUNS; i++) {
    await sim.reset();
    const warm = await sim.seedBench({repos: REPOS, directGrants: DIRECT_GRANTS, teams: TEAMS});
    // Its own limiter, hence its own clients: the reset revoked the installation token they hold.
    await offboard(sim, warm, person(warm, 'jordan'), createLimiter(githubProvider.limits));
  }
  await sim.reset();
  const seed = await sim.seedBench({repos: REPOS, directGrants: DIRECT_GRANTS, teams: TEAMS});
  await sim.clearRequests();
  const client = performance.eventLoopUtilization();
  const server = sim.utilization();
  const timings = await offboard(sim, seed, person(seed, 'jordan'), limiter);
  const busy = {client: performance.eventLoopUtilization(client).active, sim: sim.utilization(server).active};
  const stats = await sim.stats();
  const left = await sim.accessLeft('bigcorp', seed.subject.login);
  if (left.member || left.directGrants > 0 || left.invitations > 0) throw new Error(`access left after the run: ${JSON.stringify(left)}`);
  if (stats.secondaryHits > 0 || stats.primaryHits > 0) throw new Error(`the run tripped rate limits: ${JSON.stringify(stats)}`);
  return {...timings, calls: stats.requests, keys: await sim.reposWithDeployKeys('bigcorp'), busy};
}

/** The straightforward admin script: sequential, plain HTTP, waits out Retry-After. */
export async function runBaseline(sim: GithubSimThread): Promise<number> {
  await sim.reset();
  const seed = await sim.seedBench({repos: REPOS, directGrants: DIRECT_GRANTS, teams: TEAMS});
  const token = await sim.issueInstallationToken('bigcorp', seed.app.installations['bigcorp'] as number);
  const call = async (method: string, url: string): Promise<Response> => {
    for (;;) {
      const res = await fetch(url, {method, headers: {authorization: `token ${token}`, accept: 'application/vnd.github+json'}});
      if (res.status !== 403 && res.status !== 429) return res;
      await res.arrayBuffer();
      await clock.sleep(Number(res.headers.get('retry-after') ?? 60) * 1000);
    }
  };
  const next = (res: Response): string | undefined => /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
  const start = performance.now();
  let url: string | undefined = `${sim.url}/orgs/bigcorp/repos?per_page=100`;
  const repos: string[] = [];
  while (url) {
    const res = await call('GET', url);
    repos.push(...(await res.json() as {name: string}[]).map((r) => r.name));
    url = next(res);
  }
  for (const repo of repos) {
    let page: string | undefined = `${sim.url}/repos/bigcorp/${repo}/collaborators?per_page=100&affiliation=direct`;
    while (page) {
      const res = await call('GET', page);
      const people = await res.json() as {login: string}[];
      if (people.some((p) => p.login === seed.subject.login)) {
        await (await call('DELETE', `${sim.url}/repos/bigcorp/${repo}/collaborators/${seed.subject.login}`)).arrayBuffer();
      }
      page = next(res);
    }
  }
  return performance.now() - start;
}

export default async function githubBench(): Promise<Record<string, unknown> & {scenario: string}> {
  const sim = await startGithubSimThread({latencyMs: LATENCY_MS});
  try {
    const run = await runProvider(sim);
    const baseline = await runBaseline(sim);
    return {
      scenario: 'github', wall_ms: Math.round(run.wallMs), calls: run.calls, lower_bound_ms: lowerBoundMs(REPOS, run.keys),
      baseline_wall_ms: Math.round(baseline), client_busy_ms: Math.round(run.busy.client),
      sim_busy_ms: Math.round(run.busy.sim), inventory_ms: Math.round(run.inventoryMs),
      inventory_lower_bound_ms: inventoryRounds(REPOS, run.keys) * LATENCY_MS,
      inventory_client_busy_ms: Math.round(run.inventoryBusy.client), inventory_sim_busy_ms: Math.round(run.inventoryBusy.sim),
    };
  } finally {
    await sim.close();
  }
}
