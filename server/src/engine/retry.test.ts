// decideRetry: which errors retry, exponential back-off with full jitter, the Retry-After floor and the limits.
import {describe, expect, it} from '@jest/globals';
import {ConfigError, PermanentError, TransientError} from './errors.js';
import {decideRetry, DEFAULT_RETRY_POLICY} from './retry.js';
import type {RetryPolicy} from './types.js';

const policy: RetryPolicy = {maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 8000, budgetMs: 60_000};
const almostOne = (): number => 0.999999;

describe('decideRetry', () => {
  it('does not retry permanent, config or unknown errors; unknown ones are flagged as bugs', () => {
    expect(decideRetry(new PermanentError('403 forbidden'), 1, 0, 0, policy))
      .toEqual({retry: false, reason: '403 forbidden', unexpected: false});
    expect(decideRetry(new ConfigError('no token'), 1, 0, 0, policy))
      .toEqual({retry: false, reason: 'configuration error: no token', unexpected: false});
    expect(decideRetry(new TypeError('x is undefined'), 1, 0, 0, policy))
      .toEqual({retry: false, reason: 'unexpected error: x is undefined', unexpected: true});
  });

  it('backs off exponentially up to maxDelayMs, with full jitter', () => {
    const delays = [1, 2, 3, 4].map((attempt) => decideRetry(new TransientError('503'), attempt, 0, 0, policy, almostOne));
    expect(delays).toEqual([
      {retry: true, delayMs: 999}, {retry: true, delayMs: 1999}, {retry: true, delayMs: 3999}, {retry: true, delayMs: 7999},
    ]);
    expect(decideRetry(new TransientError('503'), 4, 0, 0, {...policy, maxDelayMs: 5000}, almostOne))
      .toEqual({retry: true, delayMs: 4999});
    expect(decideRetry(new TransientError('503'), 3, 0, 0, policy, () => 0)).toEqual({retry: true, delayMs: 0});
    expect(decideRetry(new TransientError('503'), 3, 0, 0, policy, () => 0.5)).toEqual({retry: true, delayMs: 2000});
  });

  it('never retries earlier than Retry-After', () => {
    expect(decideRetry(new TransientError('429', {retryAfterMs: 30_000}), 1, 0, 0, policy, () => 0.5))
      .toEqual({retry: true, delayMs: 30_000});
    expect(decideRetry(new TransientError('429', {retryAfterMs: 10}), 2, 0, 0, policy, () => 0.5))
      .toEqual({retry: true, delayMs: 1000});
  });

  it('stops at maxAttempts', () => {
    const decision = decideRetry(new TransientError('503'), 5, 0, 0, policy);
    expect(decision).toEqual({retry: false, reason: 'gave up after 5 attempts: 503', unexpected: false});
  });

  it('stops when the next attempt would fall outside the budget', () => {
    expect(decideRetry(new TransientError('429', {retryAfterMs: 20_000}), 2, 0, 40_000, policy).retry).toBe(true);
    expect(decideRetry(new TransientError('429', {retryAfterMs: 20_001}), 2, 0, 40_000, policy))
      .toEqual({retry: false, reason: 'retry budget of 60s exhausted: 429', unexpected: false});
  });

  it('has sane defaults', () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
    expect(DEFAULT_RETRY_POLICY.baseDelayMs).toBeLessThan(DEFAULT_RETRY_POLICY.maxDelayMs);
    expect(DEFAULT_RETRY_POLICY.maxDelayMs).toBeLessThan(DEFAULT_RETRY_POLICY.budgetMs);
  });
});
