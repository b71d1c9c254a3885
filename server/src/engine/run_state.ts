// The run and step state machines as data, plus the pure derivations the executor, actions and views share:
// when a run is finished, step counts, lease expiry and the wording of dependency skips.
import {STEP_STATES, TERMINAL_RUN_STATUSES, TERMINAL_STEP_STATES} from './types.js';
import type {RunStatus, Step, StepState} from './types.js';

/**
 * Allowed run transitions. `completed_with_errors → running` happens when an admin retries a failed step;
 * `completed_with_errors → completed` when an admin skips the last failed step.
 */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  awaiting_approval: ['running', 'scheduled', 'cancelled'],
  scheduled: ['running', 'cancelled'],
  running: ['completed', 'completed_with_errors', 'cancelled'],
  completed_with_errors: ['running', 'completed'],
  completed: [],
  cancelled: [],
};

/**
 * Allowed step transitions. `running → running` is a re-claim after the lease expired (the owner died);
 * `running → pending` is a retry after back-off; `failed/skipped → pending` is an admin retry;
 * `pending → failed` happens when no provider with the step's id is configured.
 */
export const STEP_TRANSITIONS: Readonly<Record<StepState, readonly StepState[]>> = {
  pending: ['running', 'manual_pending', 'skipped', 'failed'],
  running: ['running', 'pending', 'done', 'already_done', 'skipped', 'failed'],
  manual_pending: ['manual_done', 'skipped'],
  failed: ['pending', 'skipped'],
  skipped: ['pending'],
  done: [],
  already_done: [],
  manual_done: [],
};

export function canTransitionRun(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

export function canTransitionStep(from: StepState, to: StepState): boolean {
  return STEP_TRANSITIONS[from].includes(to);
}

export function isTerminalRun(status: RunStatus): boolean {
  return TERMINAL_RUN_STATUSES.includes(status);
}

export function isTerminalStep(state: StepState): boolean {
  return TERMINAL_STEP_STATES.includes(state);
}

/**
 * The status a running run should move to, or undefined while work remains (any step pending, running or
 * manual_pending). An empty run is complete.
 */
export function nextRunStatus(steps: readonly Pick<Step, 'state'>[]): RunStatus | undefined {
  if (steps.some((s) => !isTerminalStep(s.state))) return undefined;
  return steps.some((s) => s.state === 'failed') ? 'completed_with_errors' : 'completed';
}

/** Number of steps per state, every state present (zero when none), for run cards and reports. */
export function countSteps(steps: readonly Pick<Step, 'state'>[]): Record<StepState, number> {
  const counts = Object.fromEntries(STEP_STATES.map((s) => [s, 0])) as Record<StepState, number>;
  for (const step of steps) counts[step.state] += 1;
  return counts;
}

/** A lease is valid up to, but not including, `leaseUntil`; a running step without one is treated as expired. */
export function leaseExpired(step: Pick<Step, 'leaseUntil'>, now: number): boolean {
  return step.leaseUntil === null || step.leaseUntil <= now;
}

/** The recorded reason when a step is skipped because of a dependency; retryStep() parses it back. */
export function dependencySkipReason(dependencyId: string, state: 'failed' | 'skipped'): string {
  return `dependency ${dependencyId} ${state}`;
}

/** The dependency id named in a dependencySkipReason(), or undefined for any other skip (admin, cancel, provider). */
export function parseDependencySkip(reason: string | null): string | undefined {
  const match = /^dependency (.+) (failed|skipped)$/.exec(reason ?? '');
  return match?.[1];
}
