// Admin actions: run creation, four-eyes approval, scheduling, cancel, retry of failed steps with their skipped
// dependents, admin skips and manual completion. Refusals must change nothing.
import {describe, expect, it} from '@jest/globals';
import {approveRun, cancelRun, completeManualStep, MAX_NOTE_LENGTH, retryStep, skipStep} from './actions.js';
import {PermanentError} from './errors.js';
import {FakeProvider, stepSpec} from './testing/fake_provider.js';
import {Harness} from './testing/harness.js';

async function unchanged(h: Harness, runId: string, act: () => Promise<unknown>, message: string | RegExp):
  Promise<void> {
  const before = {run: await h.store.getRun(runId), steps: await h.store.listSteps(runId),
    audit: await h.store.listAudit(runId)};
  await expect(act()).rejects.toThrow(message);
  await expect(act()).rejects.toBeInstanceOf(PermanentError);
  expect({run: await h.store.getRun(runId), steps: await h.store.listSteps(runId),
    audit: await h.store.listAudit(runId)}).toEqual(before);
}

describe('createRun', () => {
  it('picks the first status from approval and schedule', async () => {
    const h = new Harness([]);
    const step = stepSpec('gh', 'remove_member', 'acme');
    const later = h.clock.now() + 60_000;
    expect((await h.startRun([step])).status).toBe('running');
    expect((await h.startRun([step], {scheduleAt: later})).status).toBe('scheduled');
    expect((await h.startRun([step], {scheduleAt: h.clock.now() - 1})).status).toBe('running');
    const approval = await h.startRun([step], {requireApproval: true, scheduleAt: later});
    expect(approval).toMatchObject({status: 'awaiting_approval', scheduledAt: later, approvalRequired: true});
    expect((await h.store.listAudit(approval.id))[0]).toMatchObject({actor: 'admin-1', action: 'run.created',
      outcome: 'awaiting_approval'});
  });

  it('refuses an empty or invalid plan before storing anything', async () => {
    const h = new Harness([]);
    await expect(h.startRun([])).rejects.toThrow('at least one step');
    await expect(h.startRun([stepSpec('gh', 'a', '1', {dependsOn: ['x']})])).rejects.toThrow('not in the plan');
    await expect(h.startRun([stepSpec('gh', 'a', '1')], {scheduleAt: Number.NaN})).rejects.toThrow('not a valid time');
    expect(await h.store.listRuns()).toEqual([]);
  });
});

describe('approveRun', () => {
  it('needs a second admin, then runs at once', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const run = await h.startRun([stepSpec('gh', 'remove_member', 'acme')], {requireApproval: true});
    expect(await h.executor().tick()).toBe(0);

    await unchanged(h, run.id, () => approveRun(h.store, h.clock, run.id, 'admin-1'), 'A second admin must approve');
    const approved = await approveRun(h.store, h.clock, run.id, 'admin-2');
    expect(approved).toMatchObject({status: 'running', approvedBy: 'admin-2', startedAt: h.clock.now()});
    await unchanged(h, run.id, () => approveRun(h.store, h.clock, run.id, 'admin-3'), 'is running, not awaiting approval');
    expect((await h.runUntilDone([h.executor()], run.id)).status).toBe('completed');
  });

  it('leaves a run with a future time scheduled, and the executor starts it when due', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const at = h.clock.now() + 10 * 60_000;
    const run = await h.startRun([stepSpec('gh', 'remove_member', 'acme')], {requireApproval: true, scheduleAt: at});
    expect((await approveRun(h.store, h.clock, run.id, 'admin-2')).status).toBe('scheduled');
    const executor = h.executor();
    expect(await executor.tick()).toBe(0);
    await h.clock.advance(10 * 60_000);
    expect(await executor.tick()).toBe(1);
  });

  it('refuses an unknown run', async () => {
    const h = new Harness([]);
    await expect(approveRun(h.store, h.clock, 'nope', 'admin-2')).rejects.toThrow('Run nope does not exist');
  });
});

describe('cancelRun', () => {
  it('skips steps that have not started, lets a running one finish, and stops the run', async () => {
    const gh = new FakeProvider({id: 'gh', concurrency: 1});
    const h = new Harness([gh]);
    const first = stepSpec('gh', 'remove_member', 'a');
    const second = stepSpec('gh', 'remove_member', 'b');
    const manual = stepSpec('gh', 'ask', 'c', {kind: 'manual'});
    gh.script(first.id, {kind: 'succeed', takesMs: 5_000});
    const run = await h.startRun([first, second, manual]);
    const executor = h.executor();
    await executor.tick();
    expect(await h.states(run.id)).toEqual({[first.id]: 'running', [second.id]: 'pending', [manual.id]: 'manual_pending'});

    const cancelled = await cancelRun(h.store, h.clock, run.id, 'admin-2');
    expect(cancelled).toMatchObject({status: 'cancelled', cancelledBy: 'admin-2'});
    await h.clock.advance(5_000);
    await executor.idle();
    expect(await executor.tick()).toBe(0);

    expect(await h.states(run.id)).toEqual({[first.id]: 'done', [second.id]: 'skipped', [manual.id]: 'skipped'});
    expect((await h.store.getStep(run.id, second.id))?.error).toBe('run cancelled');
    expect(gh.count('execute', second.id)).toBe(0);
    await unchanged(h, run.id, () => cancelRun(h.store, h.clock, run.id, 'admin-2'), 'already cancelled');
    await unchanged(h, run.id, () => retryStep(h.store, h.clock, run.id, first.id, 'admin-2'), 'was cancelled');
  });

  it('gives a step that fails while its run is being cancelled no further attempt', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const step = stepSpec('gh', 'remove_member', 'a');
    gh.script(step.id, {kind: 'transient', takesMs: 5_000});
    const run = await h.startRun([step]);
    const executor = h.executor();
    await executor.tick();
    await cancelRun(h.store, h.clock, run.id, 'admin-2');
    expect((await h.store.getStep(run.id, step.id))?.state).toBe('running');

    await h.clock.advance(5_000);
    await executor.idle();

    expect(await h.store.getStep(run.id, step.id)).toMatchObject({state: 'skipped', error: 'run cancelled'});
    expect(await h.actions(run.id)).toEqual([
      `run.created ${run.id}`, `step.started ${step.id}`, `run.cancelled ${run.id}`, `step.skipped ${step.id}`,
    ]);
  });
});

describe('retryStep', () => {
  it('re-runs a failed step and the steps skipped because of it, reopening the finished run', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    const team = stepSpec('gh', 'remove_team', 'core', {dependsOn: [org.id]});
    const tidy = stepSpec('gh', 'tidy', 'x', {phase: 'cleanup', dependsOn: [team.id]});
    gh.script(org.id, {kind: 'permanent'});
    const run = await h.startRun([org, team, tidy]);
    const executor = h.executor();
    expect((await h.runUntilDone([executor], run.id)).status).toBe('completed_with_errors');
    await unchanged(h, run.id, () => retryStep(h.store, h.clock, run.id, team.id, 'admin-2'), 'only failed steps');

    const retried = await retryStep(h.store, h.clock, run.id, org.id, 'admin-2');
    expect(retried).toMatchObject({state: 'pending', attempts: 0, notBefore: null, error: null, actedBy: 'admin-2'});
    expect(await h.states(run.id)).toEqual({[org.id]: 'pending', [team.id]: 'pending', [tidy.id]: 'pending'});
    expect((await h.store.getRun(run.id))?.status).toBe('running');

    expect((await h.runUntilDone([executor], run.id)).status).toBe('completed');
    expect(gh.count('execute', org.id)).toBe(2);
    expect(gh.count('execute', tidy.id)).toBe(1);
    expect(await h.actions(run.id)).toEqual(expect.arrayContaining([
      `step.retry ${org.id}`, `step.reset ${team.id}`, `step.reset ${tidy.id}`, `run.reopened ${run.id}`,
    ]));
  });
});

describe('skipStep and completeManualStep', () => {
  it('skips with a required note; skipping the last failure completes the run', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    gh.script(org.id, {kind: 'permanent'});
    const run = await h.startRun([org]);
    expect((await h.runUntilDone([h.executor()], run.id)).status).toBe('completed_with_errors');

    await unchanged(h, run.id, () => skipStep(h.store, h.clock, run.id, org.id, 'admin-2', '   '), 'A note is required');
    const skipped = await skipStep(h.store, h.clock, run.id, org.id, 'admin-2', ' Org removed by GitHub support ');
    expect(skipped).toMatchObject({state: 'skipped', note: 'Org removed by GitHub support', actedBy: 'admin-2'});
    expect((await h.store.getRun(run.id))?.status).toBe('completed');
    await unchanged(h, run.id, () => skipStep(h.store, h.clock, run.id, org.id, 'admin-2', 'again'),
      'only pending, failed or manual steps');
  });

  it('completes a manual step only with a non-empty note of bounded length', async () => {
    const mm = new FakeProvider({id: 'mm'});
    const h = new Harness([mm]);
    const ask = stepSpec('mm', 'wipe_laptop', 'bob', {kind: 'manual', assignee: 'it-desk'});
    const auto = stepSpec('mm', 'remove_team', 't1');
    const run = await h.startRun([ask, auto]);
    await unchanged(h, run.id, () => completeManualStep(h.store, h.clock, run.id, ask.id, 'admin-2', 'done'),
      'only a manual step waiting');
    const executor = h.executor();
    await executor.tick();
    await executor.idle();
    expect((await h.store.getStep(run.id, ask.id))?.state).toBe('manual_pending');

    await unchanged(h, run.id, () => completeManualStep(h.store, h.clock, run.id, ask.id, 'admin-2', ''),
      'A note is required');
    await unchanged(h, run.id,
      () => completeManualStep(h.store, h.clock, run.id, ask.id, 'admin-2', 'x'.repeat(MAX_NOTE_LENGTH + 1)),
      'too long');
    await unchanged(h, run.id, () => completeManualStep(h.store, h.clock, run.id, auto.id, 'admin-2', 'ok'),
      `Step ${auto.id} is done`);
    await completeManualStep(h.store, h.clock, run.id, ask.id, 'admin-2', 'x'.repeat(MAX_NOTE_LENGTH));
    expect((await h.runUntilDone([executor], run.id)).status).toBe('completed');
    const event = (await h.store.listAudit(run.id)).find((e) => e.action === 'step.manual_done');
    expect(event).toMatchObject({actor: 'admin-2', target: ask.id});
  });
});
