// Whether and when a failed attempt is tried again, decided from the error's class and the provider's policy.
// Exponential back-off with full jitter (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/),
// never earlier than the vendor's Retry-After, and never beyond the step's time budget.
import {errorMessage, isConfigError, isPermanent, isTransient} from './errors.js';
import type {RetryPolicy} from './types.js';

export type RetryDecision =
  | {readonly retry: true; readonly delayMs: number}
  | {readonly retry: false; readonly reason: string; readonly unexpected: boolean};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  budgetMs: 15 * 60_000,
};

/**
 * @param attempt attempts made so far, including the one that just failed (1 after the first).
 * @param firstAttemptAt when the first attempt started; the budget counts from there.
 * @param random injectable for tests; must return a number in [0, 1).
 *
 * `unexpected` is true for errors outside the OffboardError family: those are bugs and get logged as errors.
 */
export function decideRetry(
  error: unknown, attempt: number, firstAttemptAt: number, now: number, policy: RetryPolicy,
  random: () => number = Math.random,
): RetryDecision {
  const message = errorMessage(error);
  if (isPermanent(error)) return {retry: false, reason: message, unexpected: false};
  if (isConfigError(error)) return {retry: false, reason: `configuration error: ${message}`, unexpected: false};
  if (!isTransient(error)) return {retry: false, reason: `unexpected error: ${message}`, unexpected: true};

  if (attempt >= policy.maxAttempts) {
    return {retry: false, reason: `gave up after ${attempt} attempts: ${message}`, unexpected: false};
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  const hint = error.retryAfterMs;
  const delayMs = Math.max(jittered, hint !== undefined && Number.isFinite(hint) ? hint : 0);
  if (now + delayMs > firstAttemptAt + policy.budgetMs) {
    const budget = Math.round(policy.budgetMs / 1000);
    return {retry: false, reason: `retry budget of ${budget}s exhausted: ${message}`, unexpected: false};
  }
  return {retry: true, delayMs};
}
