// Vocabulary shared by discover, plan, execute and verify: finding kinds, step actions, permission names and typed
// readers for step params (which arrive from the store as plain JSON).
import {createHash} from 'node:crypto';
import {PermanentError} from '../../engine/errors.js';
import type {JsonObject, StepSpec} from '../../engine/types.js';

export const PROVIDER_ID = 'github';

export type FindingKind =
  | 'org_membership' | 'outside_collaborator' | 'org_invitation' | 'team_membership' | 'repo_access'
  | 'repo_invitation' | 'credential_authorization' | 'pat_grant' | 'deploy_key' | 'fork' | 'local_clones'
  | 'coverage_gap';

export type AutoAction =
  | 'revoke_credential_authorization' | 'revoke_pat_grant' | 'remove_from_org' | 'remove_outside_collaborator'
  | 'cancel_org_invitation' | 'demote_org_owner' | 'remove_from_team' | 'remove_repo_access' | 'set_repo_access_read'
  | 'cancel_repo_invitation' | 'remove_deploy_key';

export type ManualAction =
  | 'confirm_identity' | 'rotate_deploy_key' | 'rotate_shared_secret' | 'review_residual_access' | 'review_coverage_gap'
  | 'limit_base_permission';

export type Action = AutoAction | ManualAction;

/** `remove` takes all access away; `read_only` keeps the person able to read and review (seeds/001, option 2). */
export type AccessMode = 'remove' | 'read_only';

/** REST role names, lowest to highest; GraphQL's READ/TRIAGE/WRITE/MAINTAIN/ADMIN map onto them. */
export const PERMISSIONS = ['pull', 'triage', 'push', 'maintain', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const FROM_GRAPHQL: Readonly<Record<string, Permission>> = {
  READ: 'pull', TRIAGE: 'triage', WRITE: 'push', MAINTAIN: 'maintain', ADMIN: 'admin',
};

export function permissionFromGraphql(value: string, roleName?: string | null): Permission {
  const byRole: Readonly<Record<string, Permission>> = {
    read: 'pull', triage: 'triage', write: 'push', maintain: 'maintain', admin: 'admin',
  };
  return (roleName ? byRole[roleName] : undefined) ?? FROM_GRAPHQL[value] ?? 'pull';
}

export function isAboveRead(p: Permission): boolean {
  return PERMISSIONS.indexOf(p) > 0;
}

/** Step id in the house scheme `${provider}:${action}:${target}`. */
export function stepId(action: Action, target: string): string {
  return `${PROVIDER_ID}:${action}:${target}`;
}

/** A short SHA-256 fingerprint, for values that identify a credential without being it (key material). */
export function fingerprint(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12);
}

/** A required string param; a missing one means the step was not planned by this provider. */
export function paramString(step: StepSpec, key: string): string {
  const value = step.params[key];
  if (typeof value !== 'string' || value === '') {
    throw new PermanentError(`Step ${step.id} lacks the "${key}" parameter; re-plan the run.`);
  }
  return value;
}

export function paramNumber(step: StepSpec, key: string): number {
  const value = step.params[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new PermanentError(`Step ${step.id} lacks the "${key}" parameter; re-plan the run.`);
  }
  return value;
}

export function paramStrings(step: StepSpec, key: string): string[] {
  const value = step.params[key];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new PermanentError(`Step ${step.id} lacks the "${key}" parameter; re-plan the run.`);
  }
  return value as string[];
}

/** A string field of a finding's data ('' when absent), for plan() which must not throw on odd data. */
export function dataString(data: JsonObject, key: string): string {
  const value = data[key];
  return typeof value === 'string' ? value : '';
}

export function dataNumber(data: JsonObject, key: string): number {
  const value = data[key];
  return typeof value === 'number' ? value : 0;
}

export const sameLogin = (a: string | null | undefined, b: string | null | undefined): boolean =>
  typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
