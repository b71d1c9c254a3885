// Test fixture for this provider's suites: a seeded GitHub simulator, provider contexts (App or token), and helpers
// that run a checklist the way the executor does (phase by phase, a phase's steps side by side, execute then verify).
import {buildPlan} from '../../engine/plan.js';
import type {
  Finding, Identity, JsonObject, Limiter, Logger, ProviderContext, RateLimitPolicy, StepOutcome, StepSpec, Subject,
  VerifyResult,
} from '../../engine/types.js';
import {PHASES} from '../../engine/types.js';
import {createLimiter} from '../../limits.js';
import {seedGithubOrg, startGithubSim} from '../../../../test/github_sim/index.js';
import type {GithubSim, GithubSimOptions, SandboxOptions, SeededGithub} from '../../../../test/github_sim/index.js';
import {configSchema, type GithubConfig} from './config.js';
import {githubProvider} from './index.js';

export const silentLog: Logger = {debug() {}, info() {}, warn() {}, error() {}, child() {
  return silentLog;
}};

/** The provider's real limits, with a deeper bucket so suites are not paced by the per-minute allowance. */
export const TEST_LIMITS: RateLimitPolicy = {...githubProvider.limits, requestsPerSecond: 2000, burst: 2000};

export const realClock = {
  now: () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal) => new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason ?? new Error('aborted'));
    }, {once: true});
  }),
};

/** Dana as the Mattermost seed has her. */
export const DANA: Subject = {
  userId: 'dana0000000000000000000000', username: 'dana', email: 'dana@example.com', displayName: 'Dana Whitfield',
  roles: ['system_user'], isBot: false,
};

export interface Fixture {
  readonly sim: GithubSim;
  readonly seed: SeededGithub;
  ctx(options?: ContextOptions): ProviderContext<GithubConfig>;
}

export interface ContextOptions {
  /** Sign in with the owner's token instead of the App. */
  readonly auth?: 'app' | 'token';
  readonly section?: Record<string, unknown>;
  readonly limiter?: Limiter;
}

/** The `providers.github` section as the sandbox writes it, parsed by the provider's schema. */
export function sectionFor(sim: GithubSim, seed: SeededGithub, auth: 'app' | 'token', extra: Record<string, unknown> = {}): GithubConfig {
  const credentials = auth === 'app'
    ? {app: {app_id: seed.app.appId, private_key: seed.app.privateKeyPem}}
    : {token: seed.ownerToken};
  return configSchema.parse({base_url: sim.url, orgs: seed.orgs, enterprise: seed.enterprise, ...credentials, ...extra});
}

export async function startFixture(simOptions: GithubSimOptions = {}, seedOptions: SandboxOptions = {}): Promise<Fixture> {
  const sim = await startGithubSim(simOptions);
  const seed = seedGithubOrg(sim, seedOptions);
  return {
    sim, seed,
    ctx: (o = {}) => ({
      config: sectionFor(sim, seed, o.auth ?? 'app', o.section),
      log: silentLog, clock: realClock, signal: new AbortController().signal,
      limiter: o.limiter ?? createLimiter(TEST_LIMITS),
    }),
  };
}

export interface Inventory {
  readonly identities: Identity[];
  readonly findings: Finding[];
}

export async function inventory(ctx: ProviderContext<GithubConfig>, subject: Subject = DANA): Promise<Inventory> {
  const identities = await githubProvider.resolve(ctx, subject);
  const findings = (await Promise.all(identities.map((i) => githubProvider.discover(ctx, i)))).flat();
  return {identities, findings};
}

/** The checklist as the engine builds it (options validated against planOptions, steps validated as a graph). */
export function planFor(inv: Inventory, options: JsonObject = {}): StepSpec[] {
  return buildPlan({
    providers: [githubProvider], findings: new Map([['github', inv.findings]]),
    identities: new Map([['github', inv.identities]]), options: {github: options},
  });
}

export type Outcome = StepOutcome | {readonly kind: 'error'; readonly error: unknown};

/** Runs the automatic steps phase by phase, a phase's steps at once; failures are recorded, the run goes on. */
export async function executeAll(ctx: ProviderContext<GithubConfig>, steps: readonly StepSpec[]): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (const phase of PHASES) {
    const batch = steps.filter((s) => s.phase === phase && s.kind === 'auto');
    await Promise.all(batch.map(async (step) => {
      try {
        out.set(step.id, await githubProvider.execute(ctx, step));
      } catch (error) {
        out.set(step.id, {kind: 'error', error});
      }
    }));
  }
  return out;
}

export async function verifyAll(ctx: ProviderContext<GithubConfig>, steps: readonly StepSpec[]): Promise<Map<string, VerifyResult>> {
  const auto = steps.filter((s) => s.kind === 'auto');
  const results = await Promise.all(auto.map((s) => githubProvider.verify(ctx, s)));
  return new Map(auto.map((s, i) => [s.id, results[i] as VerifyResult]));
}

/** Outcome kinds by step id, for compact assertions. */
export function kinds(outcomes: ReadonlyMap<string, Outcome>): Record<string, string> {
  return Object.fromEntries([...outcomes].map(([id, o]) => [id, o.kind === 'error' ? `error: ${String((o.error as Error).message)}` : o.kind]));
}
