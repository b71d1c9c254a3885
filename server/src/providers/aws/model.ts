// Vocabulary shared by discover, plan, execute and verify: finding kinds, step actions and ids, the containment
// policy documents, and typed readers for step params (which arrive from the store as plain JSON).
import {PermanentError} from '../../engine/errors.js';
import type {Finding, Identity, JsonObject, StepSpec} from '../../engine/types.js';

export const PROVIDER_ID = 'aws';

/** The inline policy the contain step puts on each IAM user; removed only right before DeleteUser. */
export const CONTAIN_POLICY_NAME = 'OffboardingDenyAll';

export type FindingKind =
  | 'iam_user' | 'login_profile' | 'access_key' | 'signing_certificate' | 'ssh_public_key' | 'service_credential'
  | 'mfa_device' | 'inline_policy' | 'attached_policy' | 'group_membership' | 'permissions_boundary' | 'sts_sessions'
  | 'service_key' | 'unsearched_trail' | 'owned_account' | 'sso_user' | 'sso_assignment' | 'sso_group_membership'
  | 'sso_sessions';

export type Action =
  | 'deny_user' | 'deactivate_access_key' | 'delete_login_profile' | 'delete_access_key'
  | 'delete_signing_certificate' | 'delete_ssh_public_key' | 'delete_service_credential' | 'delete_mfa_device'
  | 'delete_inline_policy' | 'detach_policy' | 'remove_from_group' | 'delete_user' | 'deactivate_service_key'
  | 'close_account' | 'deny_sso_user' | 'delete_sso_assignment' | 'remove_sso_group_membership' | 'delete_sso_user';

export type ManualAction = 'review_account' | 'review_iam_users' | 'rotate_access_key' | 'review_owned_account';

/** Step id in the house scheme `aws:<action>:<account>:<target>`. */
export function stepId(action: Action | ManualAction, account: string, target: string): string {
  return `${PROVIDER_ID}:${action}:${account}:${target}`;
}

/**
 * The containment policy: deny everything, and (a second statement AWS's "revoke sessions" recipe uses) deny any
 * request signed with a token issued before `now`, so STS sessions derived from the user's keys stop at once.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html
 */
export function containPolicyDocument(nowIso: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {Sid: 'OffboardingDenyAll', Effect: 'Deny', Action: '*', Resource: '*'},
      {Sid: 'OffboardingRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*',
        Condition: {DateLessThan: {'aws:TokenIssueTime': nowIso}}},
    ],
  });
}

/** True when a (decoded) policy document has an unconditional Deny of every action on every resource. */
export function deniesEverything(document: string): boolean {
  let parsed: {Statement?: unknown};
  try {
    parsed = JSON.parse(document) as {Statement?: unknown};
  } catch {
    return false;
  }
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return statements.some((s: unknown) => {
    const st = s as {Effect?: unknown; Action?: unknown; Resource?: unknown; Condition?: unknown} | null;
    const all = (v: unknown) => v === '*' || (Array.isArray(v) && v.includes('*'));
    return st?.Effect === 'Deny' && all(st.Action) && all(st.Resource) && st.Condition === undefined;
  });
}

/** The SCP statement id that holds the identitystore user ids of offboarded Identity Center users. */
export const SSO_DENY_SID = 'OffboardingDenyIdentityCenterUsers';

/** The SCP content with `userId` added to the deny statement's condition (idempotent). */
export function ssoDenyPolicyContent(existing: string | undefined, userId: string): string {
  const parsed = existing ? JSON.parse(existing) as {Version?: string; Statement?: unknown} : {};
  const statements = (Array.isArray(parsed.Statement) ? parsed.Statement : []) as Record<string, unknown>[];
  const ours = statements.find((s) => s['Sid'] === SSO_DENY_SID);
  const ids = new Set(ssoDeniedUserIds(existing ?? ''));
  ids.add(userId);
  const statement = {Sid: SSO_DENY_SID, Effect: 'Deny', Action: '*', Resource: '*',
    Condition: {StringEquals: {'identitystore:userId': [...ids].sort()}}};
  const others = statements.filter((s) => s !== ours);
  return JSON.stringify({Version: parsed.Version ?? '2012-10-17', Statement: [...others, statement]});
}

export function ssoDeniedUserIds(content: string): string[] {
  try {
    const parsed = JSON.parse(content) as {Statement?: unknown};
    const statements = (Array.isArray(parsed.Statement) ? parsed.Statement : []) as Record<string, unknown>[];
    const ours = statements.find((s) => s['Sid'] === SSO_DENY_SID) as
      {Condition?: {StringEquals?: Record<string, unknown>}} | undefined;
    const value = ours?.Condition?.StringEquals?.['identitystore:userId'];
    return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
  } catch {
    return [];
  }
}

/** A required string param; a missing one means the step was not planned by this provider. */
export function paramString(step: StepSpec, key: string): string {
  const value = step.params[key];
  if (typeof value !== 'string' || value === '') {
    throw new PermanentError(`Step ${step.id} lacks the "${key}" parameter; re-plan the run.`);
  }
  return value;
}

export function paramBoolean(step: StepSpec, key: string): boolean {
  return step.params[key] === true;
}

/** A string field of a finding's or identity's data ('' when absent), for plan() which must not throw. */
export function dataString(data: JsonObject, key: string): string {
  const value = data[key];
  return typeof value === 'string' ? value : '';
}

export function dataStrings(data: JsonObject, key: string): string[] {
  const value = data[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A finding of `identity`, with the id scheme `<kind>:<target>` plan() names steps from. */
export function makeFinding(identity: Identity, kind: FindingKind, target: string, label: string,
  risk: Finding['risk'], data: JsonObject, residual = false): Finding {
  return {provider: PROVIDER_ID, kind, id: `${kind}:${target}`, label, identityId: identity.id, risk, residual, data};
}
