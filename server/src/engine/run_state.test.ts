// The state machines as data and the derivations over them (run completion, counts, lease expiry, skip reasons).
import {describe, expect, it} from '@jest/globals';
import {
  canTransitionRun, canTransitionStep, countSteps, dependencySkipReason, leaseExpired, nextRunStatus,
  parseDependencySkip, RUN_TRANSITIONS, STEP_TRANSITIONS,
} from './run_state.js';
import {RUN_STATUSES, STEP_STATES, TERMINAL_RUN_STATUSES} from './types.js';
import type {StepState} from './types.js';

const states = (...s: StepState[]): {state: StepState}[] => s.map((state) => ({state}));

describe('run and step transitions', () => {
  it('cover every status and state, and terminal runs only leave through an admin retry', () => {
    expect(Object.keys(RUN_TRANSITIONS).sort()).toEqual([...RUN_STATUSES].sort());
    expect(Object.keys(STEP_TRANSITIONS).sort()).toEqual([...STEP_STATES].sort());
    expect(TERMINAL_RUN_STATUSES.flatMap((s) => RUN_TRANSITIONS[s])).toEqual(['running', 'completed']);
  });

  it('answers single questions', () => {
    expect(canTransitionRun('awaiting_approval', 'running')).toBe(true);
    expect(canTransitionRun('awaiting_approval', 'scheduled')).toBe(true);
    expect(canTransitionRun('scheduled', 'completed')).toBe(false);
    expect(canTransitionRun('cancelled', 'running')).toBe(false);
    expect(canTransitionStep('running', 'pending')).toBe(true);
    expect(canTransitionStep('done', 'pending')).toBe(false);
    expect(canTransitionStep('manual_pending', 'manual_done')).toBe(true);
  });
});

describe('nextRunStatus', () => {
  it('stays running while any step can still change', () => {
    expect(nextRunStatus(states('done', 'pending'))).toBeUndefined();
    expect(nextRunStatus(states('done', 'running'))).toBeUndefined();
    expect(nextRunStatus(states('done', 'manual_pending'))).toBeUndefined();
  });

  it('completes, with errors when a step failed', () => {
    expect(nextRunStatus(states('done', 'already_done', 'skipped', 'manual_done'))).toBe('completed');
    expect(nextRunStatus(states('done', 'failed', 'skipped'))).toBe('completed_with_errors');
    expect(nextRunStatus([])).toBe('completed');
  });
});

describe('helpers', () => {
  it('counts every state', () => {
    const counts = countSteps(states('done', 'done', 'failed'));
    expect(counts).toEqual({
      pending: 0, running: 0, done: 2, already_done: 0, failed: 1, skipped: 0, manual_pending: 0, manual_done: 0,
    });
  });

  it('treats a lease as valid strictly before leaseUntil', () => {
    expect(leaseExpired({leaseUntil: 100}, 99)).toBe(false);
    expect(leaseExpired({leaseUntil: 100}, 100)).toBe(true);
    expect(leaseExpired({leaseUntil: null}, 0)).toBe(true);
  });

  it('round-trips dependency skip reasons and ignores other reasons', () => {
    expect(dependencySkipReason('gh:remove:acme', 'failed')).toBe('dependency gh:remove:acme failed');
    expect(parseDependencySkip(dependencySkipReason('gh:remove:acme', 'skipped'))).toBe('gh:remove:acme');
    expect(parseDependencySkip('run cancelled')).toBeUndefined();
    expect(parseDependencySkip(null)).toBeUndefined();
  });
});
