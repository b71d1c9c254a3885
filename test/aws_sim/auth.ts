// Who is calling: the access key id from the SigV4 `Authorization` header's credential scope selects the principal
// and so the account (signatures are not checked cryptographically). Unknown, inactive or expired credentials get
// the errors AWS gives, and an IAM user's explicit deny-all inline policies are enforced (the offboarding
// containment policy, including its aws:TokenIssueTime condition).
import {AwsSimError} from './errors.js';
import type {Principal, SimState} from './state.js';

export interface Caller {
  readonly principal: Principal;
  /** Region and service of the credential scope. */
  readonly region: string;
  readonly signingService: string;
}

const SCOPE = /Credential=([A-Z0-9]{16,128})\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/;

function authError(json: boolean, kind: 'missing' | 'invalid' | 'expired'): AwsSimError {
  if (kind === 'missing') {
    return json
      ? new AwsSimError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token')
      : new AwsSimError('MissingAuthenticationToken', 403, 'Request is missing Authentication Token');
  }
  if (kind === 'expired') {
    return new AwsSimError(json ? 'ExpiredTokenException' : 'ExpiredToken', 403,
      'The security token included in the request is expired');
  }
  return json
    ? new AwsSimError('UnrecognizedClientException', 403, 'The security token included in the request is invalid.')
    : new AwsSimError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
}

export function authenticate(state: SimState, headers: Record<string, string | string[] | undefined>,
  json: boolean): Caller {
  const authorization = headers['authorization'];
  if (typeof authorization !== 'string' || !authorization.startsWith('AWS4-HMAC-SHA256 ')) {
    throw authError(json, 'missing');
  }
  const scope = SCOPE.exec(authorization);
  if (!scope) throw new AwsSimError(json ? 'IncompleteSignatureException' : 'IncompleteSignature', 400,
    'Authorization header requires \'Credential\' parameter.');
  const principal = state.principals.get(scope[1] as string);
  if (!principal) throw authError(json, 'invalid');
  const token = headers['x-amz-security-token'];
  if (principal.sessionToken !== undefined && token !== principal.sessionToken) throw authError(json, 'invalid');
  if (principal.sessionToken === undefined && token !== undefined) throw authError(json, 'invalid');
  if (principal.expiresAt !== undefined && principal.expiresAt <= state.now()) throw authError(json, 'expired');
  if (principal.kind === 'user' || principal.kind === 'user_session') {
    const user = state.user(principal.accountId, principal.userName ?? '');
    // A deleted user's keys and sessions stop working; so does a deactivated key.
    if (!user) throw authError(json, 'invalid');
    if (principal.kind === 'user') {
      const key = user.accessKeys.find((k) => k.id === principal.accessKeyId);
      if (!key || key.status !== 'Active') throw authError(json, 'invalid');
    }
  }
  return {principal, region: scope[3] as string, signingService: scope[4] as string};
}

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function actionMatches(pattern: unknown, action: string): boolean {
  const patterns = Array.isArray(pattern) ? pattern : [pattern];
  return patterns.some((p) => {
    if (typeof p !== 'string') return false;
    const re = new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
    return re.test(action);
  });
}

/**
 * Whether a condition block holds for the caller. Only what containment policies use is modelled:
 * `DateLessThan aws:TokenIssueTime` (absent for long-term keys, so it never matches them) and `Bool`/`Null`
 * are treated as not matching; any other operator makes the statement not apply.
 */
function conditionHolds(condition: Statement['Condition'], principal: Principal): boolean {
  if (!condition) return true;
  for (const [operator, entries] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(entries)) {
      if (operator !== 'DateLessThan' || key.toLowerCase() !== 'aws:tokenissuetime') return false;
      if (principal.kind === 'user') return false;
      const limit = Date.parse(String(Array.isArray(expected) ? expected[0] : expected));
      if (!(principal.issuedAt < limit)) return false;
    }
  }
  return true;
}

/** The explicit deny in the calling IAM user's inline policies that covers `action`, if any. */
export function explicitDeny(state: SimState, principal: Principal, action: string): boolean {
  if (principal.kind !== 'user' && principal.kind !== 'user_session') return false;
  const user = state.user(principal.accountId, principal.userName ?? '');
  if (!user) return false;
  for (const document of user.inlinePolicies.values()) {
    let parsed: {Statement?: unknown};
    try {
      parsed = JSON.parse(document) as {Statement?: unknown};
    } catch {
      continue;
    }
    const statements = (Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]) as Statement[];
    for (const s of statements) {
      if (!s || s.Effect !== 'Deny') continue;
      if (!actionMatches(s.Action, action)) continue;
      if (!actionMatches(s.Resource ?? '*', '*')) continue;
      if (conditionHolds(s.Condition, principal)) return true;
    }
  }
  return false;
}
