// Pacing beyond the engine's per-provider limiter: IAM and STS throttle per account (the account whose credentials
// call, https://repost.aws/knowledge-center/iam-sts-throttling-error), so each account gets its own cap on requests
// in flight; IAM Identity Center documents a collective limit of 20 transactions per second, CloudTrail LookupEvents
// two per second per account and region.

/** At most `limit` calls of `run` at once; the rest wait in FIFO order. */
export class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active += 1;
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

/** A token bucket: `run` waits for a token (refilled at `perSecond`, at most `burst` saved up). */
export class Pacer {
  private tokens: number;
  private at = Date.now();
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly perSecond: number, private readonly burst: number) {
    this.tokens = burst;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    const turn = this.chain.then(() => this.take());
    this.chain = turn.catch(() => undefined);
    return turn.then(fn);
  }

  private async take(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.at) / 1000) * this.perSecond);
      this.at = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)));
    }
  }
}

/** IAM Identity Center APIs: "a collective throttle limit of 20 transactions per second". */
export const IDENTITY_CENTER_TPS = 20;

/** "The rate of lookup requests is limited to two per second, per account, per region" (API_LookupEvents). */
export const CLOUDTRAIL_LOOKUP_TPS = 2;
