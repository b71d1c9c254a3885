// The AWS provider: the person's IAM users in every account of the organization (contained, stripped of every
// dependent, deleted), keys they made for service users (rotation tasks), accounts they own (closure behind a
// confirmation) and their IAM Identity Center user.
import type {Provider} from '../../engine/types.js';
import {type AwsConfig, configExample, configSchema} from './config.js';
import {discover} from './discover.js';
import {execute} from './execute.js';
import {check, identityInput, resolve} from './identity.js';
import {PROVIDER_ID} from './model.js';
import {plan, planOptions} from './plan.js';
import {verify} from './verify.js';

export type {AwsConfig} from './config.js';
export {clearAwsSessions} from './client.js';

export const awsProvider: Provider<AwsConfig> = {
  id: PROVIDER_ID,
  title: 'AWS',
  configSchema,
  // IAM and STS publish no request rates: they throttle per account (the caller's) with token buckets per API, so
  // per-account pacing lives in the client (max_in_flight_per_account for IAM) and this global limiter only bounds
  // the total across many accounts. The documented rates are paced in the client too: Identity Center 20 TPS,
  // CloudTrail LookupEvents 2 TPS per account. The SDK's standard retry (max_attempts) absorbs short throttling
  // bursts; the engine retries what is left.
  limits: {
    concurrency: 256,
    requestsPerSecond: 2000,
    burst: 500,
    retry: {maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 60_000, budgetMs: 15 * 60_000},
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
