// Maps AWS SDK errors onto the OffboardError family: throttling, 5xx and concurrent modification are transient;
// AccessDenied names the IAM permission the role lacks; rejected credentials are a configuration error; anything
// else AWS refuses is permanent. SDK v3 errors carry `name` (the error code, often with an `Exception` suffix)
// and `$metadata.httpStatusCode`. https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
import {ConfigError, isOffboardError, PermanentError, TransientError} from '../../engine/errors.js';

interface AwsErrorLike {
  readonly name: string;
  readonly message: string;
  readonly $metadata?: {readonly httpStatusCode?: number};
  readonly $retryable?: {readonly throttling?: boolean};
  readonly Reason?: string;
}

export function isAwsError(e: unknown): e is AwsErrorLike {
  return e instanceof Error && typeof (e as {$metadata?: unknown}).$metadata === 'object';
}

/** The AWS error code without the SDK's `Exception` suffix (`NoSuchEntityException` → `NoSuchEntity`). */
export function awsCode(e: unknown): string {
  if (!(e instanceof Error)) return '';
  return e.name.replace(/Exception$/, '');
}

/** The codes the SDK's standard retry treats as throttling, plus the ones each service here uses. */
const THROTTLING = new Set([
  'Throttling', 'TooManyRequests', 'RequestLimitExceeded', 'RequestThrottled', 'SlowDown', 'Throttled',
  'ProvisionedThroughputExceeded', 'BandwidthLimitExceeded', 'PriorRequestNotComplete', 'EC2Throttled',
  'TransactionInProgress',
]);
const TRANSIENT = new Set([
  'ServiceFailure', 'InternalFailure', 'Service', 'InternalServer', 'ServiceUnavailable', 'ConcurrentModification',
  'EntityTemporarilyUnmodifiable', 'RequestTimeout', 'Timeout', 'TimeoutError', 'Conflict',
]);
const BAD_CREDENTIALS = new Set([
  'InvalidClientTokenId', 'UnrecognizedClient', 'MissingAuthenticationToken', 'SignatureDoesNotMatch',
  'IncompleteSignature', 'InvalidAccessKeyId', 'CredentialsProviderError',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

export function isNotFound(e: unknown): boolean {
  const code = awsCode(e);
  return code === 'NoSuchEntity' || code === 'ResourceNotFound' || code === 'AccountNotFound' ||
    code === 'PolicyNotFound' || code === 'TargetNotFound';
}

export function isDeleteConflict(e: unknown): boolean {
  return awsCode(e) === 'DeleteConflict';
}

export function isExpiredToken(e: unknown): boolean {
  return awsCode(e) === 'ExpiredToken';
}

export function isThrottling(e: unknown): boolean {
  return THROTTLING.has(awsCode(e)) || (isAwsError(e) && e.$retryable?.throttling === true);
}

/** The IAM action named in an AccessDenied message (`... perform: iam:DeleteUser on resource ...`). */
function deniedAction(message: string): string | undefined {
  return /perform: ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(message)?.[1];
}

/**
 * The OffboardError for `e` raised while doing `what` (e.g. `DeleteUser dana in 123456789012`). Errors that are
 * already OffboardErrors and aborts pass through unchanged.
 */
export function toOffboardError(e: unknown, what: string, permission?: string): unknown {
  if (isOffboardError(e)) return e;
  if (e instanceof Error && e.name === 'AbortError') return e;
  const code = awsCode(e);
  const message = e instanceof Error ? e.message.replace(/\s+/g, ' ').slice(0, 300) : String(e);
  const status = isAwsError(e) ? e.$metadata?.httpStatusCode : undefined;
  const details = {aws_code: code || 'unknown', ...(status === undefined ? {} : {http_status: status})};
  if (isThrottling(e)) {
    return new TransientError(`AWS throttled ${what} (${code}); retrying later.`, {cause: e, details});
  }
  const errno = (e as {code?: unknown} | null)?.code;
  if (TRANSIENT.has(code) || (status !== undefined && status >= 500) ||
    (typeof errno === 'string' && NETWORK.has(errno))) {
    return new TransientError(`AWS could not complete ${what} (${code || String(errno)}: ${message}).`,
      {cause: e, details});
  }
  if (BAD_CREDENTIALS.has(code)) {
    return new ConfigError(`AWS rejected the configured credentials during ${what} (${code}): check ` +
      'providers.aws.access_key_id / secret_access_key or the default credential chain.', {cause: e, details});
  }
  if (code === 'AccessDenied' || code === 'AccessDenied403' || code === 'UnauthorizedOperation') {
    const action = deniedAction(message) ?? permission;
    return new PermanentError(`AWS denied ${what}${action ? `: the offboarding role lacks ${action}` : ''} ` +
      `(${code}: ${message}).`, {cause: e, details: {...details, ...(action ? {permission: action} : {})}});
  }
  if (code === 'LimitExceeded') {
    // IAM's LimitExceeded is a quota (too many keys, policies), not a throttle: retrying does not help.
    return new PermanentError(`AWS refused ${what}: a quota is exhausted (${message}).`, {cause: e, details});
  }
  if (!isAwsError(e)) return e;
  return new PermanentError(`AWS refused ${what} (${code}: ${message}).`, {cause: e, details});
}
