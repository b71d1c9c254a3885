// Maps GitHub's refusals onto the OffboardError family with a message an admin can act on. Rate limits that
// plugin-throttling gave up on become TransientError with the wait GitHub asked for; 401 is a configuration problem;
// 403/404/422 fail the step (404 is never read as "already gone" here: the actions confirm that with a read).
import {ConfigError, isOffboardError, PermanentError, TransientError} from '../../engine/errors.js';
import {errorHeaders, statusOf, vendorMessage} from './client.js';

/** What the credential needs for each kind of work (docs: permissions required for GitHub Apps / token scopes). */
export const NEEDS = {
  org: 'organization owner (App: Members read & write; token: admin:org)',
  repo: 'repository administration (App: Administration read & write; token: repo)',
  sso: 'organization owner on Enterprise Cloud (token: admin:org; App: Organization administration)',
  pat: 'a GitHub App with "Personal access tokens" (organization) read & write',
} as const;

function retryAfterMs(headers: Readonly<Record<string, string | number | undefined>>): number | undefined {
  const after = Number(headers['retry-after']);
  if (Number.isFinite(after) && after > 0) return after * 1000;
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset)) return Math.max(1000, reset * 1000 - Date.now() + 1000);
  }
  return undefined;
}

/** The error to throw for a failure while doing `what` (already phrased for an admin, e.g. `remove dwhitfield from acme`). */
export function githubError(e: unknown, what: string, needs: string = NEEDS.org): unknown {
  if (isOffboardError(e)) return e;
  // Octokit wraps what its fetch throws (the pacer's own errors among them) in a RequestError with the original as cause.
  const cause = (e as {cause?: unknown} | null)?.cause;
  if (isOffboardError(cause)) return cause;
  const status = statusOf(e);
  if (status === undefined) {
    if (e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError')) {
      return new TransientError(`GitHub did not answer in time while trying to ${what}.`, {cause: e});
    }
    return e;
  }
  const message = vendorMessage(e);
  const details = {status, github_message: message};
  const headers = errorHeaders(e);
  const wait = retryAfterMs(headers);
  if ((status === 403 || status === 429) && (wait !== undefined || /rate limit/i.test(message))) {
    return new TransientError(`GitHub rate limit while trying to ${what}: ${message}`,
      {cause: e, details, ...(wait === undefined ? {} : {retryAfterMs: wait})});
  }
  if (status === 401) {
    return new ConfigError(`GitHub rejected the provider's credentials (401) while trying to ${what}: check providers.github.`,
      {cause: e, details});
  }
  if (status >= 500) {
    return new TransientError(`GitHub failed (${status}) while trying to ${what}: ${message}`, {cause: e, details});
  }
  if (status === 403) {
    return new PermanentError(`GitHub refused to ${what} (403: ${message}); the credential needs ${needs}.`, {cause: e, details});
  }
  return new PermanentError(`GitHub answered ${status} to "${what}": ${message}`, {cause: e, details});
}

/** GraphQL errors of a response: rate limits are transient, the rest permanent. */
export function graphqlError(errors: readonly {type?: string; message: string}[], what: string): Error {
  const text = errors.map((e) => e.message).join('; ').slice(0, 400);
  if (errors.some((e) => e.type === 'RATE_LIMITED')) {
    return new TransientError(`GitHub GraphQL rate limit while trying to ${what}: ${text}`);
  }
  return new PermanentError(`GitHub GraphQL refused to ${what}: ${text}`, {details: {types: errors.map((e) => e.type ?? '')}});
}
