// Client-side pacing of one provider's API calls with bottleneck: a token bucket (burst, refilled at
// requestsPerSecond) plus a concurrency cap, so a run approaches the vendor's documented limit without tripping it.
import Bottleneck from 'bottleneck';
import {ConfigError} from './engine/errors.js';
import type {Limiter, RateLimitPolicy} from './engine/types.js';

/** Smallest refill period: bottleneck refills on a heartbeat timer; shorter periods cost timers, not accuracy. */
const MIN_REFILL_MS = 50;

/**
 * How bottleneck's reservoir is refilled: `amount` tokens every `intervalMs`, so amount / intervalMs equals
 * requestsPerSecond exactly. The heartbeat ticks four times per interval because bottleneck only refills on a
 * heartbeat and restarts the interval from that moment: the refill is late by at most a quarter interval, which
 * errs on the slow (safe) side.
 */
export function refillPlan(requestsPerSecond: number): {amount: number; intervalMs: number; heartbeatMs: number} {
  const amount = Math.max(1, Math.ceil((requestsPerSecond * MIN_REFILL_MS) / 1000));
  const intervalMs = (amount * 1000) / requestsPerSecond;
  return {amount, intervalMs, heartbeatMs: Math.max(1, Math.floor(intervalMs / 4))};
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

export function createLimiter(policy: RateLimitPolicy): Limiter {
  for (const [name, value] of [['concurrency', policy.concurrency], ['requestsPerSecond', policy.requestsPerSecond],
    ['burst', policy.burst]] as const) {
    if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`Rate limit ${name} must be a positive number.`);
  }
  const burst = Math.max(1, Math.floor(policy.burst));
  const refill = refillPlan(policy.requestsPerSecond);
  const bottleneck = new Bottleneck({
    maxConcurrent: Math.max(1, Math.floor(policy.concurrency)),
    reservoir: burst,
    reservoirIncreaseAmount: refill.amount,
    reservoirIncreaseInterval: refill.intervalMs,
    reservoirIncreaseMaximum: burst,
    heartbeatInterval: refill.heartbeatMs,
  });

  return {
    schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      let started = false;
      // A job aborted while queued must not call the vendor when its turn comes; it only uses up its token.
      const queued = bottleneck.schedule(() => {
        if (signal?.aborted) return Promise.reject(abortError(signal));
        started = true;
        return fn();
      });
      if (!signal) return queued;
      // While queued, an abort rejects at once; once started, fn owns the outcome (it got the signal too).
      return new Promise<T>((resolve, reject) => {
        const onAbort = (): void => {
          if (!started) reject(abortError(signal));
        };
        signal.addEventListener('abort', onAbort, {once: true});
        queued.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    },
  };
}
