// Domain types shared by the engine, the store, the providers and the Mattermost layer.
// Pure data only: every value here is JSON-serialisable so it can be stored, posted and exported as is.
import type {z} from 'zod';

export type Json = string | number | boolean | null | Json[] | {[key: string]: Json};
export type JsonObject = {[key: string]: Json};

/** Provider ids equal their folder names under providers/. */
export type ProviderId = string;

/** Order of work: contain (sessions, tokens) → revoke (memberships) → cleanup (deletes, rotations) → verify → report. */
export type Phase = 'contain' | 'revoke' | 'cleanup' | 'verify' | 'report';
export const PHASES: readonly Phase[] = ['contain', 'revoke', 'cleanup', 'verify', 'report'];

export type RunStatus =
  | 'scheduled'
  | 'awaiting_approval'
  | 'running'
  | 'completed'
  | 'completed_with_errors'
  | 'cancelled';
export const RUN_STATUSES: readonly RunStatus[] = [
  'scheduled', 'awaiting_approval', 'running', 'completed', 'completed_with_errors', 'cancelled',
];
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'completed_with_errors', 'cancelled'];

export type StepState =
  | 'pending'
  | 'running'
  | 'done'
  | 'already_done'
  | 'failed'
  | 'skipped'
  | 'manual_pending'
  | 'manual_done';
export const STEP_STATES: readonly StepState[] = [
  'pending', 'running', 'done', 'already_done', 'failed', 'skipped', 'manual_pending', 'manual_done',
];
/** States after which a step never changes again unless an admin acts (retry). */
export const TERMINAL_STEP_STATES: readonly StepState[] = ['done', 'already_done', 'failed', 'skipped', 'manual_done'];
/** States that satisfy a dependency. */
export const SUCCESS_STEP_STATES: readonly StepState[] = ['done', 'already_done', 'manual_done'];

/** The person being offboarded, as resolved in Mattermost (the home identity every run starts from). */
export interface Subject {
  readonly userId: string;
  readonly username: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly string[];
  readonly isBot: boolean;
}

/** Who the person is in one connected system, and how we know. */
export interface Identity {
  readonly provider: ProviderId;
  /** The id in that system (login, IAM user name, DN, user id). */
  readonly id: string;
  readonly label: string;
  /** Where the mapping came from, shown to the admin ("explicit mapping", "SAML identity", "same email"). */
  readonly source: string;
  /** `ambiguous` and `not_found` never drive automatic steps: they become a manual item asking the admin. */
  readonly confidence: 'exact' | 'ambiguous' | 'not_found';
  readonly data: JsonObject;
}

/** One piece of access that exists now (read-only discovery result). */
export interface Finding {
  readonly provider: ProviderId;
  /** e.g. 'session', 'access_token', 'team_membership'. */
  readonly kind: string;
  /** Stable id within the provider, used by plan() to name steps. */
  readonly id: string;
  readonly label: string;
  readonly identityId: string;
  readonly risk: 'high' | 'medium' | 'low';
  /** True when no API can revoke it (forks, local clones): listed so the report is honest. */
  readonly residual: boolean;
  readonly data: JsonObject;
}

/** A step as a provider plans it: pure data, deterministic for the same findings and options. */
export interface StepSpec {
  /** Unique within a run and stable across re-planning: `${provider}:${action}:${targetId}`. */
  readonly id: string;
  readonly provider: ProviderId;
  readonly phase: Phase;
  readonly action: string;
  /** The id of the thing acted on (user id, team id, token id). */
  readonly target: string;
  /** Human-readable, already free of secrets. */
  readonly title: string;
  readonly kind: 'auto' | 'manual';
  /** Ids of steps that must succeed first (same run). */
  readonly dependsOn: readonly string[];
  /** Everything execute() and verify() need; no secrets. */
  readonly params: JsonObject;
  /** Manual steps: what to do, and who should do it. */
  readonly instructions?: string;
  readonly assignee?: string;
}

export interface StepOutcome {
  readonly kind: 'done' | 'already_done' | 'skipped';
  /** What was observed or changed, for the audit trail. Never secrets. */
  readonly evidence: JsonObject;
  readonly reason?: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly evidence: JsonObject;
  readonly reason?: string;
}

export interface CheckResult {
  readonly ok: boolean;
  /** `ok` or why not, one line. */
  readonly detail: string;
}

/** A step as it lives in a run. */
export interface Step extends StepSpec {
  readonly runId: string;
  /** Position in the plan; the executor prefers lower numbers. */
  readonly seq: number;
  readonly state: StepState;
  readonly attempts: number;
  readonly leaseOwner: string | null;
  readonly leaseUntil: number | null;
  /** Earliest time of the next attempt (retry back-off). */
  readonly notBefore: number | null;
  readonly outcome: StepOutcome | null;
  readonly verified: boolean | null;
  readonly verifyEvidence: JsonObject | null;
  /** Last error or skip reason, one line. */
  readonly error: string | null;
  /** Note entered when a manual step was completed or a step was skipped by an admin. */
  readonly note: string | null;
  readonly actedBy: string | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly updatedAt: number;
}

export interface Run {
  readonly id: string;
  readonly status: RunStatus;
  readonly subject: Subject;
  /** Mattermost user id of the admin who started it. */
  readonly initiatorId: string;
  readonly planId: string | null;
  readonly options: JsonObject;
  readonly scheduledAt: number | null;
  readonly approvalRequired: boolean;
  readonly approvedBy: string | null;
  readonly cancelledBy: string | null;
  /** Progress channel and its root post in Mattermost. */
  readonly channelId: string | null;
  readonly postId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
}

/** What a run is created from. */
export interface NewRun {
  readonly id: string;
  readonly status: 'scheduled' | 'awaiting_approval' | 'running';
  readonly subject: Subject;
  readonly initiatorId: string;
  readonly planId: string | null;
  readonly options: JsonObject;
  readonly scheduledAt: number | null;
  readonly approvalRequired: boolean;
  readonly createdAt: number;
}

/** One audit event as given by the caller; the store adds seq, time order and the hash chain. */
export interface AuditInput {
  /** Mattermost user id, `system`, or `executor:<owner>`. */
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly outcome: string;
  readonly evidence: JsonObject;
  readonly at: number;
}

export interface AuditEvent extends AuditInput {
  readonly runId: string;
  readonly seq: number;
  readonly prevHash: string;
  readonly hash: string;
}

/** Concurrency and pacing of one provider, as data (matched to the vendor's documented limits). */
export interface RateLimitPolicy {
  /** Steps of this provider running at once (across all runs of one replica). */
  readonly concurrency: number;
  /** Client-side pacing of API requests. */
  readonly requestsPerSecond: number;
  readonly burst: number;
  readonly retry: RetryPolicy;
}

export interface RetryPolicy {
  /** Attempts per step including the first. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Total time a step may spend retrying before it fails. */
  readonly budgetMs: number;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The subset of pino the code uses, so tests can pass a silent or recording logger. */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Paces API calls of one provider (token bucket + concurrency). */
export interface Limiter {
  schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export interface ProviderContext<Cfg> {
  readonly config: Cfg;
  readonly log: Logger;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly limiter: Limiter;
}

/** An option the admin can set for a provider's plan (shown in the modal's checklist). */
export interface PlanOptionSpec {
  readonly key: string;
  readonly title: string;
  readonly type: 'boolean' | 'choice' | 'text';
  readonly default: Json;
  readonly choices?: readonly {readonly value: string; readonly title: string}[];
}

/** Identities an admin entered for one provider in the modal: they replace the automatic matching (mapping, SAML,
 * tags, name patterns); each is still checked against the system and comes back as an Identity. */
export interface ResolveHint {
  readonly ids: readonly string[];
}

/** `Identity.source` of identities an admin entered (a provider may add where it found them after a semicolon). */
export const ENTERED_BY_ADMIN = 'entered by admin';

/** How the modal asks for a provider's identity; a provider without it is not editable (Mattermost: step 1 picks). */
export interface IdentityInputSpec {
  /** What one id is called there ("GitHub login", "IAM user name"). */
  readonly label: string;
  readonly placeholder: string;
  /** A regular expression (source, matched with the `u` flag) every entered id must match. */
  readonly pattern?: string;
  /** How many ids an admin may enter (at most MAX_ENTERED_IDENTITIES). */
  readonly maxIds?: number;
}

/** Upper bound on entered identities per provider, whatever a provider allows. */
export const MAX_ENTERED_IDENTITIES = 20;

/** The contract every provider folder implements (DESIGN.md "Provider contract"). */
export interface Provider<Cfg = unknown> {
  readonly id: ProviderId;
  readonly title: string;
  readonly configSchema: z.ZodType<Cfg>;
  readonly limits: RateLimitPolicy;
  readonly planOptions: readonly PlanOptionSpec[];
  /** This provider's section of `offboard configure`: commented YAML, indented under `providers:`. */
  readonly configExample: string;
  /** Present when an admin may enter the person's identity here (the `hint` of resolve()). */
  readonly identityInput?: IdentityInputSpec;
  check(ctx: ProviderContext<Cfg>): Promise<CheckResult>;
  /** Who the person is here; with a hint, exactly the entered ids, each checked (not found is returned, not dropped). */
  resolve(ctx: ProviderContext<Cfg>, subject: Subject, hint?: ResolveHint): Promise<Identity[]>;
  discover(ctx: ProviderContext<Cfg>, identity: Identity): Promise<Finding[]>;
  plan(findings: readonly Finding[], options: JsonObject, identities: readonly Identity[]): StepSpec[];
  execute(ctx: ProviderContext<Cfg>, step: StepSpec): Promise<StepOutcome>;
  verify(ctx: ProviderContext<Cfg>, step: StepSpec): Promise<VerifyResult>;
}

export type AnyProvider = Provider<any>;
