// The GitHub provider: removes a departing person from the configured organizations and every repository (or lowers
// them to read-only), cancels their invitations, revokes SSO credential authorizations and fine-grained token grants,
// and turns what needs a human (deploy keys, shared secrets, forks, local clones) into checklist items.
import type {Provider} from '../../engine/types.js';
import {configExample, configSchema, type GithubConfig} from './config.js';
import {discover} from './discover.js';
import {execute} from './execute.js';
import {check, identityInput, resolve} from './identity.js';
import {PROVIDER_ID} from './model.js';
import {plan, planOptions} from './plan.js';
import {verify} from './verify.js';

export type {GithubConfig} from './config.js';

export const githubProvider: Provider<GithubConfig> = {
  id: PROVIDER_ID,
  title: 'GitHub',
  configSchema,
  // GitHub's secondary limits (docs: rate-limits-for-the-rest-api): at most 100 concurrent requests per credential,
  // 900 points per minute and REST endpoint. The bucket allows 400 + 8/s × 60 = 880 requests in any minute, under 900
  // even if all of them hit one endpoint; writes are paced further in pacing.ts, the hourly budget via x-ratelimit-*.
  limits: {
    concurrency: 100,
    requestsPerSecond: 8,
    burst: 400,
    retry: {maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 120_000, budgetMs: 30 * 60_000},
  },
  planOptions,
  configExample,
  identityInput,
  check,
  resolve,
  discover,
  plan,
  execute,
  verify,
};
