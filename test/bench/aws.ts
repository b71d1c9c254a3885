// `npm run bench -- aws`: an organization of 100 accounts where the person has an IAM user with a full set of
// dependents in 10 of them; 30 ms latency per request. Measures the whole AWS offboarding — resolve (every account),
// discover, plan, and the teardown with the engine's semantics (phase by phase, dependencies first, execute then
// verify; see runPlan) until every step is verified — and the same teardown done account by account, one request at a
// time, as the baseline. The simulator runs in a worker thread so its CPU is not charged to the provider; two
// unmeasured warm-up runs come first (a long-running service has its SDK code compiled).
//
// lower_bound_ms = L × max(D, ceil(N / C)), where L is the latency, C the simulator's concurrency (requests it serves
// at once), N the calls the run made — 945, each one needed: GetCallerIdentity, 5 ListAccounts pages, 99 AssumeRole,
// 100 GetAccountAuthorizationDetails, 100 LookupEvents (keys made for others), 100 ListTagsForResource (owned
// accounts), and per IAM user 8 discovery reads, 9 contain calls (3 steps × read, change, verify), 25 revoke calls
// (12 dependents × change, verify; the MFA device needs two changes) and 12 for DeleteUser (9 dependent lists, the
// policy, the user, the proof) — and D the longest chain of calls that must follow one another:
//   D = ceil(A / 20)      ListAccounts pages (20 accounts each; the last page's accounts are unknown before it)
//     + 1 + 1             AssumeRole into the account, then GetAccountAuthorizationDetails (users with their tags)
//     + 2                 discover: ListAccessKeys, then GetAccessKeyLastUsed for each key
//     + 3                 contain (the deny-all policy, key deactivation): read (so a repeat is already_done),
//                         change, verify — and every step of the contain phase ends before any revoke step starts
//     + 3                 revoke: DeactivateMFADevice, then DeleteVirtualMFADevice (AWS's order), then verify
//     + 4                 cleanup: read every dependent (containment is lifted only when nothing else is left),
//                         DeleteUserPolicy (the deny-all), DeleteUser, verify with GetUser
// Calls inside one link run concurrently (lists, per-account work, steps of one phase); CPU time is not in the bound.
// client_busy_ms / sim_busy_ms (diagnostics): how long the client's event loop and the simulator's thread were busy
// during the measured run (event-loop utilization): the gap between wall_ms and lower_bound_ms is the client's CPU
// (the SDK signs, serializes and parses every request) that the latency of a phase's burst does not hide.
// inventory_ms / inventory_lower_bound_ms / inventory_client_busy_ms: the same for resolve, discover and plan alone
// (the first 9 links above, about 485 calls): where the client's CPU exceeds the bound, it is on the critical path.
// wall_ms paces requests with the engine's limiter (server/src/limits.ts), as the service does. The baseline runs
// the same provider code with one account per run and one request at a time, on a fresh simulator with the same
// seed, through the engine's limiter.
import {performance} from 'node:perf_hooks';
import {buildPlan} from '../../server/src/engine/plan.js';
import type {
  Finding, Identity, Limiter, Logger, ProviderContext, StepSpec, Subject,
} from '../../server/src/engine/types.js';
import {PHASES} from '../../server/src/engine/types.js';
import {systemClock} from '../../server/src/clock.js';
import {createLimiter} from '../../server/src/limits.js';
import {awsProvider, clearAwsSessions} from '../../server/src/providers/aws/index.js';
import {awsSectionSchema, type AwsConfig} from '../../server/src/providers/aws/config.js';
import {Semaphore} from '../../server/src/providers/aws/pacing.js';
import {DANA} from '../aws_sim/index.js';
import {startAwsSimThread, type ThreadedAwsSim} from '../aws_sim/threaded.js';

const ACCOUNTS = 100;
const PERSON_ACCOUNTS = 10;
const LATENCY_MS = 30;
const SIM_CONCURRENCY = 256;
const WARM_UP_RUNS = 2;

const silent: Logger = {debug() {}, info() {}, warn() {}, error() {}, child: () => silent};
const SUBJECT: Subject = {userId: 'dana00000000000000000000uid', username: DANA.username, email: DANA.email,
  displayName: DANA.displayName, roles: ['system_user'], isBot: false};

export async function seeded(accounts: number, personAccounts: number): Promise<{sim: ThreadedAwsSim; config: AwsConfig}> {
  const sim = await startAwsSimThread({maxConcurrent: SIM_CONCURRENCY}, {accounts, personAccounts, naming: 'tagged',
    identityCenter: false, ownedAccounts: 0, serviceKeys: 0, otherUsersPerAccount: 3});
  return {sim, config: awsSectionSchema.parse(sim.seeded.config)};
}

function context(config: AwsConfig, limiter: Limiter): ProviderContext<AwsConfig> {
  return {config, log: silent, clock: systemClock, signal: new AbortController().signal, limiter};
}

async function inventoryAndPlan(ctx: ProviderContext<AwsConfig>): Promise<StepSpec[]> {
  const identities: Identity[] = await awsProvider.resolve(ctx, SUBJECT);
  const findings: Finding[] = (await Promise.all(identities.filter((i) => i.confidence === 'exact')
    .map((i) => awsProvider.discover(ctx, i)))).flat();
  return buildPlan({providers: [awsProvider], findings: new Map([['aws', findings]]),
    identities: new Map([['aws', identities]]), options: {aws: {}}});
}

/**
 * The engine's execution semantics without its store: phases in order (a phase starts when the previous one ended),
 * within a phase every step whose dependencies succeeded starts at once (up to the provider's concurrency), and each
 * step is execute() then verify(), as the Executor's step runner does.
 */
async function runPlan(ctx: ProviderContext<AwsConfig>, specs: readonly StepSpec[]): Promise<void> {
  const slots = new Semaphore(awsProvider.limits.concurrency);
  for (const phase of PHASES) {
    const steps = specs.filter((s) => s.phase === phase && s.kind === 'auto');
    const byId = new Map(steps.map((s) => [s.id, s]));
    const running = new Map<string, Promise<void>>();
    const start = (step: StepSpec): Promise<void> => {
      let p = running.get(step.id);
      if (!p) {
        p = (async () => {
          await Promise.all(step.dependsOn.filter((d) => byId.has(d)).map((d) => start(byId.get(d) as StepSpec)));
          await slots.run(async () => {
            await awsProvider.execute(ctx, step);
            const proof = await awsProvider.verify(ctx, step);
            if (!proof.ok) throw new Error(`${step.id} not verified: ${proof.reason ?? ''}`);
          });
        })();
        running.set(step.id, p);
      }
      return p;
    };
    await Promise.all(steps.map(start));
  }
}

/** Wall times (ms) of one offboarding, and the client's busy time while it took its inventory. */
export interface Timings {
  readonly wallMs: number;
  readonly inventoryMs: number;
  readonly inventoryBusyMs: number;
}

/** Inventory, plan and the run of every automatic step, timed from the first request to the last. */
export async function offboard(config: AwsConfig, limiter: Limiter): Promise<Timings> {
  const ctx = context(config, limiter);
  const started = performance.now();
  const busy = performance.eventLoopUtilization();
  const specs = await inventoryAndPlan(ctx);
  const inventoryMs = performance.now() - started;
  const inventoryBusyMs = performance.eventLoopUtilization(busy).active;
  await runPlan(ctx, specs);
  return {wallMs: performance.now() - started, inventoryMs, inventoryBusyMs};
}

/** The same teardown, one account at a time and one request at a time. */
async function baseline(config: AwsConfig, accountIds: readonly string[]): Promise<number> {
  const sequential = createLimiter({...awsProvider.limits, concurrency: 1});
  const started = performance.now();
  for (const id of accountIds) {
    const ctx = context({...config, account_source: 'list', account_ids: [id]}, sequential);
    for (const step of (await inventoryAndPlan(ctx)).filter((s) => s.kind === 'auto')) {
      await awsProvider.execute(ctx, step);
      const proof = await awsProvider.verify(ctx, step);
      if (!proof.ok) throw new Error(`baseline: ${step.id} not verified: ${proof.reason ?? ''}`);
    }
  }
  return performance.now() - started;
}

export default async function awsBench(): Promise<Record<string, unknown> & {scenario: string}> {
  // Warm-up runs (not measured) on the full organization: the service is long-running, so no timed run should pay
  // for loading the SDK and compiling its hot paths.
  for (let i = 0; i < WARM_UP_RUNS; i++) {
    const warm = await seeded(ACCOUNTS, PERSON_ACCOUNTS);
    clearAwsSessions();
    await offboard(warm.config, createLimiter(awsProvider.limits));
    await warm.sim.close();
  }

  const measure = async (limiter: Limiter) => {
    const s = await seeded(ACCOUNTS, PERSON_ACCOUNTS);
    await s.sim.setLatency(LATENCY_MS);
    clearAwsSessions();
    const client = performance.eventLoopUtilization();
    const server = s.sim.utilization();
    const timings = await offboard(s.config, limiter);
    const busy = {client: performance.eventLoopUtilization(client).active, sim: s.sim.utilization(server).active};
    const calls = await s.sim.calls();
    await s.sim.close();
    return {...timings, calls, accounts: s.sim.accounts, busy};
  };
  const engine = await measure(createLimiter(awsProvider.limits));

  const inventoryChain = Math.ceil(ACCOUNTS / 20) + 2 + 2;
  const chain = inventoryChain + 3 + 3 + 4;
  const lowerBoundMs = LATENCY_MS * Math.max(chain, Math.ceil(engine.calls / SIM_CONCURRENCY));

  const base = await seeded(ACCOUNTS, PERSON_ACCOUNTS);
  await base.sim.setLatency(LATENCY_MS);
  clearAwsSessions();
  const baselineMs = await baseline(base.config, engine.accounts);
  await base.sim.close();
  return {
    scenario: 'aws', wall_ms: Math.round(engine.wallMs), calls: engine.calls, lower_bound_ms: lowerBoundMs,
    baseline_wall_ms: Math.round(baselineMs), client_busy_ms: Math.round(engine.busy.client),
    sim_busy_ms: Math.round(engine.busy.sim), inventory_ms: Math.round(engine.inventoryMs),
    inventory_lower_bound_ms: LATENCY_MS * inventoryChain, inventory_client_busy_ms: Math.round(engine.inventoryBusyMs),
  };
}
