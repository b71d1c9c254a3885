// The client-side pacing: at most N requests of an account in flight, and a token bucket for the documented
// per-second limits (Identity Center 20/s, CloudTrail LookupEvents 2/s per account).
import {describe, expect, it} from '@jest/globals';
import {Pacer, Semaphore} from './pacing.js';

describe('aws pacing', () => {
  it('keeps at most the limit running and runs the rest in order', async () => {
    const gate = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all([1, 2, 3, 4, 5].map((n) => gate.run(async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      order.push(n);
      running -= 1;
    })));
    expect({peak, order}).toEqual({peak: 2, order: [1, 2, 3, 4, 5]});
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'still usable')).toBe('still usable');
  });

  it('lets a burst through, then paces to the rate', async () => {
    const pacer = new Pacer(20, 2);
    const started = Date.now();
    const at: number[] = [];
    await Promise.all(Array.from({length: 4}, () => pacer.run(async () => {
      at.push(Date.now() - started);
    })));
    // Two at once from the burst, then one every 50 ms.
    expect(at[1]).toBeLessThan(30);
    expect(at[3]).toBeGreaterThanOrEqual(90);
  });
});
