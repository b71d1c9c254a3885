// What an action handler gets: the state, the authenticated caller and its account, the parsed input, and the
// runtime knobs that shape answers (page cap, clock).
import type {Caller} from './auth.js';
import {AwsSimError} from './errors.js';
import type {JsonInput, QueryParams, WireValue} from './protocol.js';
import type {SimAccount, SimState} from './state.js';

export interface SimKnobs {
  latencyMs: number;
  /** Requests served at once; more wait in FIFO order. Infinity = unlimited. */
  maxConcurrent: number;
  /** Upper bound on any page, whatever the client asks (AWS may return fewer items than MaxItems). */
  pageCap: number;
  /** Per-account token bucket; requests beyond it are throttled with the service's throttling error. */
  throttle: {ratePerSecond: number; burst: number} | null;
  /** How long CloseAccount leaves an account in PENDING_CLOSURE before it is SUSPENDED. */
  closureDelayMs: number;
  /** Accounts that may be in PENDING_CLOSURE at once (CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED beyond). */
  concurrentClosures: number;
  /** DescribeAccountAssignmentDeletionStatus calls before a deletion request reports SUCCEEDED. */
  ssoDeletionPolls: number;
  /** Share of requests (0..1) answered with the service's 500 error before anything happens. */
  errorRate: number;
  /** Share of requests (0..1) never answered: they hang until the client gives up. */
  timeoutRate: number;
  /** The PRNG behind the two rates (seeded, so a chaos run can be repeated). */
  readonly random: () => number;
}

export interface CallContext<I> {
  readonly state: SimState;
  readonly caller: Caller;
  readonly account: SimAccount;
  readonly input: I;
  readonly knobs: SimKnobs;
  readonly requestId: string;
  readonly now: number;
}

export type QueryHandler = (ctx: CallContext<QueryParams>) => Record<string, WireValue> | undefined;
export type JsonHandler = (ctx: CallContext<JsonInput>) => WireValue;

/** The caller's own ARN, as it appears in AccessDenied messages and CloudTrail records. */
export function callerArn(ctx: CallContext<unknown>): string {
  return ctx.caller.principal.arn;
}

/** Organizations and Identity Center answer only the management account. */
export function requireManagement(ctx: CallContext<unknown>): void {
  const org = ctx.state.organization;
  if (!org) {
    throw new AwsSimError('AWSOrganizationsNotInUseException', 400,
      'Your account is not a member of an organization.');
  }
  if (ctx.account.id !== org.managementAccountId) {
    throw new AwsSimError('AccessDeniedException', 400, 'You don\'t have permissions to access this resource.');
  }
}
