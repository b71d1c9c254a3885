// A scriptable Provider for engine tests: per step id a queue of behaviours for execute(), a count of verify
// failures, a record of every call, and the highest number of execute() calls in flight at once.
import {z} from 'zod';
import {ConfigError, PermanentError, TransientError} from '../errors.js';
import {DEFAULT_RETRY_POLICY} from '../retry.js';
import type {
  CheckResult, Finding, Identity, JsonObject, Phase, PlanOptionSpec, Provider, ProviderContext, RateLimitPolicy,
  RetryPolicy,
  StepOutcome, StepSpec, Subject, VerifyResult,
} from '../types.js';

export type Behaviour =
  /** Outcome `done`; `takesMs` sleeps on ctx.clock first (aborted by ctx.signal). */
  | {readonly kind: 'succeed'; readonly evidence?: JsonObject; readonly takesMs?: number}
  | {readonly kind: 'already_done'; readonly evidence?: JsonObject}
  | {readonly kind: 'skip'; readonly reason: string}
  /** `takesMs` sleeps on ctx.clock before throwing, so a test can act while the attempt is in flight. */
  | {readonly kind: 'transient'; readonly retryAfterMs?: number; readonly message?: string; readonly takesMs?: number}
  | {readonly kind: 'permanent'; readonly message?: string}
  | {readonly kind: 'config'; readonly message?: string}
  /** A plain Error: what a provider bug looks like. */
  | {readonly kind: 'bug'; readonly message?: string}
  /** Never settles until ctx.signal aborts, then rejects with the abort reason. */
  | {readonly kind: 'hang'}
  /** Ignores ctx.signal: waits for `until`, then succeeds (a provider that does not honour aborts). */
  | {readonly kind: 'gate'; readonly until: Promise<void>};

export interface FakeCall {
  readonly method: 'execute' | 'verify';
  readonly stepId: string;
  readonly at: number;
}

export interface FakeProviderOptions {
  readonly id?: string;
  readonly title?: string;
  readonly concurrency?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly planOptions?: readonly PlanOptionSpec[];
  /** What plan() returns; by default one `revoke` step per finding. */
  readonly plan?: (findings: readonly Finding[], options: JsonObject, identities: readonly Identity[]) => StepSpec[];
}

type Cfg = Record<string, unknown>;

/** Builds a StepSpec with the house id scheme `${provider}:${action}:${target}`. */
export function stepSpec(provider: string, action: string, target: string, extra: Partial<StepSpec> = {}): StepSpec {
  const phase: Phase = extra.phase ?? 'revoke';
  return {
    id: `${provider}:${action}:${target}`, provider, phase, action, target, title: `${action} ${target}`,
    kind: 'auto', dependsOn: [], params: {}, ...extra,
  };
}

export class FakeProvider implements Provider<Cfg> {
  readonly id: string;
  readonly title: string;
  readonly configSchema: z.ZodType<Cfg> = z.record(z.string(), z.unknown());
  readonly limits: RateLimitPolicy;
  readonly planOptions: readonly PlanOptionSpec[];
  readonly configExample = '';
  readonly calls: FakeCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly behaviours = new Map<string, Behaviour[]>();
  private readonly verifyFailures = new Map<string, {left: number; reason: string}>();
  private readonly planFn: NonNullable<FakeProviderOptions['plan']>;

  constructor(options: FakeProviderOptions = {}) {
    this.id = options.id ?? 'fake';
    this.title = options.title ?? `Fake ${this.id}`;
    this.limits = {
      concurrency: options.concurrency ?? 4, requestsPerSecond: 100, burst: 100,
      retry: {...DEFAULT_RETRY_POLICY, ...options.retry},
    };
    this.planOptions = options.planOptions ?? [];
    this.planFn = options.plan ?? ((findings) => findings.map((f) => stepSpec(this.id, 'remove', f.id)));
  }

  /** Queues behaviours for the next execute() calls of `stepId`; once the queue is empty it succeeds. */
  script(stepId: string, ...behaviours: Behaviour[]): this {
    this.behaviours.set(stepId, [...(this.behaviours.get(stepId) ?? []), ...behaviours]);
    return this;
  }

  /** The next `times` verify() calls of `stepId` report that the access is still there. */
  failVerify(stepId: string, times: number, reason = 'access still present'): this {
    this.verifyFailures.set(stepId, {left: times, reason});
    return this;
  }

  count(method: FakeCall['method'], stepId: string): number {
    return this.calls.filter((c) => c.method === method && c.stepId === stepId).length;
  }

  async check(): Promise<CheckResult> {
    return {ok: true, detail: 'ok'};
  }

  async resolve(_ctx: ProviderContext<Cfg>, subject: Subject): Promise<Identity[]> {
    return [{
      provider: this.id, id: subject.username, label: subject.username, source: 'same username',
      confidence: 'exact', data: {},
    }];
  }

  async discover(): Promise<Finding[]> {
    return [];
  }

  plan(findings: readonly Finding[], options: JsonObject, identities: readonly Identity[]): StepSpec[] {
    return this.planFn(findings, options, identities);
  }

  async execute(ctx: ProviderContext<Cfg>, step: StepSpec): Promise<StepOutcome> {
    this.calls.push({method: 'execute', stepId: step.id, at: ctx.clock.now()});
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.behave(ctx, step, this.behaviours.get(step.id)?.shift() ?? {kind: 'succeed'});
    } finally {
      this.inFlight -= 1;
    }
  }

  async verify(ctx: ProviderContext<Cfg>, step: StepSpec): Promise<VerifyResult> {
    this.calls.push({method: 'verify', stepId: step.id, at: ctx.clock.now()});
    const failure = this.verifyFailures.get(step.id);
    if (failure && failure.left > 0) {
      failure.left -= 1;
      return {ok: false, evidence: {present: true}, reason: failure.reason};
    }
    return {ok: true, evidence: {present: false, checked: step.target}};
  }

  private async behave(ctx: ProviderContext<Cfg>, step: StepSpec, b: Behaviour): Promise<StepOutcome> {
    switch (b.kind) {
      case 'succeed':
        if (b.takesMs) await ctx.clock.sleep(b.takesMs, ctx.signal);
        return {kind: 'done', evidence: b.evidence ?? {removed: step.target}};
      case 'already_done':
        return {kind: 'already_done', evidence: b.evidence ?? {absent: step.target}};
      case 'skip':
        return {kind: 'skipped', evidence: {}, reason: b.reason};
      case 'transient':
        if (b.takesMs) await ctx.clock.sleep(b.takesMs, ctx.signal);
        throw new TransientError(b.message ?? 'service unavailable',
          b.retryAfterMs === undefined ? {} : {retryAfterMs: b.retryAfterMs});
      case 'permanent':
        throw new PermanentError(b.message ?? 'not permitted');
      case 'config':
        throw new ConfigError(b.message ?? 'token missing');
      case 'bug':
        throw new Error(b.message ?? 'undefined is not a function');
      case 'hang':
        return new Promise<StepOutcome>((_resolve, reject) => {
          const fail = (): void => reject(ctx.signal.reason ?? new Error('aborted'));
          if (ctx.signal.aborted) fail();
          else ctx.signal.addEventListener('abort', fail, {once: true});
        });
      case 'gate':
        await b.until;
        return {kind: 'done', evidence: {removed: step.target, late: true}};
    }
  }
}
