// The limiter: token-bucket pacing derived from requestsPerSecond and burst, the concurrency cap, aborts that keep
// queued jobs from ever calling the vendor, and no per-job overhead. Uses real (short) time.
import {describe, expect, it} from '@jest/globals';
import {DEFAULT_RETRY_POLICY} from './engine/retry.js';
import type {RateLimitPolicy} from './engine/types.js';
import {createLimiter} from './limits.js';

const policy = (p: Partial<RateLimitPolicy>): RateLimitPolicy =>
  ({concurrency: 10, requestsPerSecond: 1000, burst: 1000, retry: DEFAULT_RETRY_POLICY, ...p});

describe('createLimiter', () => {
  it('lets a burst through at once, then paces to requestsPerSecond', async () => {
    const limiter = createLimiter(policy({requestsPerSecond: 20, burst: 3}));
    const t0 = Date.now();
    let startedAtOnce = 0;
    const pending = Promise.all(Array.from({length: 6}, () => limiter.schedule(async () => {
      startedAtOnce += 1;
      return Date.now() - t0;
    })));
    // The burst starts together, before any timer could run; the rest waits for tokens.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(startedAtOnce).toBe(3);
    const starts = await pending;
    // Three more tokens at one per 50 ms: the sixth call cannot start before 150 ms.
    expect(starts[3]).toBeGreaterThanOrEqual(45);
    expect(starts[5]).toBeGreaterThanOrEqual(145);
  });

  it('never runs more calls at once than the concurrency', async () => {
    const limiter = createLimiter(policy({concurrency: 2}));
    let running = 0;
    let max = 0;
    await Promise.all(Array.from({length: 6}, () => limiter.schedule(async () => {
      running += 1;
      max = Math.max(max, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running -= 1;
    })));
    expect(max).toBe(2);
  });

  it('rejects aborted calls without running them, whether aborted before or while queued', async () => {
    const limiter = createLimiter(policy({concurrency: 1}));
    const called: string[] = [];
    const gone = new AbortController();
    gone.abort(new Error('cancelled'));
    await expect(limiter.schedule(async () => called.push('early'), gone.signal)).rejects.toThrow('cancelled');

    let release = (): void => undefined;
    let started = (): void => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const blocker = limiter.schedule(() => new Promise<void>((resolve) => {
      release = resolve;
      started();
    }));
    await running;
    const queued = new AbortController();
    const waiting = limiter.schedule(async () => called.push('queued'), queued.signal);
    queued.abort(new Error('run cancelled'));
    await expect(waiting).rejects.toThrow('run cancelled');
    release();
    await blocker;
    await limiter.schedule(async () => called.push('after'));
    expect(called).toEqual(['after']);
  });

  it('starts every job that has a token and a slot without waiting for a timer', async () => {
    const limiter = createLimiter(policy({concurrency: 200, requestsPerSecond: 10, burst: 200}));
    let started = 0;
    const gate = new Promise<void>((resolve) => setImmediate(resolve));
    const all = Array.from({length: 201}, () => limiter.schedule(async () => { started += 1; await gate; }));
    // Microtasks only: a limiter that hops through a timer per job would have started none of them yet.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(started).toBe(200);
    await gate;
    expect(started).toBe(200);
    await Promise.all(all);
    expect(started).toBe(201);
  });

  it('passes results and errors through and keeps going after a failure', async () => {
    const limiter = createLimiter(policy({concurrency: 1}));
    await expect(limiter.schedule(async () => { throw new Error('vendor said no'); })).rejects.toThrow('vendor said no');
    await expect(limiter.schedule(async () => 42)).resolves.toBe(42);
  });

  it('refuses a policy that cannot pace anything', () => {
    expect(() => createLimiter(policy({requestsPerSecond: 0}))).toThrow('requestsPerSecond must be a positive number');
    expect(() => createLimiter(policy({concurrency: Number.NaN}))).toThrow('concurrency must be a positive number');
  });
});
