// Shared fixtures for the report and export tests: a finished run with one step in every state.
import type {Run, Step, StepState} from '../../engine/types.js';
import {STEP_STATES} from '../../engine/types.js';

export const HOSTILE_NAME = '**@all** [x](javascript:alert(1))';

export function buildRunFixture(over: Partial<Run> = {}): Run {
  return {
    id: 'run-1', status: 'completed_with_errors',
    subject: {userId: 'u1', username: 'alice', email: 'alice@example.com', displayName: HOSTILE_NAME, roles: [],
      isBot: false},
    initiatorId: 'u-admin', planId: 'plan-1', options: {}, scheduledAt: null, approvalRequired: true,
    approvedBy: 'u-admin2', cancelledBy: null, channelId: 'c1', postId: 'p1', createdAt: Date.UTC(2024, 4, 1, 9),
    updatedAt: Date.UTC(2024, 4, 1, 10), startedAt: Date.UTC(2024, 4, 1, 9, 5), finishedAt: Date.UTC(2024, 4, 1, 10),
    ...over,
  };
}

export function buildStepFixture(seq: number, state: StepState, over: Partial<Step> = {}): Step {
  return {
    runId: 'run-1', id: `github:remove_member:${seq}`, seq, provider: 'github', phase: 'revoke',
    action: 'remove_member', target: `org-${seq}`, title: `Remove from org ${seq}`, kind: 'auto', dependsOn: [],
    params: {}, state, attempts: 1, leaseOwner: null, leaseUntil: null, notBefore: null,
    outcome: state === 'done' ? {kind: 'done', evidence: {removed: true}} : null,
    verified: state === 'done' ? true : null, verifyEvidence: state === 'done' ? {member: false} : null,
    error: state === 'failed' ? 'HTTP 403 | forbidden' : null, note: null, actedBy: null,
    startedAt: Date.UTC(2024, 4, 1, 9, 10), finishedAt: state === 'done' ? Date.UTC(2024, 4, 1, 9, 11) : null,
    updatedAt: Date.UTC(2024, 4, 1, 9, 11), ...over,
  };
}

/** One step per state, listed in reverse seq order to prove the report sorts them. */
export function buildStepsInEveryState(): Step[] {
  return STEP_STATES.map((state, i) => buildStepFixture(i + 1, state)).reverse();
}
