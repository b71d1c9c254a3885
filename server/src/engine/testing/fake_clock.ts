// A manual Clock for tests: time only moves when the test calls advance(), and sleeps resolve in time order
// (ties in the order they were requested), letting the code they wake up run before the next one fires.
import type {Clock} from '../types.js';

interface Timer {
  readonly at: number;
  readonly order: number;
  readonly resolve: () => void;
  readonly cleanup: () => void;
}

/** Lets every queued promise continuation run (a macrotask boundary drains the whole microtask queue). */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('aborted');
}

export class FakeClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private counter = 0;

  /** Starts at a fixed instant (2025-01-01T00:00:00Z) so test output does not depend on the wall clock. */
  constructor(start = Date.UTC(2025, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer: Timer = {
        at: this.current + Math.max(0, ms),
        order: this.counter++,
        resolve,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, {once: true});
      this.timers.push(timer);
    });
  }

  /** Moves time forward by `ms`, firing due sleeps one by one and flushing promises after each. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushPromises();
      const due = this.timers
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.at);
      due.cleanup();
      due.resolve();
    }
    this.current = target;
    await flushPromises();
  }

  /** Number of sleeps not yet fired, for assertions that nothing is left waiting. */
  pendingSleeps(): number {
    return this.timers.length;
  }
}
