// The server's rate limiter: throttled's GCRA with RateLimitSettings PerSec / MaxBurst (app/ratelimit.go).
// Header values follow throttled's HTTPRateLimiter: limit = burst + 1, reset and retry in whole seconds (ceil).

export interface RateLimitOptions {
  /** RateLimitSettings.PerSec. */
  readonly perSec: number;
  /** RateLimitSettings.MaxBurst. */
  readonly burst: number;
  /** RateLimitSettings.VaryByUser: key by the auth token when there is one (default true), else by remote address. */
  readonly varyByUser?: boolean;
}

export interface RateLimitResult {
  readonly limited: boolean;
  readonly limit: number;
  readonly remaining: number;
  readonly resetAfterMs: number;
  readonly retryAfterMs: number;
}

export class GcraLimiter {
  private readonly tat = new Map<string, number>();
  private readonly emissionMs: number;
  private readonly toleranceMs: number;

  constructor(readonly options: RateLimitOptions) {
    if (!(options.perSec > 0) || !(options.burst >= 0)) throw new Error('rateLimit needs perSec > 0 and burst >= 0');
    this.emissionMs = 1000 / options.perSec;
    this.toleranceMs = this.emissionMs * (options.burst + 1);
  }

  take(key: string, nowMs: number = Date.now()): RateLimitResult {
    const limit = this.options.burst + 1;
    const tat = Math.max(this.tat.get(key) ?? nowMs, nowMs);
    const newTat = tat + this.emissionMs;
    const allowAt = newTat - this.toleranceMs;
    const diff = nowMs - allowAt;
    if (diff < 0) {
      return {limited: true, limit, remaining: 0, resetAfterMs: tat - nowMs, retryAfterMs: -diff};
    }
    this.tat.set(key, newTat);
    const ttl = newTat - nowMs;
    const next = this.toleranceMs - ttl;
    const remaining = next > -this.emissionMs ? Math.floor(next / this.emissionMs) : 0;
    return {limited: false, limit, remaining, resetAfterMs: ttl, retryAfterMs: 0};
  }
}

export function rateLimitHeaders(r: RateLimitResult): Record<string, string> {
  const headers: Record<string, string> = {
    'X-RateLimit-Limit': String(r.limit),
    'X-RateLimit-Remaining': String(r.remaining),
    'X-RateLimit-Reset': String(Math.ceil(r.resetAfterMs / 1000)),
  };
  if (r.limited) headers['Retry-After'] = String(Math.ceil(r.retryAfterMs / 1000));
  return headers;
}
