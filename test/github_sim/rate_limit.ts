// GitHub's rate limits (docs: rate-limits-for-the-rest-api, "About secondary rate limits"):
// primary: a budget per token and hour, per resource (`core` for REST, `graphql` in query points), announced in the
// x-ratelimit-* headers; secondary: at most 100 concurrent requests, 900 points per minute per REST endpoint (GET 1,
// POST/PATCH/PUT/DELETE 5), 2,000 points per minute for GraphQL (query 1, mutation 5), 80 content-generating requests
// per minute and 500 per hour. A tripped secondary limit answers 403 (or 429) with `retry-after`.
import {HttpError} from './errors.js';

export interface RateLimitConfig {
  /** Concurrent requests per token (100). */
  readonly maxConcurrent: number;
  /** Points per window per REST endpoint (900). */
  readonly restPointsPerWindow: number;
  /** Points per window for the GraphQL endpoint (2,000). */
  readonly graphqlPointsPerWindow: number;
  /** Content-generating requests per window (80) and per hour (500). */
  readonly contentPerWindow: number;
  readonly contentPerHour: number;
  /** The "minute" of the per-minute rules; tests shorten it. */
  readonly windowMs: number;
  /** Length of the primary budget's window (one hour). */
  readonly primaryWindowMs: number;
  /** GitHub answers secondary limits with 403 or 429. */
  readonly secondaryStatus: 403 | 429;
  /** Replaces every token's own primary budget when set. */
  readonly coreLimit?: number;
  readonly graphqlLimit?: number;
}

export const GITHUB_LIMITS: RateLimitConfig = {
  maxConcurrent: 100, restPointsPerWindow: 900, graphqlPointsPerWindow: 2000, contentPerWindow: 80,
  contentPerHour: 500, windowMs: 60_000, primaryWindowMs: 3_600_000, secondaryStatus: 403,
};

const SECONDARY_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';
const PRIMARY_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#primary-rate-limit';

export type Resource = 'core' | 'graphql';

interface Bucket {
  used: number;
  resetAt: number;
}

/** Timestamped points in a sliding window. */
class Window {
  private readonly entries: {at: number; points: number}[] = [];
  private sum = 0;

  constructor(private readonly lengthMs: number) {}

  /** Points still counted at `now`. */
  total(now: number): number {
    while (this.entries.length > 0 && (this.entries[0] as {at: number}).at <= now - this.lengthMs) {
      this.sum -= (this.entries.shift() as {points: number}).points;
    }
    return this.sum;
  }

  add(now: number, points: number): void {
    this.entries.push({at: now, points});
    this.sum += points;
  }

  /** Milliseconds until `points` more would fit under `limit`. */
  waitFor(now: number, points: number, limit: number): number {
    let excess = this.total(now) + points - limit;
    for (const e of this.entries) {
      if (excess <= 0) break;
      excess -= e.points;
      if (excess <= 0) return e.at + this.lengthMs - now;
    }
    return this.lengthMs;
  }
}

export interface PrimaryState {
  readonly limit: number;
  readonly remaining: number;
  readonly used: number;
  /** Epoch seconds. */
  readonly reset: number;
  readonly resource: Resource;
}

export function primaryHeaders(p: PrimaryState): Record<string, string> {
  return {
    'x-ratelimit-limit': String(p.limit), 'x-ratelimit-remaining': String(p.remaining),
    'x-ratelimit-reset': String(p.reset), 'x-ratelimit-used': String(p.used), 'x-ratelimit-resource': p.resource,
  };
}

export class RateLimits {
  private readonly buckets = new Map<string, Bucket>();
  private readonly windows = new Map<string, Window>();
  private readonly inflight = new Map<string, number>();
  /** Secondary-limit rejections so far: a client that paces itself right never causes one. */
  secondaryHits = 0;
  primaryHits = 0;

  constructor(public config: RateLimitConfig) {}

  /** Counts a request in flight; false when it is one too many (the caller answers with secondaryError). */
  enter(principal: string): boolean {
    const n = (this.inflight.get(principal) ?? 0) + 1;
    this.inflight.set(principal, n);
    return n <= this.config.maxConcurrent;
  }

  leave(principal: string): void {
    const n = (this.inflight.get(principal) ?? 1) - 1;
    if (n <= 0) this.inflight.delete(principal);
    else this.inflight.set(principal, n);
  }

  /** The primary budget as it stands, without spending. */
  peek(principal: string, resource: Resource, limit: number, now = Date.now()): PrimaryState {
    const b = this.bucket(principal, resource, now);
    const effective = this.limitFor(resource, limit);
    return {limit: effective, remaining: Math.max(0, effective - b.used), used: b.used,
      reset: Math.ceil(b.resetAt / 1000), resource};
  }

  /** Spends `cost` of the primary budget, or throws GitHub's primary-limit error. */
  spend(principal: string, who: string, resource: Resource, limit: number, cost: number, now = Date.now()): PrimaryState {
    const b = this.bucket(principal, resource, now);
    const effective = this.limitFor(resource, limit);
    if (b.used + cost > effective) {
      this.primaryHits += 1;
      const state = {limit: effective, remaining: 0, used: b.used, reset: Math.ceil(b.resetAt / 1000), resource};
      throw new HttpError(this.config.secondaryStatus,
        `API rate limit exceeded for ${who}. If you reach out to GitHub Support for help, please include the request ID.`,
        PRIMARY_DOCS, primaryHeaders(state));
    }
    b.used += cost;
    return {limit: effective, remaining: effective - b.used, used: b.used, reset: Math.ceil(b.resetAt / 1000), resource};
  }

  /**
   * Applies the per-minute rules to one request; throws the secondary-limit error when a rule would be broken.
   * `endpoint` is `METHOD /path/{template}` (GitHub's "single endpoint") or `graphql`.
   */
  checkSecondary(principal: string, endpoint: string, points: number, contentGenerating: boolean, headers: Record<string, string>, now = Date.now()): void {
    const c = this.config;
    const isGraphql = endpoint === 'graphql';
    const limit = isGraphql ? c.graphqlPointsPerWindow : c.restPointsPerWindow;
    const perEndpoint = this.window(`${principal}|${endpoint}`, c.windowMs);
    const waits: number[] = [];
    if (perEndpoint.total(now) + points > limit) waits.push(perEndpoint.waitFor(now, points, limit));
    const minute = this.window(`${principal}|content`, c.windowMs);
    const hour = this.window(`${principal}|content-hour`, 3_600_000);
    if (contentGenerating) {
      if (minute.total(now) + 1 > c.contentPerWindow) waits.push(minute.waitFor(now, 1, c.contentPerWindow));
      if (hour.total(now) + 1 > c.contentPerHour) waits.push(hour.waitFor(now, 1, c.contentPerHour));
    }
    if (waits.length > 0) throw this.secondaryError(headers, Math.max(...waits));
    perEndpoint.add(now, points);
    if (contentGenerating) {
      minute.add(now, 1);
      hour.add(now, 1);
    }
  }

  /** GitHub's secondary-limit answer; `retry-after` in whole seconds (at least one). */
  secondaryError(headers: Record<string, string>, waitMs = this.config.windowMs): HttpError {
    this.secondaryHits += 1;
    return new HttpError(this.config.secondaryStatus,
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. '
      + 'If you reach out to GitHub Support for help, please include the request ID.',
      SECONDARY_DOCS, {...headers, 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000)))});
  }

  reset(): void {
    this.buckets.clear();
    this.windows.clear();
    this.secondaryHits = 0;
    this.primaryHits = 0;
  }

  private limitFor(resource: Resource, own: number): number {
    const override = resource === 'core' ? this.config.coreLimit : this.config.graphqlLimit;
    return override ?? own;
  }

  private bucket(principal: string, resource: Resource, now: number): Bucket {
    const key = `${principal}|${resource}`;
    let b = this.buckets.get(key);
    if (!b || now >= b.resetAt) {
      b = {used: 0, resetAt: now + this.config.primaryWindowMs};
      this.buckets.set(key, b);
    }
    return b;
  }

  private window(key: string, lengthMs: number): Window {
    let w = this.windows.get(key);
    if (!w) {
      w = new Window(lengthMs);
      this.windows.set(key, w);
    }
    return w;
  }
}
