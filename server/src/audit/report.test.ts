// The report object: counts per state, stable step order, ISO times, evidence and the audit chain's state.
import {describe, expect, it} from '@jest/globals';
import type {AuditEvent} from '../engine/types.js';
import {buildAuditEvent} from './chain.js';
import {buildReport, buildStepCounts} from './report.js';
import {buildRunFixture, buildStepFixture, buildStepsInEveryState, HOSTILE_NAME} from './testing/report_fixtures.js';

function events(n: number): AuditEvent[] {
  const list: AuditEvent[] = [];
  for (let i = 0; i < n; i += 1) {
    list.push(buildAuditEvent(list.at(-1), 'run-1',
      {actor: 'system', action: `e${i}`, target: 'run', outcome: 'ok', evidence: {}, at: 1_000 + i}));
  }
  return list;
}

describe('buildReport', () => {
  it('counts steps per state', () => {
    const steps = [...buildStepsInEveryState(), buildStepFixture(9, 'done'), buildStepFixture(10, 'failed')];
    expect(buildReport(buildRunFixture(), steps, []).run.counts).toEqual({
      total: 10, done: 2, already_done: 1, failed: 2, skipped: 1, manual_pending: 1, manual_done: 1, pending: 1,
      running: 1,
    });
    expect(buildStepCounts([])).toEqual({total: 0, done: 0, already_done: 0, failed: 0, skipped: 0,
      manual_pending: 0, manual_done: 0, pending: 0, running: 0});
  });

  it('describes the run with ISO times and orders steps by seq', () => {
    const report = buildReport(buildRunFixture(), buildStepsInEveryState(), events(3));
    expect(report.run).toMatchObject({
      id: 'run-1', status: 'completed_with_errors', initiatorId: 'u-admin', approvedBy: 'u-admin2',
      cancelledBy: null, createdAt: '2024-05-01T09:00:00.000Z', startedAt: '2024-05-01T09:05:00.000Z',
      finishedAt: '2024-05-01T10:00:00.000Z',
      subject: {userId: 'u1', username: 'alice', email: 'alice@example.com', displayName: HOSTILE_NAME},
    });
    expect(Object.keys(report.run.subject)).toEqual(['userId', 'username', 'email', 'displayName']);
    expect(report.steps.map((s) => s.id)).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `github:remove_member:${n}`));
  });

  it('carries each step\'s evidence and result', () => {
    const report = buildReport(buildRunFixture(), [buildStepFixture(1, 'done', {note: 'ok', actedBy: 'u-admin'})], []);
    expect(report.steps[0]).toEqual({
      id: 'github:remove_member:1', provider: 'github', phase: 'revoke', action: 'remove_member', target: 'org-1',
      title: 'Remove from org 1', kind: 'auto', state: 'done', verified: true, attempts: 1, error: null, note: 'ok',
      actedBy: 'u-admin', startedAt: '2024-05-01T09:10:00.000Z', finishedAt: '2024-05-01T09:11:00.000Z',
      evidence: {outcome: {removed: true}, verification: {member: false}},
    });
  });

  it('reports the audit head and, when given, the verification', () => {
    const chain = events(3);
    const unverified = buildReport(buildRunFixture(), [], chain);
    expect(unverified.audit).toEqual({events: 3, head: chain[2]!.hash});
    const problems = [{seq: 3, reason: 'hash mismatch: the event was altered'}];
    expect(buildReport(buildRunFixture(), [], chain, {ok: false, problems}).audit)
      .toEqual({events: 3, head: chain[2]!.hash, verified: false, problems});
    expect(buildReport(buildRunFixture(), [], []).audit).toEqual({events: 0, head: null});
  });
});
