// The write pacer and the primary-budget guard on a fake clock: content writes a second apart, DELETE bursts capped per
// minute, and a nearly used-up primary budget waited out (or handed back as retry-later when the reset is far).
import {describe, expect, it} from '@jest/globals';
import {isTransient} from '../../engine/errors.js';
import {FakeClock, flushPromises} from '../../engine/testing/fake_clock.js';
import {DELETES_PER_MINUTE, PRIMARY_RESERVE, PrimaryBudget, WritePacer, writeKind} from './pacing.js';

/** Lets timers and promise callbacks of the fake clock run until `ms` have passed. */
async function advance(clock: FakeClock, ms: number): Promise<void> {
  await flushPromises();
  await clock.advance(ms);
  await flushPromises();
}

describe('write pacing', () => {
  it('classifies methods', () => {
    expect([writeKind('GET'), writeKind('delete'), writeKind('PUT'), writeKind('POST'), writeKind('PATCH')])
      .toEqual([undefined, 'delete', 'content', 'content', 'content']);
  });

  it('spaces content writes one second apart', async () => {
    const clock = new FakeClock(0);
    const pacer = new WritePacer(clock);
    const done: number[] = [];
    for (let i = 0; i < 3; i++) void pacer.wait('content').then(() => done.push(clock.now()));
    await advance(clock, 0);
    expect(done).toEqual([0]);
    await advance(clock, 1000);
    await advance(clock, 1000);
    expect(done).toEqual([0, 1000, 2000]);
  });

  it('lets a burst of deletes through and holds the rest until the minute allows them', async () => {
    const clock = new FakeClock(0);
    const pacer = new WritePacer(clock);
    let passed = 0;
    for (let i = 0; i < DELETES_PER_MINUTE + 5; i++) void pacer.wait('delete').then(() => (passed += 1));
    await advance(clock, 0);
    expect(passed).toBe(DELETES_PER_MINUTE);
    await advance(clock, 59_999);
    expect(passed).toBe(DELETES_PER_MINUTE);
    await advance(clock, 1);
    await advance(clock, 0);
    expect(passed).toBe(DELETES_PER_MINUTE + 5);
  });
});

describe('primary budget', () => {
  const headers = (remaining: number, resetS: number) => new Headers({
    'x-ratelimit-resource': 'core', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(resetS),
  });

  it('admits freely above the reserve and waits out a near reset below it', async () => {
    const clock = new FakeClock(1_000_000);
    const budget = new PrimaryBudget(clock);
    budget.observe(headers(PRIMARY_RESERVE + 1, 1_010));
    await budget.admit('core');
    let admitted = false;
    void budget.admit('core').then(() => (admitted = true));
    await advance(clock, 0);
    expect(admitted).toBe(false);
    await advance(clock, 11_000);
    expect(admitted).toBe(true);
    await expect(budget.admit('graphql')).resolves.toBeUndefined();
  });

  it('hands a far reset back to the engine as a retry-later', async () => {
    const clock = new FakeClock(1_000_000);
    const budget = new PrimaryBudget(clock);
    budget.observe(headers(0, 1_000 + 3600));
    const error = await budget.admit('core').catch((e: unknown) => e);
    expect(isTransient(error)).toBe(true);
    expect((error as {retryAfterMs: number}).retryAfterMs).toBe(3_601_000);
  });
});
