// Runs and steps as the store returns them, for the pure card and reply renderers' tests.
import type {Json, Run, Step} from '../../engine/types.js';
import type {RunAction} from '../rpc_schema.js';
import type {CardActions} from '../run_card.js';

export const RUN_ID = 'r'.repeat(26);
export const INJECTION = '**@all** [x](javascript:alert(1))';

export function makeRun(overrides: Partial<Run> = {}): Run {
  return {
    id: RUN_ID, status: 'running',
    subject: {userId: 'd'.repeat(26), username: 'dana', email: 'dana@example.com', displayName: 'Dana Whitfield',
      roles: ['system_user'], isBot: false},
    initiatorId: 'a'.repeat(26), planId: null, options: {}, scheduledAt: null, approvalRequired: false,
    approvedBy: null, cancelledBy: null, channelId: null, postId: null, createdAt: Date.UTC(2025, 0, 1),
    updatedAt: Date.UTC(2025, 0, 1), startedAt: Date.UTC(2025, 0, 1), finishedAt: null, ...overrides,
  };
}

let seq = 0;

export function makeStep(overrides: Partial<Step> & Pick<Step, 'id'>): Step {
  seq += 1;
  return {
    runId: RUN_ID, seq, provider: 'mattermost', phase: 'contain', action: 'revoke', target: overrides.id,
    title: `Step ${overrides.id}`, kind: 'auto', dependsOn: [], params: {}, state: 'pending', attempts: 0,
    leaseOwner: null, leaseUntil: null, notBefore: null, outcome: null, verified: null, verifyEvidence: null,
    error: null, note: null, actedBy: null, startedAt: null, finishedAt: null, updatedAt: Date.UTC(2025, 0, 1),
    ...overrides,
  };
}

/** Records what buttons were minted; the token is a readable stand-in for the HMAC. */
export function recordingActions(): CardActions & {minted: string[]} {
  const minted: string[] = [];
  return {
    minted,
    url: 'https://offboard.example.com/mattermost/action',
    context(runId: string, action: RunAction, stepId?: string): Record<string, Json> {
      minted.push(`${action}:${stepId ?? ''}`);
      const base = {token: `tok-${action}-${stepId ?? ''}`, action, run_id: runId};
      return stepId ? {...base, step_id: stepId} : base;
    },
  };
}
