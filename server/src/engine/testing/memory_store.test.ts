// The memory store keeps the port's promises: compare-and-set, one winner per claim, lease fencing, ordered audit.
import {describe, expect, it} from '@jest/globals';
import {stepSpec} from './fake_provider.js';
import {MemoryRunStore} from './memory_store.js';
import {SUBJECT} from './harness.js';
import type {AuditInput, NewRun} from '../types.js';

const newRun: NewRun = {
  id: 'r1', status: 'running', subject: SUBJECT, initiatorId: 'admin-1', planId: null, options: {}, scheduledAt: null,
  approvalRequired: false, createdAt: 1000,
};
const ev = (action: string): AuditInput => ({actor: 'system', action, target: 'r1', outcome: 'ok', evidence: {}, at: 1});

async function seeded(): Promise<MemoryRunStore> {
  const store = new MemoryRunStore();
  await store.createRun(newRun, [stepSpec('gh', 'a', '1'), stepSpec('gh', 'b', '2')], ev('run.created'));
  return store;
}

describe('MemoryRunStore', () => {
  it('creates steps in plan order and a running run as started', async () => {
    const store = await seeded();
    expect(await store.getRun('r1')).toMatchObject({status: 'running', startedAt: 1000, finishedAt: null});
    expect((await store.listSteps('r1')).map((s) => [s.seq, s.id, s.state])).toEqual([
      [0, 'gh:a:1', 'pending'], [1, 'gh:b:2', 'pending'],
    ]);
    await expect(store.createRun(newRun, [], ev('again'))).rejects.toThrow('already exists');
  });

  it('hands out copies that cannot change stored state', async () => {
    const store = await seeded();
    const run = await store.getRun('r1') as {status: string};
    run.status = 'cancelled';
    expect((await store.getRun('r1'))?.status).toBe('running');
  });

  it('transitions runs only from the expected statuses', async () => {
    const store = await seeded();
    expect(await store.transitionRun('r1', ['scheduled'], {status: 'completed', updatedAt: 2})).toBeUndefined();
    expect(await store.transitionRun('r1', ['running'], {status: 'completed', updatedAt: 2}, ev('run.completed')))
      .toMatchObject({status: 'completed', startedAt: 1000});
    expect((await store.listAudit('r1')).map((e) => [e.seq, e.action, e.hash])).toEqual([
      [1, 'run.created', ''], [2, 'run.completed', ''],
    ]);
    expect(await store.getAuditHead('r1')).toEqual({seq: 2, hash: ''});
  });

  it('lets exactly one claimer win and honours notBefore and lease expiry', async () => {
    const store = await seeded();
    const ids = ['gh:a:1'];
    const [x, y] = await Promise.all([store.claimStep('r1', ids, 'A', 10, 100), store.claimStep('r1', ids, 'B', 10, 100)]);
    expect([x?.leaseOwner, y]).toEqual(['A', undefined]);
    expect(x).toMatchObject({state: 'running', attempts: 1, startedAt: 10, leaseUntil: 110});
    expect(await store.claimStep('r1', ids, 'B', 109, 100)).toBeUndefined();
    expect(await store.claimStep('r1', ids, 'B', 110, 100)).toMatchObject({leaseOwner: 'B', attempts: 2, startedAt: 10});

    await store.updateStep('r1', 'gh:b:2', ['pending'], null, {notBefore: 500, updatedAt: 1});
    expect(await store.claimStep('r1', ['gh:b:2'], 'A', 499, 100)).toBeUndefined();
    expect(await store.claimStep('r1', ['gh:b:2'], 'A', 500, 100)).toMatchObject({leaseOwner: 'A'});
  });

  it('fences renewals and updates of an owner that lost the lease', async () => {
    const store = await seeded();
    await store.claimStep('r1', ['gh:a:1'], 'A', 0, 100);
    await store.claimStep('r1', ['gh:a:1'], 'B', 100, 100);
    expect(await store.renewLease('r1', 'gh:a:1', 'A', 500)).toBe(false);
    expect(await store.renewLease('r1', 'gh:a:1', 'B', 500)).toBe(true);
    expect(await store.updateStep('r1', 'gh:a:1', ['running'], 'A', {state: 'done', updatedAt: 2}, ev('x')))
      .toBeUndefined();
    expect(await store.updateStep('r1', 'gh:a:1', ['pending'], 'B', {state: 'done', updatedAt: 2})).toBeUndefined();
    expect(await store.updateStep('r1', 'gh:a:1', ['running'], 'B', {state: 'done', error: null, updatedAt: 2},
      ev('step.done'))).toMatchObject({state: 'done', leaseUntil: 500, attempts: 2});
    expect((await store.listAudit('r1')).map((e) => e.action)).toEqual(['run.created', 'step.done']);
  });

  it('filters runs, keeps settings, plans and inventories, and refuses work once closed', async () => {
    const store = await seeded();
    await store.createRun({...newRun, id: 'r2', status: 'scheduled', createdAt: 2000}, [], ev('run.created'));
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['r2', 'r1']);
    expect((await store.listRuns({statuses: ['scheduled']})).map((r) => r.id)).toEqual(['r2']);
    expect(await store.listRuns({subjectUserId: 'someone-else'})).toEqual([]);
    await store.putSetting('k', 'v');
    expect(await store.getSetting('k')).toBe('v');
    await store.saveInventory({id: 'i1', subject: SUBJECT, initiatorId: 'a', createdAt: 0, providers: []});
    const state = {provider: 'gh', status: 'done' as const, identities: [], findings: [], error: null, updatedAt: 1};
    await store.updateInventoryProvider('i1', state);
    await store.updateInventoryProvider('i1', {...state, updatedAt: 2});
    expect((await store.getInventory('i1'))?.providers).toEqual([{...state, updatedAt: 2}]);
    await store.close();
    await expect(store.ping()).rejects.toThrow('closed');
  });
});
