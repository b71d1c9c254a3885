// Executor under contention: per-provider concurrency, two owners on one store, leases that expire, leases that
// are lost (fenced writes), and the start/stop loop.
import {describe, expect, it} from '@jest/globals';
import {FakeProvider, stepSpec} from './testing/fake_provider.js';
import {Harness, LEASE_MS, POLL_MS} from './testing/harness.js';
import {passThroughLimiter} from './testing/test_context.js';
import type {RunStore} from './ports.js';
import type {Step} from './types.js';

/** A view of `store` whose renewLease is replaced, for the owner whose lease we want to lose. */
function withRenewal(store: RunStore, renew: RunStore['renewLease']): RunStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'renewLease') return renew;
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe('Executor concurrency and leases', () => {
  it('never runs more steps of a provider at once than its concurrency, across runs', async () => {
    const gh = new FakeProvider({id: 'gh', concurrency: 3});
    const aws = new FakeProvider({id: 'aws', concurrency: 1});
    const h = new Harness([gh, aws]);
    const ghSteps = Array.from({length: 7}, (_, i) => stepSpec('gh', 'remove_repo', `r${i}`));
    const awsSteps = Array.from({length: 3}, (_, i) => stepSpec('aws', 'delete_key', `k${i}`));
    for (const s of [...ghSteps, ...awsSteps]) {
      (s.provider === 'gh' ? gh : aws).script(s.id, {kind: 'succeed', takesMs: 2_500});
    }
    const first = await h.startRun([...ghSteps.slice(0, 4), ...awsSteps]);
    const second = await h.startRun(ghSteps.slice(4));
    const executor = h.executor();

    expect(await executor.tick()).toBe(4);
    expect(executor.running('gh')).toBe(3);
    await h.runUntilDone([executor], first.id);
    await h.runUntilDone([executor], second.id);

    expect(gh.maxInFlight).toBe(3);
    expect(aws.maxInFlight).toBe(1);
    expect(gh.calls.filter((c) => c.method === 'execute')).toHaveLength(7);
  });

  it('lets two owners share one store without running a step twice', async () => {
    const gh = new FakeProvider({id: 'gh', concurrency: 4});
    const h = new Harness([gh]);
    const steps = Array.from({length: 20}, (_, i) => stepSpec('gh', 'remove_repo', `r${i}`));
    for (const s of steps) gh.script(s.id, {kind: 'succeed', takesMs: 1_500});
    const run = await h.startRun(steps);
    const a = h.executor('A');
    const b = h.executor('B');

    const done = await h.runUntilDone([a, b], run.id, 500);

    expect(done.status).toBe('completed');
    for (const s of steps) expect(gh.count('execute', s.id)).toBe(1);
    const owners = new Set((await h.store.listAudit(run.id)).filter((e) => e.action === 'step.done').map((e) => e.actor));
    expect(owners).toEqual(new Set(['executor:A', 'executor:B']));
    expect(gh.maxInFlight).toBeLessThanOrEqual(8);
  });

  it('reclaims a step whose owner died once its lease expires', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    const run = await h.startRun([org]);
    const t0 = h.clock.now();
    // A replica claimed the step and then died: nobody renews or finishes it.
    expect(await h.store.claimStep(run.id, [org.id], 'dead', t0, LEASE_MS)).toMatchObject({leaseOwner: 'dead'});
    const b = h.executor('B');

    await h.clock.advance(LEASE_MS - 1);
    expect(await b.tick()).toBe(0);
    await h.clock.advance(1);
    expect(await b.tick()).toBe(1);
    await b.idle();

    expect(await h.store.getStep(run.id, org.id)).toMatchObject({state: 'done', attempts: 2, leaseOwner: null});
    const started = (await h.store.listAudit(run.id)).find((e) => e.action === 'step.started');
    expect(started).toMatchObject({actor: 'executor:B', evidence: {attempt: 2, reclaimedFrom: 'dead'}});
    expect((await h.runUntilDone([b], run.id)).status).toBe('completed');
  });

  it('fails a step whose owners keep dying instead of running it forever', async () => {
    const gh = new FakeProvider({id: 'gh', retry: {maxAttempts: 2}});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    const run = await h.startRun([org]);
    await h.store.claimStep(run.id, [org.id], 'dead-1', h.clock.now(), LEASE_MS);
    await h.clock.advance(LEASE_MS);
    await h.store.claimStep(run.id, [org.id], 'dead-2', h.clock.now(), LEASE_MS);
    await h.clock.advance(LEASE_MS);

    const done = await h.runUntilDone([h.executor('B')], run.id);

    expect(done.status).toBe('completed_with_errors');
    expect(await h.store.getStep(run.id, org.id)).toMatchObject({
      state: 'failed', attempts: 3, error: 'gave up after 2 attempts: earlier owners stopped without recording a result',
    });
    expect(gh.count('execute', org.id)).toBe(0);
  });

  it('fences the write of an owner that lost its lease while its provider call was stuck', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    gh.script(org.id, {kind: 'gate', until: gate}, {kind: 'succeed', evidence: {by: 'B'}});
    const run = await h.startRun([org]);
    // A's store connection hangs on renewals (a partition): its lease silently runs out.
    const stuck = withRenewal(h.store, () => new Promise<boolean>(() => undefined));
    const a = h.executor('A', {store: stuck});
    const b = h.executor('B');

    expect(await a.tick()).toBe(1);
    await h.clock.advance(LEASE_MS);
    expect(await b.tick()).toBe(1);
    await b.idle();
    expect(await h.store.getStep(run.id, org.id)).toMatchObject({state: 'done', outcome: {evidence: {by: 'B'}}});

    release();
    await h.clock.advance(0);
    await a.idle();

    const step = await h.store.getStep(run.id, org.id) as Step;
    expect(step.outcome?.evidence).toEqual({by: 'B'});
    const writes = (await h.store.listAudit(run.id)).filter((e) => e.action === 'step.done').map((e) => e.actor);
    expect(writes).toEqual(['executor:B']);
    expect(h.log.find('warn', 'fenced')).toHaveLength(1);
  });

  it('aborts the step when a renewal is refused and records nothing from that owner', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    gh.script(org.id, {kind: 'hang'});
    const run = await h.startRun([org]);
    const a = h.executor('A', {store: withRenewal(h.store, async () => false)});

    expect(await a.tick()).toBe(1);
    await h.clock.advance(LEASE_MS / 3);
    await a.idle();

    expect(await h.store.getStep(run.id, org.id)).toMatchObject({state: 'running', leaseOwner: 'A'});
    expect(h.log.find('warn', 'lease lost')).toHaveLength(1);
    expect((await h.store.listAudit(run.id)).map((e) => e.action)).toEqual(['run.created', 'step.started']);

    const b = h.executor('B');
    expect((await h.runUntilDone([b], run.id, LEASE_MS)).status).toBe('completed');
    expect(gh.count('execute', org.id)).toBe(2);
  });

  it('keeps the lease alive for a long step so nobody else takes it', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    gh.script(org.id, {kind: 'succeed', takesMs: LEASE_MS * 4});
    const run = await h.startRun([org]);
    const a = h.executor('A');
    const b = h.executor('B');

    const done = await h.runUntilDone([a, b], run.id, LEASE_MS / 2);

    expect(done.status).toBe('completed');
    expect(gh.count('execute', org.id)).toBe(1);
  });

  it('interrupts steps in flight on shutdown and hands them back as pending', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const org = stepSpec('gh', 'remove_member', 'acme');
    gh.script(org.id, {kind: 'hang'});
    const run = await h.startRun([org]);
    const shutdown = new AbortController();
    const a = h.executor('A', {
      contexts: () => ({config: {}, log: h.log, clock: h.clock, signal: shutdown.signal, limiter: passThroughLimiter}),
    });

    expect(await a.tick()).toBe(1);
    shutdown.abort(new Error('SIGTERM'));
    await a.stop();

    expect(await h.store.getStep(run.id, org.id)).toMatchObject({
      state: 'pending', leaseOwner: null, attempts: 1,
      error: 'interrupted: the executor stopped before the attempt finished',
    });
    expect((await h.runUntilDone([h.executor('B')], run.id)).status).toBe('completed');
  });

  it('runs from start() until aborted, then waits for steps in flight', async () => {
    const gh = new FakeProvider({id: 'gh'});
    const h = new Harness([gh]);
    const steps = [stepSpec('gh', 'remove_member', 'a'), stepSpec('gh', 'remove_member', 'b', {phase: 'cleanup'})];
    gh.script(steps[1]?.id ?? '', {kind: 'succeed', takesMs: 5_000});
    const run = await h.startRun(steps);
    const executor = h.executor();
    const abort = new AbortController();

    let stopped = false;
    const loop = executor.start(abort.signal).then(() => {
      stopped = true;
    });
    await h.clock.advance(POLL_MS * 2);
    expect(await h.states(run.id)).toEqual({[steps[0]?.id ?? '']: 'done', [steps[1]?.id ?? '']: 'running'});
    abort.abort();
    await h.clock.advance(0);
    expect(stopped).toBe(false);
    await h.clock.advance(5_000);
    await loop;

    expect(stopped).toBe(true);
    expect(await h.states(run.id)).toEqual({[steps[0]?.id ?? '']: 'done', [steps[1]?.id ?? '']: 'done'});
    expect(await executor.tick()).toBe(0);
  });
});
