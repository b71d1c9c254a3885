// Test fixture for this provider's suites: a seeded Mattermost simulator, provider contexts for any token, and
// helpers that run a whole checklist the way the executor would (in plan order, one step at a time).
import {buildPlan} from '../../engine/plan.js';
import type {
  Finding, Identity, JsonObject, Limiter, Logger, ProviderContext, RateLimitPolicy, StepOutcome, StepSpec, Subject,
  VerifyResult,
} from '../../engine/types.js';
import {createLimiter} from '../../limits.js';
import {seedWorkspace, startMattermostSim} from '../../../../test/mattermost_sim/index.js';
import type {MattermostSim, MattermostSimOptions, SeededWorkspace} from '../../../../test/mattermost_sim/index.js';
import {mattermostProvider} from './index.js';
import type {MattermostProviderConfig, MattermostSection} from './config.js';

export const silentLog: Logger = {debug() {}, info() {}, warn() {}, error() {}, child() {
  return silentLog;
}};

/** Fast enough that the suites stay quick, paced enough that the real limiter code path runs. */
export const TEST_LIMITS: RateLimitPolicy = {
  ...mattermostProvider.limits, concurrency: 8, requestsPerSecond: 2000, burst: 200,
};

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

export interface Fixture {
  readonly sim: MattermostSim;
  readonly ws: SeededWorkspace;
  readonly subject: Subject;
  ctx(options?: ContextOptions): ProviderContext<MattermostProviderConfig>;
}

export interface ContextOptions {
  readonly token?: string;
  readonly section?: Partial<MattermostSection>;
  readonly limiter?: Limiter;
}

/** A simulator seeded with Dana's workspace; Dana is also a system admin, which the seed does not make her. */
export async function startFixture(simOptions: MattermostSimOptions = {}): Promise<Fixture> {
  const sim = await startMattermostSim(simOptions);
  const ws = seedWorkspace(sim);
  const dana = sim.state.user(ws.subject.userId);
  if (!dana) throw new Error('seed has no subject');
  dana.roles = 'system_user system_admin';
  const subject: Subject = {
    userId: dana.id, username: dana.username, email: dana.email, displayName: `${dana.first_name} ${dana.last_name}`,
    roles: dana.roles.split(' '), isBot: false,
  };
  return {
    sim, ws, subject,
    ctx: (o = {}) => ({
      config: {
        default_account_action: 'deactivate', bot_owner: 'alice', ...o.section,
        connection: {url: sim.url, token: o.token ?? ws.botToken, timeoutMs: 5000},
      },
      log: silentLog, clock: realClock, signal: new AbortController().signal,
      limiter: o.limiter ?? createLimiter(TEST_LIMITS),
    }),
  };
}

export interface Inventory {
  readonly identities: Identity[];
  readonly findings: Finding[];
}

export async function inventory(ctx: ProviderContext<MattermostProviderConfig>, subject: Subject): Promise<Inventory> {
  const identities = await mattermostProvider.resolve(ctx, subject);
  const findings = (await Promise.all(identities.map((i) => mattermostProvider.discover(ctx, i)))).flat();
  return {identities, findings};
}

/** The checklist as the engine builds it (options validated against planOptions, steps validated as a graph). */
export function planFor(inv: Inventory, options: JsonObject = {}): StepSpec[] {
  return buildPlan({
    providers: [mattermostProvider],
    findings: new Map([['mattermost', inv.findings]]),
    identities: new Map([['mattermost', inv.identities]]),
    options: {mattermost: options},
  });
}

export type Outcome = StepOutcome | {readonly kind: 'error'; readonly error: unknown};

/** Runs every step in order; a failing step is recorded and the run goes on, as the executor does. */
export async function executeAll(
  ctx: ProviderContext<MattermostProviderConfig>, steps: readonly StepSpec[],
): Promise<Map<string, Outcome>> {
  const out = new Map<string, Outcome>();
  for (const step of steps) {
    try {
      out.set(step.id, await mattermostProvider.execute(ctx, step));
    } catch (error) {
      out.set(step.id, {kind: 'error', error});
    }
  }
  return out;
}

export async function verifyAll(
  ctx: ProviderContext<MattermostProviderConfig>, steps: readonly StepSpec[],
): Promise<Map<string, VerifyResult>> {
  const out = new Map<string, VerifyResult>();
  for (const step of steps) out.set(step.id, await mattermostProvider.verify(ctx, step));
  return out;
}

/** Outcome kinds by step id, for compact assertions. */
export function kinds(outcomes: ReadonlyMap<string, Outcome>): Record<string, string> {
  return Object.fromEntries([...outcomes].map(([id, o]) => [id, o.kind]));
}

/** Every secret the simulator holds right now: tokens, secrets, csrf values and invite ids. */
export function simSecrets(sim: MattermostSim): string[] {
  const s = sim.state;
  return [
    ...[...s.sessions.values()].flatMap((x) => [x.token, x.props['csrf'] ?? '']),
    ...[...s.accessTokens.values()].map((x) => x.token),
    ...[...s.commands.values()].map((x) => x.token),
    ...[...s.outgoingWebhooks.values()].map((x) => x.token),
    ...[...s.oauthApps.values()].map((x) => x.client_secret),
    ...[...s.teams.values()].map((x) => x.invite_id),
  ].filter((v) => v.length >= 8);
}
