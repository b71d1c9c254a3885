// Configuration of the AWS provider: the `providers.aws` YAML section (validated here, `.strict()`), and the
// commented example `offboard configure` prints. Secrets may be given as `<key>_file` (resolved by the loader).
import {z} from 'zod';

const ACCOUNT_ID = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const ROLE_NAME = z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name');
const REGION = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as us-east-1');
const URL = z.string().regex(/^https?:\/\/[^\s]+$/, 'must be an http(s) URL');

/** Per-service endpoint overrides; `endpoint_url` sets all of them at once. */
const endpointsSchema = z.strictObject({
  iam: URL.optional(),
  sts: URL.optional(),
  organizations: URL.optional(),
  cloudtrail: URL.optional(),
  identitystore: URL.optional(),
  sso_admin: URL.optional(),
});

export type AwsService = keyof z.output<typeof endpointsSchema>;

export const awsSectionSchema = z.strictObject({
  enabled: z.boolean().optional(),
  /** Region of STS and Organizations calls; IAM is global and always signed for us-east-1. */
  region: REGION.default('us-east-1'),
  endpoint_url: URL.optional(),
  endpoints: endpointsSchema.default({}),
  /** Management-account credentials; without them the SDK's default chain (env, profile, instance role) is used. */
  access_key_id: z.string().regex(/^[A-Z0-9]{16,128}$/, 'must be an AWS access key id').optional(),
  secret_access_key: z.string().min(1, 'must not be empty').optional(),
  session_token: z.string().min(1, 'must not be empty').optional(),
  /** `organization`: every ACTIVE account of ListAccounts; `list`: exactly `account_ids`. */
  account_source: z.enum(['organization', 'list']).default('organization'),
  account_ids: z.array(ACCOUNT_ID).default([]),
  skip_account_ids: z.array(ACCOUNT_ID).default([]),
  role_name: ROLE_NAME.default('OrganizationAccountAccessRole'),
  /** Role per account where it differs (invited accounts often lack OrganizationAccountAccessRole). */
  role_names: z.record(ACCOUNT_ID, ROLE_NAME).default({}),
  external_id: z.string().min(2).max(1224).optional(),
  session_name: z.string().regex(/^[\w+=,.@-]{2,64}$/, 'must be a valid role session name').default('offboarding'),
  session_duration_seconds: z.number().int().min(900).max(43_200).default(3600),
  /** Mattermost username or email → account id (or `*`) → IAM user name(s). Wins over tag and name matching. */
  user_mapping: z.record(z.string().min(1), z.record(z.union([ACCOUNT_ID, z.literal('*')]),
    z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]))).default({}),
  /** IAM user tag whose value is the person's email. Empty: no tag matching. */
  user_tag: z.string().max(128).default('email'),
  /** IAM user names to look for; {username}, {email} and {email_local} are replaced (case-insensitive). */
  user_name_patterns: z.array(z.string().min(1)).default(['{username}', '{email}']),
  cloudtrail: z.strictObject({
    enabled: z.boolean().default(true),
    /** IAM events are recorded in us-east-1, whatever region the trail lives in. */
    region: REGION.default('us-east-1'),
    lookback_days: z.number().int().min(1).max(90).default(90),
  }).default({enabled: true, region: 'us-east-1', lookback_days: 90}),
  /** Organizations account tag whose value names the owner (email or username). Empty: no ownership lookup. */
  account_owner_tag: z.string().max(128).default('owner'),
  identity_center: z.strictObject({
    instance_arn: z.string().regex(/^arn:aws:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/,
      'must be an IAM Identity Center instance ARN'),
    identity_store_id: z.string().regex(/^d-[0-9a-f]{10}$|^[0-9a-f-]{36}$/, 'must be an identity store id'),
    region: REGION.optional(),
    /** SCP that denies the deleted users' `identitystore:userId`; empty: no SCP (residual risk reported). */
    deny_policy_name: z.string().max(128).default('offboarding-deny-identity-center-users'),
  }).optional(),
  /** Attempts per request in the SDK's standard retry mode (throttling and 5xx are retried). */
  max_attempts: z.number().int().min(1).max(10).default(5),
  /** IAM and STS throttle per account: at most this many requests in flight per account. */
  max_in_flight_per_account: z.number().int().min(1).max(64).default(16),
  request_timeout_ms: z.number().int().min(1000).max(120_000).default(15_000),
});

export type AwsConfig = z.output<typeof awsSectionSchema>;

export const configSchema: z.ZodType<AwsConfig> = awsSectionSchema as unknown as z.ZodType<AwsConfig>;

export const configExample = `  aws:
    # Management-account credentials (or a delegated administrator's). Leave them out to use the SDK's default
    # chain (AWS_* environment, shared profile, instance or container role).
    # access_key_id: AKIAIOSFODNN7EXAMPLE
    # secret_access_key_file: /etc/offboard/aws_secret_access_key
    # Region of STS and Organizations calls. IAM is global.
    # region: us-east-1
    # One endpoint for every AWS service (LocalStack style), or per service under endpoints:.
    # endpoint_url: http://localhost:4566
    # endpoints: {iam: 'http://localhost:4566', sts: 'http://localhost:4566'}
    # Accounts to check: every ACTIVE account of the organization, or an explicit list.
    # account_source: organization
    # account_ids: ['111122223333']
    # skip_account_ids: []
    # Role assumed in each member account (the management account is used directly), optional external id.
    # role_name: OrganizationAccountAccessRole
    # role_names: {'444455556666': OffboardingRole}
    # external_id_file: /etc/offboard/aws_external_id
    # session_name: offboarding
    # How IAM users are matched to the person: explicit mapping first, then the user tag, then the name patterns.
    # user_mapping: {dana: {'*': dana, '111122223333': [dana-admin]}}
    # user_tag: email
    # user_name_patterns: ['{username}', '{email}']
    # Keys the person created for other users (CloudTrail CreateAccessKey events) become rotation tasks.
    # cloudtrail: {enabled: true, region: us-east-1, lookback_days: 90}
    # Organizations account tag naming an account's owner: owned accounts are closure candidates.
    # account_owner_tag: owner
    # IAM Identity Center: the person's user, group memberships and account assignments.
    # identity_center:
    #   instance_arn: arn:aws:sso:::instance/ssoins-1234567890abcdef
    #   identity_store_id: d-1234567890
    #   deny_policy_name: offboarding-deny-identity-center-users
    # max_attempts: 5
    # max_in_flight_per_account: 16
`;
