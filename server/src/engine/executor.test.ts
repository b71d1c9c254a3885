// Executor behaviour on the fake provider, fake clock and memory store: ordering, retries, failures, verification,
// manual steps, scheduling and the audit trail it leaves.
import {describe, expect, it} from '@jest/globals';
import {completeManualStep} from './actions.js';
import {FakeProvider, stepSpec} from './testing/fake_provider.js';
import {Harness, LEASE_MS} from './testing/harness.js';
import type {Run, Step} from './types.js';

describe('Executor', () => {
  it('runs steps by phase and dependency, verifies them, and completes the run with an audit trail', async () => {
    const mm = new FakeProvider({id: 'mm'});
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([mm, gh]);
    const sessions = stepSpec('mm', 'revoke_sessions', 'bob', {phase: 'contain'});
    const team = stepSpec('mm', 'remove_team', 't1', {phase: 'revoke'});
    const org = stepSpec('gh', 'remove_member', 'acme', {phase: 'revoke', dependsOn: [sessions.id]});
    const deactivate = stepSpec('mm', 'deactivate', 'bob', {phase: 'cleanup', dependsOn: [org.id]});
    const run = await h.startRun([deactivate, org, team, sessions]);
    mm.script(sessions.id, {kind: 'succeed', evidence: {revoked: 3, nested: {ids: ['s1', 's2']}}});

    const done = await h.runUntilDone([h.executor()], run.id);

    expect(done.status).toBe('completed');
    expect(done.finishedAt).not.toBeNull();
    // One round per layer: revoke_sessions (contain), then both revoke steps together, then cleanup.
    const t0 = run.createdAt;
    const startedAt = Object.fromEntries([...mm.calls, ...gh.calls].filter((c) => c.method === 'execute')
      .map((c) => [c.stepId, c.at - t0]));
    expect(startedAt).toEqual({[sessions.id]: 0, [team.id]: 1000, [org.id]: 1000, [deactivate.id]: 2000});
    const steps = await h.store.listSteps(run.id);
    expect(steps.every((s) => s.state === 'done' && s.verified === true && s.attempts === 1)).toBe(true);
    const sessionStep = steps.find((s) => s.id === sessions.id) as Step;
    expect(sessionStep.outcome?.evidence).toEqual({revoked: 3, nested: {ids: ['s1', 's2']}});
    expect(sessionStep.verifyEvidence).toEqual({present: false, checked: 'bob'});

    const audit = await h.store.listAudit(run.id);
    const doneEvent = audit.find((e) => e.action === 'step.done' && e.target === sessions.id);
    expect(doneEvent).toMatchObject({
      actor: 'executor:A', outcome: 'done',
      evidence: {attempt: 1, execute: {revoked: 3, nested: {ids: ['s1', 's2']}}, verify: {present: false, checked: 'bob'}},
    });
    expect(audit.map((e) => e.action)).toEqual([
      'run.created',
      'step.started', 'step.done',
      'step.started', 'step.started', 'step.done', 'step.done',
      'step.started', 'step.done',
      'run.completed',
    ]);
  });

  it('retries a transient failure no earlier than Retry-After', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    gh.script(org.id, {kind: 'transient', retryAfterMs: 30_000, message: 'secondary rate limit'});
    const run = await h.startRun([org]);
    const executor = h.executor();
    const t0 = h.clock.now();

    expect(await executor.tick()).toBe(1);
    await executor.idle();
    let step = await h.store.getStep(run.id, org.id) as Step;
    expect(step).toMatchObject({state: 'pending', notBefore: t0 + 30_000, error: 'secondary rate limit',
      leaseOwner: null, attempts: 1});

    await h.clock.advance(29_999);
    expect(await executor.tick()).toBe(0);
    await h.clock.advance(1);
    expect(await executor.tick()).toBe(1);
    await executor.idle();
    step = await h.store.getStep(run.id, org.id) as Step;
    expect(step).toMatchObject({state: 'done', attempts: 2, error: null});
    expect(gh.calls.filter((c) => c.method === 'execute').map((c) => c.at - t0)).toEqual([0, 30_000]);
    expect(await h.actions(run.id)).toContain(`step.retry_scheduled ${org.id}`);
  });

  it('fails a step once the retry budget is spent', async () => {
    const gh = new FakeProvider({id: 'gh', retry: {budgetMs: 10_000, maxAttempts: 10}});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    gh.script(org.id, {kind: 'transient', retryAfterMs: 6_000}, {kind: 'transient', retryAfterMs: 6_000});
    const run = await h.startRun([org]);

    const done = await h.runUntilDone([h.executor()], run.id);

    expect(done.status).toBe('completed_with_errors');
    const step = await h.store.getStep(run.id, org.id) as Step;
    expect(step).toMatchObject({state: 'failed', attempts: 2, error: 'retry budget of 10s exhausted: service unavailable'});
    expect(gh.count('execute', org.id)).toBe(2);
  });

  it('fails a permanent error at once, skips its dependents and still runs independent steps', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    const team = stepSpec('gh', 'remove_team', 'core', {dependsOn: [org.id]});
    const after = stepSpec('gh', 'audit_log', 'acme', {phase: 'cleanup', dependsOn: [team.id]});
    const other = stepSpec('gh', 'remove_collaborator', 'repo');
    gh.script(org.id, {kind: 'permanent', message: 'Must have admin rights'});
    const run = await h.startRun([org, team, after, other]);

    const done = await h.runUntilDone([h.executor()], run.id);

    expect(done.status).toBe('completed_with_errors');
    expect(await h.states(run.id)).toEqual({
      [org.id]: 'failed', [team.id]: 'skipped', [after.id]: 'skipped', [other.id]: 'done',
    });
    const steps = await h.store.listSteps(run.id);
    expect(steps.find((s) => s.id === team.id)?.error).toBe(`dependency ${org.id} failed`);
    expect(steps.find((s) => s.id === after.id)?.error).toBe(`dependency ${team.id} skipped`);
    expect(gh.count('execute', org.id)).toBe(1);
    expect(gh.count('execute', team.id)).toBe(0);
  });

  it('treats a provider bug as a failure, logs it as an error, and keeps going', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const bad = stepSpec('gh', 'remove_member', 'acme');
    const good = stepSpec('gh', 'remove_member', 'other');
    gh.script(bad.id, {kind: 'bug', message: 'cannot read properties of undefined'});
    const run = await h.startRun([bad, good]);

    await h.runUntilDone([h.executor()], run.id);

    expect(await h.states(run.id)).toEqual({[bad.id]: 'failed', [good.id]: 'done'});
    expect((await h.store.getStep(run.id, bad.id))?.error).toBe('unexpected error: cannot read properties of undefined');
    expect(h.log.find('error', 'unexpected error (a bug)')).toHaveLength(1);
  });

  it('retries when verification fails, and fails with verified=false when it keeps failing', async () => {
    const gh = new FakeProvider({id: 'gh', retry: {maxAttempts: 2, baseDelayMs: 100}});
    const h = new Harness([gh]);
    const flaky = stepSpec('gh', 'remove_member', 'acme');
    const stuck = stepSpec('gh', 'remove_member', 'stuck');
    gh.failVerify(flaky.id, 1).failVerify(stuck.id, 5, 'still a member');
    const run = await h.startRun([flaky, stuck]);

    await h.runUntilDone([h.executor()], run.id);

    const steps = await h.store.listSteps(run.id);
    expect(steps[0]).toMatchObject({state: 'done', verified: true, attempts: 2});
    expect(steps[1]).toMatchObject({
      state: 'failed', verified: false, attempts: 2, verifyEvidence: {present: true},
      outcome: {kind: 'done', evidence: {removed: 'stuck'}},
      error: 'gave up after 2 attempts: verification failed: still a member',
    });
    expect(gh.count('verify', stuck.id)).toBe(2);
  });

  it('records provider skips and already-done outcomes as they are', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const skip = stepSpec('gh', 'remove_member', 'none');
    const gone = stepSpec('gh', 'remove_member', 'gone');
    gh.script(skip.id, {kind: 'skip', reason: 'not a member'}).script(gone.id, {kind: 'already_done'});
    const run = await h.startRun([skip, gone]);

    expect((await h.runUntilDone([h.executor()], run.id)).status).toBe('completed');

    const steps = await h.store.listSteps(run.id);
    expect(steps[0]).toMatchObject({state: 'skipped', verified: null, error: 'not a member'});
    expect(steps[1]).toMatchObject({state: 'already_done', verified: true});
    expect(gh.count('verify', skip.id)).toBe(0);
  });

  it('waits on a manual step until an admin completes it, holding the provider\'s later phases', async () => {
    const mm = new FakeProvider({id: 'mm'});
    const h = new Harness([mm]);
    const ask = stepSpec('mm', 'confirm_identity', 'bob', {phase: 'contain', kind: 'manual', instructions: 'Check HR'});
    const team = stepSpec('mm', 'remove_team', 't1', {phase: 'revoke'});
    const run = await h.startRun([ask, team]);
    const executor = h.executor();

    await executor.tick();
    await executor.idle();
    expect(await h.states(run.id)).toEqual({[ask.id]: 'manual_pending', [team.id]: 'pending'});
    await h.clock.advance(LEASE_MS);
    expect(await executor.tick()).toBe(0);

    await completeManualStep(h.store, h.clock, run.id, ask.id, 'admin-2', 'HR confirmed the last day');
    const done = await h.runUntilDone([executor], run.id);
    expect(done.status).toBe('completed');
    expect(await h.store.getStep(run.id, ask.id)).toMatchObject({state: 'manual_done', note: 'HR confirmed the last day',
      actedBy: 'admin-2'});
  });

  it('starts a scheduled run once the clock passes scheduledAt', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    const at = h.clock.now() + 3_600_000;
    const run = await h.startRun([org], {scheduleAt: at});
    const executor = h.executor();
    expect(run.status).toBe('scheduled');

    await h.clock.advance(3_599_999);
    expect(await executor.tick()).toBe(0);
    expect((await h.store.getRun(run.id))?.status).toBe('scheduled');
    await h.clock.advance(1);
    expect(await executor.tick()).toBe(1);
    expect(await h.store.getRun(run.id)).toMatchObject({status: 'running', startedAt: at});
    expect((await h.runUntilDone([executor], run.id)).status).toBe('completed');
  });

  it('reports every change to onChange with fresh copies', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    const run = await h.startRun([org]);
    const seen: string[] = [];
    const executor = h.executor('A', {
      onChange: (r: Run, steps: Step[], changed: Step | null) => {
        seen.push(`${r.status} ${changed ? `${changed.id}=${changed.state}` : 'run'} ${steps.length}`);
      },
    });

    await h.runUntilDone([executor], run.id);
    await executor.idle();

    expect(seen).toEqual([`running ${org.id}=running 1`, `running ${org.id}=done 1`, 'completed run 1']);
  });
});
