// The RunStore contract against SQLite and a real Postgres: every port method, compare-and-set, leases and fencing,
// exactly-once claims under concurrency, the audit chain and its tamper detection, migrations.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {startPostgres} from '../../../test/support/postgres.js';
import type {PostgresServer} from '../../../test/support/postgres.js';
import {GENESIS_HASH, verifyChain} from '../audit/chain.js';
import {PermanentError} from '../engine/errors.js';
import type {InventoryRecord, PlanRecord} from '../engine/ports.js';
import type {Json, Subject} from '../engine/types.js';
import type {SqlRunStore} from './index.js';
import {
  createStoreTargets, event, newRun, nextId, rawSql, runWithSteps, spec, subject,
} from './testing/store_fixtures.js';
import type {Target} from './testing/store_fixtures.js';

let pgServer: PostgresServer | undefined;
const targets = createStoreTargets(async () => {
  if (!pgServer) throw new Error('postgres was not started');
  return pgServer.createDatabase();
});
const open = (target: Target): Promise<SqlRunStore> => targets.open(target);
const freshTarget = (kind: Target['kind']): Promise<Target> => targets.fresh(kind);

beforeAll(async () => {
  pgServer = await startPostgres();
}, 60_000);

afterAll(async () => {
  await targets.cleanup();
  await pgServer?.stop();
});

describe.each(['sqlite', 'postgres'] as const)('%s store', (kind) => {
  let target: Target;
  let store: SqlRunStore;

  beforeAll(async () => {
    target = await freshTarget(kind);
    store = await open(target);
  });

  it('migrates at open, once, even when several connections open a fresh database at the same time', async () => {
    const fresh = await freshTarget(kind);
    const first = await Promise.all([open(fresh), open(fresh), open(fresh)]);
    const runId = await runWithSteps(first[0]!, ['a']);
    const again = await open(fresh);
    expect((await again.getRun(runId))?.id).toBe(runId);
    expect(await rawSql(fresh, 'select name from offboard_migration')).toEqual([{name: '0001_init'}]);
  });

  it('creates a run, its steps and the first audit event together', async () => {
    const runId = nextId('run');
    const created = await store.createRun(newRun(runId, {status: 'awaiting_approval', approvalRequired: true}), [
      spec('a', {dependsOn: [], params: {org: 'acme', nested: {list: [1, 'two', null]}}}),
      spec('b', {kind: 'manual', instructions: 'Collect the laptop', assignee: 'it-desk', dependsOn: ['a']}),
    ], event('run.created', 1_000, {by: 'u-admin'}));
    expect(created).toEqual({
      id: runId, status: 'awaiting_approval', subject, initiatorId: 'u-admin', planId: 'plan-1',
      options: {deactivate: true}, scheduledAt: null, approvalRequired: true, approvedBy: null, cancelledBy: null,
      channelId: null, postId: null, createdAt: 1_000, updatedAt: 1_000, startedAt: null, finishedAt: null,
    });
    expect(await store.getRun(runId)).toEqual(created);

    const steps = await store.listSteps(runId);
    expect(steps.map((s) => [s.id, s.seq, s.state])).toEqual([['a', 1, 'pending'], ['b', 2, 'manual_pending']]);
    expect(steps[0]).toEqual({
      runId, id: 'a', seq: 1, provider: 'github', phase: 'revoke', action: 'remove_member', target: 't-a',
      title: 'Remove a', kind: 'auto', dependsOn: [], params: {org: 'acme', nested: {list: [1, 'two', null]}},
      state: 'pending', attempts: 0, leaseOwner: null, leaseUntil: null, notBefore: null, outcome: null,
      verified: null, verifyEvidence: null, error: null, note: null, actedBy: null, startedAt: null, finishedAt: null,
      updatedAt: 1_000,
    });
    expect(steps[1]).toMatchObject({instructions: 'Collect the laptop', assignee: 'it-desk', dependsOn: ['a']});
    expect(await store.getStep(runId, 'b')).toEqual(steps[1]);
    expect(await store.getStep(runId, 'nope')).toBeUndefined();
    expect(await store.getRun('nope')).toBeUndefined();
    expect(await store.listSteps('nope')).toEqual([]);

    const audit = await store.listAudit(runId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject(
      {runId, seq: 1, action: 'run.created', evidence: {by: 'u-admin'}, prevHash: GENESIS_HASH});
    expect(await store.getAuditHead(runId)).toEqual({seq: 1, hash: audit[0]!.hash});
    expect(await store.getAuditHead('nope')).toBeUndefined();
  });

  it('refuses bad input with a PermanentError and changes nothing', async () => {
    const runId = await runWithSteps(store, ['a']);
    await expect(store.createRun(newRun(runId), [spec('z')], event('again'))).rejects.toThrow(PermanentError);
    expect((await store.listSteps(runId)).map((s) => s.id)).toEqual(['a']);
    expect(await store.listAudit(runId)).toHaveLength(1);

    const dup = nextId('run');
    await expect(store.createRun(newRun(dup), [spec('a'), spec('a')], event('x'))).rejects.toThrow(/appears twice/);
    const badPhase = nextId('run');
    await expect(store.createRun(newRun(badPhase), [spec('a', {phase: 'nap' as never})], event('x')))
      .rejects.toThrow(PermanentError);
    // The audit append fails after the run and steps were inserted: the transaction must roll all of it back.
    const badEvidence = nextId('run');
    await expect(store.createRun(newRun(badEvidence), [spec('a')], event('x', 1_000, {n: 1n as unknown as Json})))
      .rejects.toThrow(PermanentError);
    for (const id of [dup, badPhase, badEvidence]) {
      expect(await store.getRun(id)).toBeUndefined();
      expect(await store.listSteps(id)).toEqual([]);
    }

    await expect(store.updateStep(runId, 'a', ['pending'], null, {state: 'bogus' as never, updatedAt: 2})).rejects
      .toThrow(/unknown step state/);
    await expect(store.transitionRun(runId, ['nap' as never], {updatedAt: 2})).rejects.toThrow(PermanentError);
    await expect(store.appendAudit('nope', event('x'))).rejects.toThrow(/unknown run nope/);
    await expect(store.listRuns({limit: 0})).rejects.toThrow(PermanentError);
    await expect(store.claimStep(runId, ['a'], '', 1, 1)).rejects.toThrow(PermanentError);
    expect(await store.transitionRun('nope', [], {status: 'cancelled', updatedAt: 2})).toBeUndefined();
    expect(await store.updateStep(runId, 'nope', [], null, {note: 'x', updatedAt: 2})).toBeUndefined();
    expect(await store.getStep(runId, 'a')).toMatchObject({state: 'pending', updatedAt: 1_000});
  });

  it('lists runs newest first, by status and subject, with a limit', async () => {
    const who: Subject = {...subject, userId: nextId('u')};
    const old = await runWithSteps(store, [], {subject: who, createdAt: 10, status: 'scheduled'});
    const mid = await runWithSteps(store, [], {subject: who, createdAt: 20});
    const young = await runWithSteps(store, [], {subject: who, createdAt: 30});
    const mine = (await store.listRuns({subjectUserId: who.userId})).map((r) => r.id);
    expect(mine).toEqual([young, mid, old]);
    expect((await store.listRuns({subjectUserId: who.userId, limit: 2})).map((r) => r.id)).toEqual([young, mid]);
    expect((await store.listRuns({subjectUserId: who.userId, statuses: ['scheduled']})).map((r) => r.id))
      .toEqual([old]);
    expect(await store.listRuns({subjectUserId: who.userId, statuses: []})).toEqual([]);
    expect((await store.listRuns()).length).toBeGreaterThanOrEqual(3);
  });

  it('transitions a run only from the expected statuses, with its audit event', async () => {
    const runId = await runWithSteps(store, [], {status: 'awaiting_approval'});
    expect(await store.transitionRun(runId, ['running'], {status: 'completed', updatedAt: 2_000}, event('no')))
      .toBeUndefined();
    expect((await store.getRun(runId))?.status).toBe('awaiting_approval');
    expect(await store.listAudit(runId)).toHaveLength(1);

    const approved = await store.transitionRun(runId, ['awaiting_approval', 'scheduled'],
      {status: 'running', approvedBy: 'u-admin2', startedAt: 2_000, updatedAt: 2_000}, event('run.approved', 2_000));
    expect(approved).toMatchObject({status: 'running', approvedBy: 'u-admin2', startedAt: 2_000, updatedAt: 2_000});
    expect((await store.listAudit(runId)).map((e) => e.action)).toEqual(['run.created', 'run.approved']);

    const patched = await store.transitionRun(runId, [], {channelId: 'ch1', postId: 'p1', updatedAt: 2_500});
    expect(patched).toMatchObject({status: 'running', channelId: 'ch1', postId: 'p1', approvedBy: 'u-admin2'});
    expect(await store.listAudit(runId)).toHaveLength(2);
  });

  it('lets exactly one of 8 concurrent transitions win', async () => {
    const runId = await runWithSteps(store, [], {status: 'awaiting_approval'});
    const stores = await Promise.all(Array.from({length: 8}, () => open(target)));
    const results = await Promise.all(stores.map((s, i) => s.transitionRun(runId, ['awaiting_approval'],
      {status: i % 2 ? 'running' : 'cancelled', updatedAt: 3_000 + i}, event(`run.act.${i}`, 3_000 + i))));
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    expect(await store.getRun(runId)).toEqual(winners[0]);
    expect(await store.listAudit(runId)).toHaveLength(2);
  });

  it('claims the first claimable candidate in the caller\'s order', async () => {
    const runId = nextId('run');
    await store.createRun(newRun(runId), [spec('s1'), spec('s2'), spec('m', {kind: 'manual'}), spec('s3')],
      event('run.created'));
    const claimed = await store.claimStep(runId, ['m', 's3', 's1'], 'w1', 1_000, 5_000);
    expect(claimed).toMatchObject({id: 's3', state: 'running', attempts: 1, leaseOwner: 'w1', leaseUntil: 6_000,
      startedAt: 1_000, updatedAt: 1_000});
    expect(await store.getStep(runId, 's3')).toEqual(claimed);
    expect(await store.claimStep(runId, ['s3'], 'w2', 2_000, 5_000)).toBeUndefined();
    expect(await store.claimStep(runId, ['m'], 'w2', 2_000, 5_000)).toBeUndefined();
    expect(await store.claimStep(runId, [], 'w2', 2_000, 5_000)).toBeUndefined();
    expect(await store.claimStep(runId, ['ghost'], 'w2', 2_000, 5_000)).toBeUndefined();

    await store.updateStep(runId, 's1', ['pending'], null, {notBefore: 10_000, updatedAt: 2_000});
    expect(await store.claimStep(runId, ['s1'], 'w1', 9_999, 5_000)).toBeUndefined();
    expect(await store.claimStep(runId, ['s1', 's2'], 'w1', 9_999, 5_000)).toMatchObject({id: 's2'});
    expect(await store.claimStep(runId, ['s1'], 'w1', 10_000, 5_000)).toMatchObject({id: 's1', attempts: 1});
  });

  it('writes a claim and its audit event in one transaction, and reads events and head from one snapshot', async () => {
    const runId = nextId('run');
    await store.createRun(newRun(runId), [spec('s1'), spec('s2')], event('run.created'));
    const claimed = await store.claimStep(runId, ['s1'], 'w1', 1_000, 5_000,
      (step) => ({...event('step.started'), target: step.id, evidence: {attempt: step.attempts}}));
    expect(claimed).toMatchObject({id: 's1', attempts: 1});
    expect(await store.claimStep(runId, ['s1'], 'w2', 1_000, 5_000, () => event('never'))).toBeUndefined();
    const trail = await store.readAuditTrail(runId);
    expect(trail.events.map((e) => [e.action, e.target])).toEqual([['run.created', expect.any(String)],
      ['step.started', 's1']]);
    expect(trail.events[1]?.evidence).toEqual({attempt: 1});
    expect(trail.head).toEqual({seq: 2, hash: trail.events[1]?.hash});
    expect(verifyChain(trail.events, trail.head).ok).toBe(true);
  });

  it('reclaims an expired lease, never a live one, and fences the previous owner', async () => {
    const runId = await runWithSteps(store, ['s']);
    expect(await store.claimStep(runId, ['s'], 'w1', 1_000, 1_000)).toMatchObject({leaseUntil: 2_000});
    expect(await store.renewLease(runId, 's', 'w1', 3_000)).toBe(true);
    expect(await store.renewLease(runId, 's', 'w2', 9_000)).toBe(false);
    expect(await store.claimStep(runId, ['s'], 'w2', 2_999, 1_000)).toBeUndefined();
    const taken = await store.claimStep(runId, ['s'], 'w2', 3_000, 1_000);
    expect(taken).toMatchObject({leaseOwner: 'w2', attempts: 2, startedAt: 1_000, leaseUntil: 4_000});
    expect(await store.renewLease(runId, 's', 'w1', 9_000)).toBe(false);

    const auditBefore = (await store.listAudit(runId)).length;
    const late = await store.updateStep(runId, 's', ['running'], 'w1',
      {state: 'failed', error: 'late', leaseOwner: null, updatedAt: 3_100}, event('step.failed', 3_100));
    expect(late).toBeUndefined();
    expect(await store.getStep(runId, 's')).toEqual(taken);
    expect(await store.listAudit(runId)).toHaveLength(auditBefore);

    const done = await store.updateStep(runId, 's', ['running'], 'w2', {
      state: 'done', outcome: {kind: 'done', evidence: {removed: true}}, verified: true,
      verifyEvidence: {member: false}, leaseOwner: null, leaseUntil: null, finishedAt: 3_200, error: null,
      updatedAt: 3_200,
    }, event('step.done', 3_200, {step: 's'}));
    expect(done).toMatchObject({state: 'done', outcome: {kind: 'done', evidence: {removed: true}}, verified: true,
      verifyEvidence: {member: false}, leaseOwner: null, leaseUntil: null, finishedAt: 3_200, attempts: 2});
    expect((await store.listAudit(runId)).at(-1)).toMatchObject({action: 'step.done', seq: auditBefore + 1});
    expect(await store.updateStep(runId, 's', ['running'], 'w2', {state: 'failed', updatedAt: 3_300})).toBeUndefined();
    const noted = await store.updateStep(runId, 's', ['done'], null, {note: 'checked by hand', actedBy: 'u-admin',
      verified: false, updatedAt: 3_400});
    expect(noted).toMatchObject({state: 'done', note: 'checked by hand', actedBy: 'u-admin', verified: false});
  });

  it('hands every step to exactly one of 8 concurrent claimers', async () => {
    const stepIds = Array.from({length: 24}, (_, i) => `s${String(i).padStart(2, '0')}`);
    const runId = await runWithSteps(store, stepIds);
    const claimers = await Promise.all(Array.from({length: 8}, () => open(target)));
    const claims = await Promise.all(claimers.map(async (claimer, i) => {
      const mine: string[] = [];
      for (;;) {
        const step = await claimer.claimStep(runId, stepIds, `w${i}`, 5_000, 60_000);
        if (!step) return mine;
        mine.push(step.id);
      }
    }));
    const all = claims.flat();
    expect(all).toHaveLength(stepIds.length);
    expect(new Set(all).size).toBe(stepIds.length);
    const steps = await store.listSteps(runId);
    for (const step of steps) {
      const owner = claims.findIndex((mine) => mine.includes(step.id));
      expect(step).toMatchObject({state: 'running', attempts: 1, leaseOwner: `w${owner}`});
    }
  });

  it('appends concurrently from several connections without forking the chain', async () => {
    const runId = await runWithSteps(store, []);
    const writers = await Promise.all(Array.from({length: 4}, () => open(target)));
    const appended = await Promise.all(writers.flatMap((w, i) => Array.from({length: 10},
      (_, j) => w.appendAudit(runId, event(`note.${i}.${j}`, 2_000 + j, {writer: i, n: j})))));
    expect(new Set(appended.map((e) => e.seq)).size).toBe(40);
    const events = await store.listAudit(runId);
    expect(events.map((e) => e.seq)).toEqual(Array.from({length: 41}, (_, i) => i + 1));
    expect(verifyChain(events, await store.getAuditHead(runId))).toEqual({ok: true, problems: []});
    expect(await store.verifyAudit(runId)).toEqual({ok: true, problems: []});
    expect(await store.verifyAudit('nope')).toBeUndefined();
  });

  it('detects an edited event and a deleted last event through the recorded head', async () => {
    const edited = await runWithSteps(store, []);
    for (let i = 0; i < 3; i += 1) await store.appendAudit(edited, event(`e${i}`, 2_000 + i, {i}));
    expect((await store.verifyAudit(edited))?.ok).toBe(true);
    await rawSql(target, `update audit_events set evidence = '{"i":99}' where run_id = '${edited}' and seq = 3`);
    expect((await store.verifyAudit(edited))?.problems)
      .toEqual([{seq: 3, reason: 'hash mismatch: the event was altered'}]);

    const truncated = await runWithSteps(store, []);
    for (let i = 0; i < 3; i += 1) await store.appendAudit(truncated, event(`e${i}`, 2_000 + i));
    await rawSql(target, `delete from audit_events where run_id = '${truncated}' and seq = 4`);
    const events = await store.listAudit(truncated);
    expect(verifyChain(events).ok).toBe(true);
    const result = await store.verifyAudit(truncated);
    expect(result?.ok).toBe(false);
    expect(result?.problems[0]?.reason).toMatch(/truncated/);
  });

  it('saves inventories and updates one provider at a time', async () => {
    const identity = {provider: 'github', id: 'alice-gh', label: 'alice-gh', source: 'explicit mapping',
      confidence: 'exact' as const, data: {}};
    const finding = {provider: 'github', kind: 'org_membership', id: 'acme', label: 'acme', identityId: 'alice-gh',
      risk: 'high' as const, residual: false, data: {role: 'admin'}};
    const record: InventoryRecord = {
      id: nextId('inv'), subject, initiatorId: 'u-admin', createdAt: 1_000,
      providers: [
        {provider: 'mattermost', status: 'done', identities: [], findings: [], error: null, updatedAt: 1_000},
        {provider: 'github', status: 'running', identities: [identity], findings: [], error: null, updatedAt: 1_000},
      ],
    };
    await store.saveInventory(record);
    expect(await store.getInventory(record.id)).toEqual(record);

    await store.updateInventoryProvider(record.id,
      {provider: 'github', status: 'done', identities: [identity], findings: [finding], error: null, updatedAt: 2_000});
    await store.updateInventoryProvider(record.id,
      {provider: 'aws_iam', status: 'failed', identities: [], findings: [], error: 'AccessDenied', updatedAt: 2_100});
    const updated = await store.getInventory(record.id);
    expect(updated?.providers.map((p) => [p.provider, p.status])).toEqual(
      [['mattermost', 'done'], ['github', 'done'], ['aws_iam', 'failed']]);
    expect(updated?.providers[1]?.findings).toEqual([finding]);
    expect(updated?.providers[2]?.error).toBe('AccessDenied');

    await expect(store.updateInventoryProvider('nope', record.providers[0]!)).rejects.toThrow(/unknown inventory/);
    await store.saveInventory({...record, providers: [record.providers[0]!]});
    expect((await store.getInventory(record.id))?.providers).toEqual([record.providers[0]]);
    expect(await store.getInventory('nope')).toBeUndefined();
  });

  it('saves and reads plans and settings', async () => {
    const plan: PlanRecord = {
      id: nextId('plan'), inventoryId: 'inv-1', subject, initiatorId: 'u-admin', options: {github: {readOnly: true}},
      steps: [spec('a'), spec('b', {kind: 'manual', instructions: 'Wipe the phone', dependsOn: ['a']})],
      createdAt: 1_000,
    };
    await store.savePlan(plan);
    expect(await store.getPlan(plan.id)).toEqual(plan);
    await store.savePlan({...plan, steps: [spec('c')]});
    expect((await store.getPlan(plan.id))?.steps).toEqual([spec('c')]);
    expect(await store.getPlan('nope')).toBeUndefined();

    const key = nextId('command_id:team');
    expect(await store.getSetting(key)).toBeUndefined();
    await store.putSetting(key, 'cmd-1');
    await store.putSetting(key, 'cmd-2');
    expect(await store.getSetting(key)).toBe('cmd-2');
    await expect(store.putSetting('', 'x')).rejects.toThrow(PermanentError);
  });

  it('pings, and closes once', async () => {
    const own = await open(target);
    await expect(own.ping()).resolves.toBeUndefined();
    await own.close();
    await own.close();
    await expect(own.ping()).rejects.toThrow();
  });
});
