// Client-side pacing of one provider's API calls: a token bucket (burst, refilled continuously at requestsPerSecond)
// plus a concurrency cap, so a run approaches the vendor's documented limit without tripping it.
// Not bottleneck: it hops through a timer per job and starts jobs one after another (~3 ms each), which capped a
// provider near 300 requests/s whatever the policy said (measured by `npm run bench -- aws`). Here a job starts in
// the same tick when a token and a slot are free, and one timer waits for the next token only when none is.
import {ConfigError} from './engine/errors.js';
import type {Limiter, RateLimitPolicy} from './engine/types.js';

interface Waiter {
  readonly start: () => void;
  readonly signal: AbortSignal | undefined;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

export function createLimiter(policy: RateLimitPolicy): Limiter {
  for (const [name, value] of [['concurrency', policy.concurrency], ['requestsPerSecond', policy.requestsPerSecond],
    ['burst', policy.burst]] as const) {
    if (!Number.isFinite(value) || value <= 0) throw new ConfigError(`Rate limit ${name} must be a positive number.`);
  }
  const concurrency = Math.max(1, Math.floor(policy.concurrency));
  const burst = Math.max(1, Math.floor(policy.burst));
  const perMs = policy.requestsPerSecond / 1000;
  let tokens = burst;
  let refilledAt = performance.now();
  let active = 0;
  let timer: NodeJS.Timeout | undefined;
  const queue: Waiter[] = [];

  const pump = (): void => {
    const now = performance.now();
    tokens = Math.min(burst, tokens + (now - refilledAt) * perMs);
    refilledAt = now;
    while (queue.length > 0 && active < concurrency && tokens >= 1) {
      const next = queue.shift()!;
      // A job aborted while queued never calls the vendor and gives its place (and its token) to the next one.
      if (next.signal?.aborted) continue;
      tokens -= 1;
      active += 1;
      next.start();
    }
    if (queue.length > 0 && active < concurrency && timer === undefined) {
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, Math.max(1, Math.ceil((1 - tokens) / perMs)));
    }
  };

  return {
    schedule<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      return new Promise<T>((resolve, reject) => {
        const onAbort = (): void => {
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          reject(abortError(signal!));
        };
        const waiter: Waiter = {
          signal,
          start: () => {
            signal?.removeEventListener('abort', onAbort);
            // Once started, fn owns the outcome: it received the signal through its own context.
            Promise.resolve().then(fn).then(resolve, reject).finally(() => {
              active -= 1;
              pump();
            });
          },
        };
        signal?.addEventListener('abort', onAbort, {once: true});
        queue.push(waiter);
        pump();
      });
    },
  };
}
