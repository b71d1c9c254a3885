// Admin actions on runs and steps over the store port. Each checks the current state, changes it with a
// compare-and-set and an audit event naming the acting user; a refusal throws PermanentError and changes nothing.
// Who may act (system admin, allowed users) is checked by the caller; the engine checks what may happen.
import {PermanentError} from './errors.js';
import {validateSteps} from './plan_graph.js';
import {isTerminalRun, leaseExpired, nextRunStatus, parseDependencySkip} from './run_state.js';
import type {RunStore, StepPatch} from './ports.js';
import type {AuditInput, Clock, JsonObject, Run, RunStatus, Step, StepSpec, StepState, Subject} from './types.js';

export const MAX_NOTE_LENGTH = 2000;

export interface CreateRunInput {
  readonly id: string;
  readonly subject: Subject;
  readonly initiatorId: string;
  readonly planId: string | null;
  readonly steps: readonly StepSpec[];
  readonly options: JsonObject;
  /** Epoch ms; a time in the future schedules the run, null/absent/past starts it at once (after approval). */
  readonly scheduleAt?: number | null;
  readonly requireApproval: boolean;
  /** Identities an admin entered, per provider: evidence on `run.created`, in the run's own transaction. */
  readonly enteredIdentities?: JsonObject;
}

function event(actor: string, action: string, target: string, outcome: string, evidence: JsonObject, at: number):
  AuditInput {
  return {actor, action, target, outcome, evidence, at};
}

/** Creates the run in its first status: awaiting_approval, else scheduled (future time), else running. */
export async function createRun(store: RunStore, clock: Clock, input: CreateRunInput): Promise<Run> {
  const now = clock.now();
  if (input.steps.length === 0) throw new PermanentError('A run needs at least one step.');
  const scheduleAt = input.scheduleAt ?? null;
  if (scheduleAt !== null && (!Number.isFinite(scheduleAt) || scheduleAt < 0)) {
    throw new PermanentError('The scheduled time is not a valid time.');
  }
  validateSteps(input.steps);
  const future = scheduleAt !== null && scheduleAt > now;
  const status = input.requireApproval ? 'awaiting_approval' : future ? 'scheduled' : 'running';
  return store.createRun({
    id: input.id, status, subject: input.subject, initiatorId: input.initiatorId, planId: input.planId,
    options: input.options, scheduledAt: future ? scheduleAt : null, approvalRequired: input.requireApproval,
    createdAt: now,
  }, input.steps, event(input.initiatorId, 'run.created', input.id, status, {
    subject: input.subject.userId, planId: input.planId, steps: input.steps.length,
    scheduledAt: future ? scheduleAt : null, approvalRequired: input.requireApproval,
    ...(input.enteredIdentities && Object.keys(input.enteredIdentities).length > 0
      ? {enteredIdentities: input.enteredIdentities} : {}),
  }, now));
}

async function getRunOrThrow(store: RunStore, runId: string): Promise<Run> {
  const run = await store.getRun(runId);
  if (!run) throw new PermanentError(`Run ${runId} does not exist.`);
  return run;
}

async function getStepOrThrow(store: RunStore, runId: string, stepId: string): Promise<Step> {
  const step = await store.getStep(runId, stepId);
  if (!step) throw new PermanentError(`Step ${stepId} does not exist in run ${runId}.`);
  return step;
}

function requireNote(note: string, what: string): string {
  const trimmed = typeof note === 'string' ? note.trim() : '';
  if (trimmed === '') throw new PermanentError(`A note is required to ${what}.`);
  if (trimmed.length > MAX_NOTE_LENGTH) {
    throw new PermanentError(`The note is too long (${trimmed.length} characters, at most ${MAX_NOTE_LENGTH}).`);
  }
  return trimmed;
}

const changedConcurrently = (what: string): PermanentError =>
  new PermanentError(`${what} changed while you acted; reload and try again.`);

/** A second admin approves: the run starts, or waits for its scheduled time. The initiator cannot approve. */
export async function approveRun(store: RunStore, clock: Clock, runId: string, actor: string): Promise<Run> {
  const run = await getRunOrThrow(store, runId);
  if (run.status !== 'awaiting_approval') {
    throw new PermanentError(`Run ${runId} is ${run.status}, not awaiting approval.`);
  }
  if (actor === run.initiatorId) {
    throw new PermanentError('A second admin must approve this run: the admin who started it cannot approve it.');
  }
  const now = clock.now();
  const status: RunStatus = run.scheduledAt !== null && run.scheduledAt > now ? 'scheduled' : 'running';
  const approved = await store.transitionRun(runId, ['awaiting_approval'], {
    status, approvedBy: actor, startedAt: status === 'running' ? now : null, updatedAt: now,
  }, event(actor, 'run.approved', runId, status, {scheduledAt: run.scheduledAt}, now));
  if (!approved) throw changedConcurrently(`Run ${runId}`);
  return approved;
}

/**
 * Cancels a run that has not finished. Steps that have not started (pending, manual_pending, or running under an
 * expired lease, i.e. abandoned) become skipped; a step running under a live lease finishes and records what it did,
 * because the change it made happened either way.
 */
export async function cancelRun(store: RunStore, clock: Clock, runId: string, actor: string): Promise<Run> {
  const run = await getRunOrThrow(store, runId);
  if (isTerminalRun(run.status)) throw new PermanentError(`Run ${runId} is already ${run.status}.`);
  const now = clock.now();
  const cancelled = await store.transitionRun(runId, [run.status], {
    status: 'cancelled', cancelledBy: actor, finishedAt: now, updatedAt: now,
  }, event(actor, 'run.cancelled', runId, 'cancelled', {previousStatus: run.status}, now));
  if (!cancelled) throw changedConcurrently(`Run ${runId}`);
  for (const step of await store.listSteps(runId)) {
    const abandoned = step.state === 'running' && leaseExpired(step, now);
    if (step.state !== 'pending' && step.state !== 'manual_pending' && !abandoned) continue;
    await store.updateStep(runId, step.id, [step.state], null, {
      state: 'skipped', error: 'run cancelled', leaseOwner: null, leaseUntil: null, finishedAt: now, updatedAt: now,
    }, event(actor, 'step.skipped', step.id, 'skipped', {reason: 'run cancelled'}, now));
  }
  return cancelled;
}

/** Steps skipped (transitively) only because `stepId` failed: they get another chance with it. */
function dependentsSkippedBecauseOf(steps: readonly Step[], stepId: string): Step[] {
  const reset = new Set([stepId]);
  const found: Step[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of steps) {
      if (step.state !== 'skipped' || reset.has(step.id)) continue;
      const cause = parseDependencySkip(step.error);
      if (cause !== undefined && reset.has(cause) && step.dependsOn.includes(cause)) {
        reset.add(step.id);
        found.push(step);
        grew = true;
      }
    }
  }
  return found;
}

/** A fresh start: attempts, back-off, lease, results and the retry budget's clock are all reset. */
function resetPatch(actor: string, now: number): StepPatch {
  return {
    state: 'pending', attempts: 0, notBefore: null, leaseOwner: null, leaseUntil: null, outcome: null, verified: null,
    verifyEvidence: null, error: null, actedBy: actor, startedAt: null, finishedAt: null, updatedAt: now,
  };
}

/** Re-runs a failed step and the steps skipped because of it; a finished run is reopened. */
export async function retryStep(store: RunStore, clock: Clock, runId: string, stepId: string, actor: string):
  Promise<Step> {
  const run = await getRunOrThrow(store, runId);
  if (run.status === 'cancelled') throw new PermanentError(`Run ${runId} was cancelled; its steps cannot be retried.`);
  const step = await getStepOrThrow(store, runId, stepId);
  if (step.state !== 'failed') {
    throw new PermanentError(`Step ${stepId} is ${step.state}; only failed steps can be retried.`);
  }
  const now = clock.now();
  const dependents = dependentsSkippedBecauseOf(await store.listSteps(runId), stepId);
  const retried = await store.updateStep(runId, stepId, ['failed'], null, resetPatch(actor, now),
    event(actor, 'step.retry', stepId, 'pending', {previousError: step.error, dependents: dependents.map((d) => d.id)},
      now));
  if (!retried) throw changedConcurrently(`Step ${stepId}`);
  for (const dependent of dependents) {
    await store.updateStep(runId, dependent.id, ['skipped'], null, resetPatch(actor, now),
      event(actor, 'step.reset', dependent.id, 'pending', {because: stepId, previousReason: dependent.error}, now));
  }
  if (run.status === 'completed' || run.status === 'completed_with_errors') {
    await store.transitionRun(runId, [run.status], {status: 'running', finishedAt: null, updatedAt: now},
      event(actor, 'run.reopened', runId, 'running', {because: stepId}, now));
  }
  return retried;
}

const SKIPPABLE: readonly StepState[] = ['pending', 'failed', 'manual_pending'];

/** An admin decides a step will not be done. A note saying why is required for the audit trail. */
export async function skipStep(
  store: RunStore, clock: Clock, runId: string, stepId: string, actor: string, note: string,
): Promise<Step> {
  const text = requireNote(note, 'skip a step');
  const run = await getRunOrThrow(store, runId);
  if (run.status === 'cancelled') throw new PermanentError(`Run ${runId} was cancelled.`);
  const step = await getStepOrThrow(store, runId, stepId);
  if (!SKIPPABLE.includes(step.state)) {
    throw new PermanentError(`Step ${stepId} is ${step.state}; only pending, failed or manual steps can be skipped.`);
  }
  const now = clock.now();
  const skipped = await store.updateStep(runId, stepId, [step.state], null, {
    state: 'skipped', note: text, actedBy: actor, error: 'skipped by an admin', notBefore: null, finishedAt: now,
    updatedAt: now,
  }, event(actor, 'step.skipped', stepId, 'skipped', {note: text, previousState: step.state}, now));
  if (!skipped) throw changedConcurrently(`Step ${stepId}`);
  await settleFinishedRun(store, run, actor, now);
  return skipped;
}

/** Skipping the last failed step of a run that completed with errors makes it simply completed. */
async function settleFinishedRun(store: RunStore, run: Run, actor: string, now: number): Promise<void> {
  if (run.status !== 'completed_with_errors') return;
  const status = nextRunStatus(await store.listSteps(run.id));
  if (status !== 'completed') return;
  await store.transitionRun(run.id, ['completed_with_errors'], {status, updatedAt: now},
    event(actor, 'run.completed', run.id, status, {reason: 'remaining failures skipped'}, now));
}

/** Marks a manual step done; the note (what was done, where) is required and kept as evidence. */
export async function completeManualStep(
  store: RunStore, clock: Clock, runId: string, stepId: string, actor: string, note: string,
): Promise<Step> {
  const text = requireNote(note, 'complete a manual step');
  const run = await getRunOrThrow(store, runId);
  if (run.status !== 'running') throw new PermanentError(`Run ${runId} is ${run.status}, not running.`);
  const step = await getStepOrThrow(store, runId, stepId);
  if (step.state !== 'manual_pending') {
    throw new PermanentError(
      `Step ${stepId} is ${step.state}; only a manual step waiting for an admin can be completed.`);
  }
  const now = clock.now();
  const done = await store.updateStep(runId, stepId, ['manual_pending'], null, {
    state: 'manual_done', note: text, actedBy: actor, finishedAt: now, updatedAt: now,
  }, event(actor, 'step.manual_done', stepId, 'manual_done', {note: text}, now));
  if (!done) throw changedConcurrently(`Step ${stepId}`);
  return done;
}
