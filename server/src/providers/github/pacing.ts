// Client-side pacing that keeps a run clear of GitHub's limits (docs: rate-limits-for-the-rest-api and "best practices
// for using the REST API"), per process and credential, on top of the provider limiter's concurrency cap:
//  - content-creating writes (POST, PUT, PATCH) at least one second apart, as GitHub asks, and at most 450 an hour
//    (GitHub allows 80 a minute and 500 an hour);
//  - DELETEs cost 5 secondary points against 900 per minute and endpoint, i.e. 180 a minute: at most 150 in any
//    60 s (83 % of the allowance, all of them on one endpoint in the worst case), in bursts, since a burst of a few
//    deletes is exactly as safe as the same deletes spread out;
//  - the primary budget: once a resource's x-ratelimit-remaining falls to the reserve, wait for x-ratelimit-reset.
import {TransientError} from '../../engine/errors.js';
import type {Clock} from '../../engine/types.js';

export const CONTENT_MIN_GAP_MS = 1000;
export const CONTENT_PER_HOUR = 450;
export const DELETES_PER_MINUTE = 150;
/** Requests of each primary budget kept back for other work of the same credential. */
export const PRIMARY_RESERVE = 20;
/** Longer waits for the primary budget are handed back to the engine as a retry later. */
export const MAX_PRIMARY_WAIT_MS = 60_000;

type WriteKind = 'content' | 'delete';

export function writeKind(method: string): WriteKind | undefined {
  const m = method.toUpperCase();
  if (m === 'DELETE') return 'delete';
  if (m === 'POST' || m === 'PUT' || m === 'PATCH') return 'content';
  return undefined;
}

/** Sliding-window and spacing rules for writes of one credential. Not thread-safe across processes (by design). */
export class WritePacer {
  private readonly deletes: number[] = [];
  private readonly content: number[] = [];
  private nextContentAt = 0;
  /** Serialises reservations so concurrent writers get distinct slots. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly clock: Clock) {}

  /** Resolves when a write of this kind may go out; reserves its slot. */
  wait(kind: WriteKind, signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.reserve(kind, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Milliseconds until a write of this kind fits (0: now). */
  delayFor(kind: WriteKind, now: number): number {
    if (kind === 'delete') {
      prune(this.deletes, now - 60_000);
      return this.deletes.length < DELETES_PER_MINUTE ? 0 : (this.deletes[0] as number) + 60_000 - now;
    }
    prune(this.content, now - 3_600_000);
    const hourly = this.content.length < CONTENT_PER_HOUR ? 0 : (this.content[0] as number) + 3_600_000 - now;
    return Math.max(0, this.nextContentAt - now, hourly);
  }

  private async reserve(kind: WriteKind, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      const delay = this.delayFor(kind, now);
      if (delay <= 0) {
        if (kind === 'delete') this.deletes.push(now);
        else {
          this.content.push(now);
          this.nextContentAt = now + CONTENT_MIN_GAP_MS;
        }
        return;
      }
      await this.clock.sleep(delay, signal);
    }
  }
}

function prune(times: number[], before: number): void {
  while (times.length > 0 && (times[0] as number) <= before) times.shift();
}

interface Budget {
  remaining: number;
  resetAtMs: number;
}

/** The primary budgets as GitHub last announced them, per resource (`core`, `graphql`, ...). */
export class PrimaryBudget {
  private readonly budgets = new Map<string, Budget>();

  constructor(private readonly clock: Clock) {}

  /** Records x-ratelimit-* of a response. */
  observe(headers: {get(name: string): string | null}): void {
    const resource = headers.get('x-ratelimit-resource');
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (!resource || !Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    this.budgets.set(resource, {remaining, resetAtMs: reset * 1000});
  }

  /** Waits while the resource is at its reserve; throws a retry-later TransientError for long waits. */
  async admit(resource: string, signal?: AbortSignal): Promise<void> {
    const b = this.budgets.get(resource);
    if (!b) return;
    const now = this.clock.now();
    if (now >= b.resetAtMs) {
      this.budgets.delete(resource);
      return;
    }
    if (b.remaining > PRIMARY_RESERVE) {
      b.remaining -= 1;
      return;
    }
    const wait = b.resetAtMs - now + 1000;
    if (wait > MAX_PRIMARY_WAIT_MS) {
      throw new TransientError(`GitHub's ${resource} rate limit is nearly used up; it resets in ${Math.ceil(wait / 1000)} s.`,
        {retryAfterMs: wait, details: {resource, remaining: b.remaining}});
    }
    await this.clock.sleep(wait, signal);
    this.budgets.delete(resource);
  }
}
