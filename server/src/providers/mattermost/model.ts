// Vocabulary shared by discover, plan, execute and verify: finding kinds, step actions, fingerprints of secrets,
// role-string helpers and typed readers for step params (which arrive from the store as plain JSON).
import {createHash} from 'node:crypto';
import {PermanentError} from '../../engine/errors.js';
import type {JsonObject, StepSpec} from '../../engine/types.js';

export const PROVIDER_ID = 'mattermost';

export type FindingKind =
  | 'session' | 'access_token' | 'system_role' | 'team_membership' | 'team_role' | 'channel_membership'
  | 'channel_role' | 'owned_bot' | 'incoming_webhook' | 'outgoing_webhook' | 'slash_command' | 'oauth_app'
  | 'team_invite';

export type Action =
  | 'revoke_sessions' | 'revoke_token' | 'deactivate_account' | 'remove_from_team' | 'remove_from_channel'
  | 'demote_team_admin' | 'demote_channel_admin' | 'demote_system_admin' | 'delete_incoming_webhook'
  | 'regenerate_outgoing_webhook_token' | 'regenerate_command_token' | 'regenerate_oauth_secret' | 'reassign_bot'
  | 'disable_bot' | 'regenerate_team_invite';

/**
 * A short SHA-256 fingerprint of a secret (first 12 hex characters): enough to tell whether a token was rotated,
 * useless for recovering it, so it may sit in params and evidence where the secret itself never may.
 */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12);
}

/** Fingerprint of an optional secret; null when the server did not hand it out. */
export function fingerprintOf(secret: string | undefined | null): string | null {
  return typeof secret === 'string' && secret !== '' ? fingerprint(secret) : null;
}

export function roleList(roles: string | undefined): string[] {
  return (roles ?? '').split(/\s+/).filter((r) => r !== '');
}

/**
 * System roles that grant administration (System Console roles). `system_user` / `system_guest` are the base roles
 * every account has and stay. https://docs.mattermost.com/onboard/system-admin-roles.html
 */
export function privilegedSystemRoles(roles: string | undefined): string[] {
  return roleList(roles).filter((r) => r.startsWith('system_') && r !== 'system_user' && r !== 'system_guest');
}

/** Step id in the house scheme `${provider}:${action}:${target}`. */
export function stepId(action: Action, target: string): string {
  return `${PROVIDER_ID}:${action}:${target}`;
}

/** A required string param; a missing one means the step was not planned by this provider. */
export function paramString(step: StepSpec, key: string): string {
  const value = step.params[key];
  if (typeof value !== 'string' || value === '') {
    throw new PermanentError(`Step ${step.id} lacks the "${key}" parameter; re-plan the run.`);
  }
  return value;
}

export function paramOptionalString(step: StepSpec, key: string): string | null {
  const value = step.params[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

export function paramBoolean(step: StepSpec, key: string): boolean {
  const value = step.params[key];
  if (typeof value !== 'boolean') {
    throw new PermanentError(`Step ${step.id} lacks the "${key}" parameter; re-plan the run.`);
  }
  return value;
}

/** A string field of a finding's data ('' when absent), for plan() which must not throw on odd data. */
export function dataString(data: JsonObject, key: string): string {
  const value = data[key];
  return typeof value === 'string' ? value : '';
}
