// Test fixture for this provider's suites: the AWS simulator seeded with Dana's organization, provider contexts for
// any config override, and helpers that run a checklist the way the executor would (plan order, manual steps left).
import {buildPlan} from '../../engine/plan.js';
import type {
  Finding, Identity, JsonObject, Logger, ProviderContext, RateLimitPolicy, StepOutcome, StepSpec, Subject, VerifyResult,
} from '../../engine/types.js';
import {createLimiter} from '../../limits.js';
import {seedAwsOrg, startAwsSim} from '../../../../test/aws_sim/index.js';
import type {AwsOrgSeedOptions, AwsSim, AwsSimOptions, SeededAwsOrg} from '../../../../test/aws_sim/index.js';
import {awsSectionSchema, type AwsConfig} from './config.js';
import {awsProvider, clearAwsSessions} from './index.js';

export const silentLog: Logger = {debug() {}, info() {}, warn() {}, error() {}, child() {
  return silentLog;
}};

export const TEST_LIMITS: RateLimitPolicy = {...awsProvider.limits, concurrency: 32, requestsPerSecond: 5000, burst: 500};

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export const DANA_SUBJECT: Subject = {
  userId: 'dana00000000000000000000uid', username: 'dana', email: 'dana@example.com', displayName: 'Dana Whitfield',
  roles: ['system_user'], isBot: false,
};

export interface Fixture {
  readonly sim: AwsSim;
  readonly org: SeededAwsOrg;
  readonly subject: Subject;
  /** A context whose config is the seeded section plus `section` (parsed with the real schema). */
  ctx(section?: Record<string, unknown>): ProviderContext<AwsConfig>;
}

export async function startFixture(seed: AwsOrgSeedOptions = {}, simOptions: AwsSimOptions = {}): Promise<Fixture> {
  clearAwsSessions();
  const sim = await startAwsSim(simOptions);
  const org = seedAwsOrg(sim, seed);
  return {
    sim, org, subject: DANA_SUBJECT,
    ctx: (section = {}) => ({
      config: awsSectionSchema.parse({...org.config, max_attempts: 2, ...section}),
      log: silentLog, clock: realClock, signal: new AbortController().signal, limiter: createLimiter(TEST_LIMITS),
    }),
  };
}

export interface Inventory {
  readonly identities: Identity[];
  readonly findings: Finding[];
}

export async function inventory(ctx: ProviderContext<AwsConfig>, subject: Subject = DANA_SUBJECT): Promise<Inventory> {
  const identities = await awsProvider.resolve(ctx, subject);
  const exact = identities.filter((i) => i.confidence === 'exact');
  const findings = (await Promise.all(exact.map((i) => awsProvider.discover(ctx, i)))).flat();
  return {identities, findings};
}

/** The checklist as the engine builds it (options validated against planOptions, steps validated as a graph). */
export function planFor(inv: Inventory, options: JsonObject = {}): StepSpec[] {
  return buildPlan({
    providers: [awsProvider],
    findings: new Map([['aws', inv.findings]]),
    identities: new Map([['aws', inv.identities]]),
    options: {aws: options},
  });
}

export type Outcome = StepOutcome | {readonly kind: 'error'; readonly error: unknown};

/** Runs every automatic step in plan order; a failing step is recorded and the run goes on, as the executor does. */
export async function executeAll(ctx: ProviderContext<AwsConfig>, steps: readonly StepSpec[]):
  Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (const step of steps.filter((s) => s.kind === 'auto')) {
    try {
      out.set(step.id, await awsProvider.execute(ctx, step));
    } catch (error) {
      out.set(step.id, {kind: 'error', error});
    }
  }
  return out;
}

export async function verifyAll(ctx: ProviderContext<AwsConfig>, steps: readonly StepSpec[]):
  Promise<Map<string, VerifyResult>> {
  const out = new Map<string, VerifyResult>();
  for (const step of steps.filter((s) => s.kind === 'auto')) out.set(step.id, await awsProvider.verify(ctx, step));
  return out;
}

export function kinds(outcomes: ReadonlyMap<string, Outcome>): Record<string, string> {
  return Object.fromEntries([...outcomes].map(([id, o]) => [id, o.kind]));
}

/** Every secret the simulator holds: secret access keys and session tokens of all principals. */
export function simSecrets(sim: AwsSim): string[] {
  return [...sim.state.principals.values()].flatMap((p) => [p.secretAccessKey, p.sessionToken ?? ''])
    .filter((v) => v.length >= 8);
}
