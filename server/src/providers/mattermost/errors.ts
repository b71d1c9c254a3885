// Maps Mattermost refusals onto the OffboardError family with a message an admin can act on: a 403 names the
// permission the bot lacks, a 401 means the bot token itself is wrong. Transient errors pass through untouched.
import {ConfigError, PermanentError} from '../../engine/errors.js';
import type {StepSpec} from '../../engine/types.js';
import {isMattermostApiError} from './client.js';
import type {Action} from './model.js';

/** The permission each action needs (https://docs.mattermost.com/onboard/advanced-permissions.html). */
export const REQUIRED_PERMISSION: Readonly<Record<Action, string>> = {
  revoke_sessions: 'edit_other_users',
  revoke_token: 'revoke_user_access_token',
  deactivate_account: 'manage_system (edit_other_users)',
  remove_from_team: 'remove_user_from_team',
  remove_from_channel: 'manage_private_channel_members',
  demote_team_admin: 'manage_team_roles',
  demote_channel_admin: 'manage_channel_roles',
  demote_system_admin: 'manage_roles',
  delete_incoming_webhook: 'manage_others_incoming_webhooks',
  regenerate_outgoing_webhook_token: 'manage_others_outgoing_webhooks',
  regenerate_command_token: 'manage_others_slash_commands',
  regenerate_oauth_secret: 'manage_system_wide_oauth',
  reassign_bot: 'manage_others_bots',
  disable_bot: 'manage_others_bots',
  regenerate_team_invite: 'manage_team',
};

/** What execute()/verify() throw for a failure while working on `step`. */
export function stepError(e: unknown, step: StepSpec, action: Action): unknown {
  if (!isMattermostApiError(e)) return e;
  if (e.status === 403) {
    return new PermanentError(
      `Mattermost refused "${step.title}": the bot account lacks the ${REQUIRED_PERMISSION[action]} permission (403).`,
      {cause: e, details: {...e.details, permission: REQUIRED_PERMISSION[action]}},
    );
  }
  if (e.isAuthError) {
    return new ConfigError('Mattermost rejected the bot token (401): check mattermost.bot_token.',
      {cause: e, details: e.details});
  }
  return e;
}
