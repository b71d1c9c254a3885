// The Mattermost provider: revokes a departing person's sessions, tokens, memberships, admin roles and the
// integrations they created, and deactivates (or keeps, stripped) the account.
import type {Provider} from '../../engine/types.js';
import {configExample, configSchema, type MattermostProviderConfig} from './config.js';
import {discover} from './discover.js';
import {execute} from './execute.js';
import {check, resolve} from './identity.js';
import {PROVIDER_ID} from './model.js';
import {plan, planOptions} from './plan.js';
import {verify} from './verify.js';

export type {MattermostConnection, MattermostProviderConfig, MattermostSection} from './config.js';
export {fingerprint} from './model.js';

export const mattermostProvider: Provider<MattermostProviderConfig> = {
  id: PROVIDER_ID,
  title: 'Mattermost',
  configSchema,
  // Mattermost's default RateLimitSettings: PerSec=10, MaxBurst=100 (model/config.go); stay under the rate, keep a
  // small burst so several replicas do not drain the server's bucket at once.
  limits: {
    concurrency: 4,
    requestsPerSecond: 10,
    burst: 20,
    retry: {maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, budgetMs: 120_000},
  },
  planOptions,
  configExample,
  check,
  resolve,
  discover,
  plan,
  execute,
  verify,
};
