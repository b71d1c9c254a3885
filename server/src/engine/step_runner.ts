// Runs one claimed step: execute, then a fresh verify, while keeping the lease alive; then records the result
// (done / retry later / failed) through a fenced compare-and-set, so an owner that lost its lease writes nothing.
import {errorMessage, isOffboardError, isTransient, TransientError} from './errors.js';
import {decideRetry} from './retry.js';
import type {RunStore, StepPatch} from './ports.js';
import type {
  AnyProvider, AuditInput, Clock, Json, JsonObject, Logger, ProviderContext, Step, StepOutcome, StepSpec, VerifyResult,
} from './types.js';

export interface StepRunnerDeps {
  readonly store: RunStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly owner: string;
  readonly leaseMs: number;
  /** Called after every state change this runner writes. */
  readonly notify: (runId: string, changed: Step) => void;
}

const OUTCOME_KINDS: readonly StepOutcome['kind'][] = ['done', 'already_done', 'skipped'];

/** The provider sees the plan's data only, never the run bookkeeping (lease, attempts, errors). */
function specOf(step: Step): StepSpec {
  const {id, provider, phase, action, target, title, kind, dependsOn, params, instructions, assignee} = step;
  return {
    id, provider, phase, action, target, title, kind, dependsOn, params,
    ...(instructions === undefined ? {} : {instructions}),
    ...(assignee === undefined ? {} : {assignee}),
  };
}

/** Error details are documented as secret-free and JSON-ish; anything that is not JSON is left out. */
function detailsOf(error: unknown): Json | undefined {
  if (!isOffboardError(error) || Object.keys(error.details).length === 0) return undefined;
  try {
    return JSON.parse(JSON.stringify(error.details)) as Json;
  } catch {
    return undefined;
  }
}

interface Lease {
  /** Ends renewals. It does not wait for a renewal in progress: a hung store must not hold the result back. */
  stop(): void;
  lost(): boolean;
}

/** Renews the lease every leaseMs/3; when a renewal is refused (or fails) the step's signal is aborted. */
function keepLease(deps: StepRunnerDeps, step: Step, controller: AbortController, log: Logger): Lease {
  const stopper = new AbortController();
  let lost = false;
  const every = Math.max(1, Math.floor(deps.leaseMs / 3));
  void (async () => {
    for (;;) {
      try {
        await deps.clock.sleep(every, stopper.signal);
      } catch {
        return;
      }
      if (stopper.signal.aborted) return;
      let renewed = false;
      try {
        renewed = await deps.store.renewLease(step.runId, step.id, deps.owner, deps.clock.now() + deps.leaseMs);
      } catch (e) {
        log.warn({err: errorMessage(e)}, 'lease renewal failed');
      }
      if (!renewed) {
        lost = true;
        controller.abort(new TransientError(`lease on step ${step.id} lost`));
        return;
      }
    }
  })();
  return {
    stop: () => stopper.abort(),
    lost: () => lost,
  };
}

export async function runStep(
  deps: StepRunnerDeps, provider: AnyProvider, base: ProviderContext<unknown>, step: Step,
): Promise<void> {
  const log = deps.log.child({runId: step.runId, stepId: step.id, provider: provider.id, attempt: step.attempts});
  if (step.attempts > provider.limits.retry.maxAttempts) {
    await record(deps, step, log, abandoned(deps, step));
    return;
  }
  const controller = new AbortController();
  // The caller's signal (service shutdown) aborts the attempt too, so stopping does not wait on slow vendors.
  const interrupt = (): void => controller.abort(base.signal.reason ?? new Error('executor stopping'));
  if (base.signal.aborted) interrupt();
  else base.signal.addEventListener('abort', interrupt, {once: true});
  const lease = keepLease(deps, step, controller, log);
  const ctx: ProviderContext<unknown> = {...base, log, signal: controller.signal};
  const spec = specOf(step);

  let outcome: StepOutcome | undefined;
  let verification: VerifyResult | undefined;
  let thrown: unknown;
  let failed = false;
  try {
    const result = await provider.execute(ctx, spec);
    if (!result || !OUTCOME_KINDS.includes(result.kind)) {
      throw new Error(`provider ${provider.id} returned an invalid outcome for ${step.id}`);
    }
    outcome = result;
    // A provider-skipped step changed nothing, so there is nothing to prove gone.
    if (outcome.kind !== 'skipped') verification = await provider.verify(ctx, spec);
  } catch (e) {
    thrown = e;
    failed = true;
  } finally {
    lease.stop();
    base.signal.removeEventListener('abort', interrupt);
  }
  if (lease.lost()) {
    log.warn('lease lost while the step ran; its result is not recorded (another owner may run it again)');
    return;
  }
  if (failed && base.signal.aborted) {
    await record(deps, step, log, interrupted(deps, step));
    return;
  }
  if (!failed && outcome && (!verification || verification.ok)) {
    await record(deps, step, log, succeeded(deps, step, outcome, verification));
    return;
  }
  const error = failed
    ? thrown
    : new TransientError(`verification failed: ${verification?.reason ?? 'access still present'}`);
  await record(deps, step, log, await afterFailure(deps, provider, step, log, error, outcome, verification));
}

interface Write {
  readonly patch: StepPatch;
  readonly event: AuditInput;
}

function event(deps: StepRunnerDeps, step: Step, action: string, outcome: string, evidence: JsonObject, at: number):
  AuditInput {
  return {actor: `executor:${deps.owner}`, action, target: step.id, outcome, evidence, at};
}

function succeeded(deps: StepRunnerDeps, step: Step, outcome: StepOutcome, verification: VerifyResult | undefined):
  Write {
  const now = deps.clock.now();
  const evidence: JsonObject = {attempt: step.attempts, execute: outcome.evidence};
  if (verification) evidence.verify = verification.evidence;
  if (outcome.reason !== undefined) evidence.reason = outcome.reason;
  return {
    patch: {
      state: outcome.kind, outcome, verified: verification ? true : null,
      verifyEvidence: verification?.evidence ?? null, error: outcome.kind === 'skipped' ? outcome.reason ?? null : null,
      leaseOwner: null, leaseUntil: null, notBefore: null, finishedAt: now, updatedAt: now,
    },
    event: event(deps, step, `step.${outcome.kind}`, outcome.kind, evidence, now),
  };
}

/**
 * A step reclaimed more often than the policy allows: every earlier owner died or lost its lease mid-attempt.
 * Failing it (instead of executing once more) stops a step that crashes its executor from looping forever.
 */
function abandoned(deps: StepRunnerDeps, step: Step): Write {
  const now = deps.clock.now();
  const reason = `gave up after ${step.attempts - 1} attempts: earlier owners stopped without recording a result`;
  return {
    patch: {state: 'failed', error: reason, leaseOwner: null, leaseUntil: null, finishedAt: now, updatedAt: now},
    event: event(deps, step, 'step.failed', 'failed', {attempt: step.attempts, error: reason}, now),
  };
}

/** An attempt cut short by shutdown is not a failure: the step goes back to pending for the next owner. */
function interrupted(deps: StepRunnerDeps, step: Step): Write {
  const now = deps.clock.now();
  const reason = 'interrupted: the executor stopped before the attempt finished';
  return {
    patch: {state: 'pending', error: reason, leaseOwner: null, leaseUntil: null, notBefore: null, updatedAt: now},
    event: event(deps, step, 'step.interrupted', 'pending', {attempt: step.attempts, error: reason}, now),
  };
}

async function afterFailure(
  deps: StepRunnerDeps, provider: AnyProvider, step: Step, log: Logger, error: unknown,
  outcome: StepOutcome | undefined, verification: VerifyResult | undefined,
): Promise<Write> {
  const now = deps.clock.now();
  const message = errorMessage(error);
  const decision = decideRetry(error, step.attempts, step.startedAt ?? now, now, provider.limits.retry);
  const evidence: JsonObject = {attempt: step.attempts, error: message};
  if (outcome) evidence.execute = outcome.evidence;
  if (verification) evidence.verify = verification.evidence;
  const details = detailsOf(error);
  if (details !== undefined) evidence.details = details;
  const kept: StepPatch = {
    updatedAt: now, outcome: outcome ?? null, verified: verification ? false : null,
    verifyEvidence: verification?.evidence ?? null, leaseOwner: null, leaseUntil: null,
  };

  if (decision.retry) {
    // A run cancelled while this attempt was in flight gets no further attempts.
    const run = await deps.store.getRun(step.runId);
    if (run?.status === 'cancelled') {
      return {
        patch: {...kept, state: 'skipped', error: 'run cancelled', finishedAt: now},
        event: event(deps, step, 'step.skipped', 'skipped', {...evidence, reason: 'run cancelled'}, now),
      };
    }
    log.info({delayMs: decision.delayMs, err: message}, 'step failed; retrying later');
    evidence.delayMs = decision.delayMs;
    if (isTransient(error) && error.retryAfterMs !== undefined) evidence.retryAfterMs = error.retryAfterMs;
    return {
      patch: {...kept, state: 'pending', notBefore: now + decision.delayMs, error: message},
      event: event(deps, step, 'step.retry_scheduled', 'pending', evidence, now),
    };
  }
  if (decision.unexpected) log.error({err: message}, 'provider raised an unexpected error (a bug); step failed');
  else log.warn({err: decision.reason}, 'step failed');
  evidence.error = decision.reason;
  return {
    patch: {...kept, state: 'failed', error: decision.reason, notBefore: null, finishedAt: now},
    event: event(deps, step, 'step.failed', 'failed', evidence, now),
  };
}

async function record(deps: StepRunnerDeps, step: Step, log: Logger, write: Write): Promise<void> {
  const updated = await deps.store.updateStep(step.runId, step.id, ['running'], deps.owner, write.patch, write.event);
  if (!updated) {
    log.warn('step result not recorded: this owner no longer holds the lease (fenced)');
    return;
  }
  deps.notify(step.runId, updated);
}
