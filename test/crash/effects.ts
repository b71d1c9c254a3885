// An oracle on the simulator's side of a run: which logged requests carried out a step's change, and whether that
// change is in place in the simulator's state. Independent of the provider's own reads, so a double or lost
// execution cannot hide behind the code under test.
import {createHash} from 'node:crypto';
import type {Step} from '../../server/src/engine/types.js';
import type {MattermostSim, RequestLogEntry} from '../mattermost_sim/index.js';

const API = '/api/v4';

/** Revocations of personal access tokens all POST to one path (the token id is in the body, which is not logged). */
export const TOKEN_REVOKE_PATH = `${API}/users/tokens/revoke`;

/** The 12-hex fingerprint steps carry instead of a secret (sha256 prefix, as the provider computes it). */
function fingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12);
}

function param(step: Step, key: string): string {
  const value = step.params[key];
  if (typeof value !== 'string' || value === '') throw new Error(`step ${step.id} has no string param "${key}"`);
  return value;
}

const is = (r: RequestLogEntry, method: string, path: string): boolean => r.method === method && r.path === path;

/** True when `r` is one of the requests that change what `step` acts on. Throws for an action this oracle lacks. */
export function isEffectOf(step: Step, r: RequestLogEntry): boolean {
  switch (step.action) {
    case 'revoke_sessions': return is(r, 'POST', `${API}/users/${param(step, 'user_id')}/sessions/revoke/all`);
    case 'revoke_token': return is(r, 'POST', TOKEN_REVOKE_PATH);
    case 'deactivate_account': return is(r, 'PUT', `${API}/users/${param(step, 'user_id')}/active`);
    case 'demote_system_admin': return is(r, 'PUT', `${API}/users/${param(step, 'user_id')}/roles`);
    case 'remove_from_team':
      return is(r, 'DELETE', `${API}/teams/${param(step, 'team_id')}/members/${param(step, 'user_id')}`);
    case 'demote_team_admin':
      return is(r, 'PUT', `${API}/teams/${param(step, 'team_id')}/members/${param(step, 'user_id')}/schemeRoles`);
    case 'remove_from_channel':
      return is(r, 'DELETE', `${API}/channels/${param(step, 'channel_id')}/members/${param(step, 'user_id')}`);
    case 'demote_channel_admin':
      return is(r, 'PUT', `${API}/channels/${param(step, 'channel_id')}/members/${param(step, 'user_id')}/schemeRoles`);
    case 'delete_incoming_webhook': {
      const prefix = `${API}/hooks/incoming/`;
      return r.method === 'DELETE' && r.path.startsWith(prefix)
        && fingerprint(r.path.slice(prefix.length)) === param(step, 'hook_fingerprint');
    }
    case 'regenerate_outgoing_webhook_token':
      return is(r, 'POST', `${API}/hooks/outgoing/${param(step, 'hook_id')}/regen_token`);
    case 'regenerate_command_token': return is(r, 'PUT', `${API}/commands/${param(step, 'command_id')}/regen_token`);
    case 'regenerate_oauth_secret': return is(r, 'POST', `${API}/oauth/apps/${param(step, 'app_id')}/regen_secret`);
    case 'regenerate_team_invite': return is(r, 'POST', `${API}/teams/${param(step, 'team_id')}/regenerate_invite_id`);
    case 'reassign_bot': {
      const bot = `${API}/bots/${param(step, 'bot_user_id')}`;
      return r.method === 'POST' && (r.path.startsWith(`${bot}/assign/`) || r.path === `${bot}/enable`);
    }
    case 'disable_bot': return is(r, 'POST', `${API}/bots/${param(step, 'bot_user_id')}/disable`);
    default: throw new Error(`the crash test has no effect oracle for action "${step.action}" (step ${step.id})`);
  }
}

/**
 * Writes the service makes for itself, not on the person's access: registering /offboard, reading users in bulk,
 * the run channel, its card and report. They repeat by design (a restart re-registers, the card is patched).
 */
const HOUSEKEEPING: readonly {method: string; path: RegExp}[] = [
  {method: 'POST', path: /^\/api\/v4\/commands$/},
  {method: 'PUT', path: /^\/api\/v4\/commands\/[a-z0-9]{26}$/},
  {method: 'POST', path: /^\/api\/v4\/users\/ids$/},
  {method: 'POST', path: /^\/api\/v4\/channels$/},
  {method: 'POST', path: /^\/api\/v4\/channels\/[a-z0-9]{26}\/members$/},
  {method: 'POST', path: /^\/api\/v4\/posts(\/ephemeral)?$/},
  {method: 'PUT', path: /^\/api\/v4\/posts\/[a-z0-9]{26}(\/patch)?$/},
  {method: 'POST', path: /^\/api\/v4\/files$/},
  {method: 'POST', path: /^\/api\/v4\/actions\/dialogs\/open$/},
];

/** The writes `userId` (the service's bot) sent that are not housekeeping: each must belong to a step. */
export function effectWrites(requests: readonly RequestLogEntry[], userId: string): RequestLogEntry[] {
  return requests.filter((r) => r.userId === userId && r.method !== 'GET' && r.method !== 'HEAD'
    && !HOUSEKEEPING.some((h) => h.method === r.method && h.path.test(r.path)));
}

/** Whether the change `step` stands for is in place in the simulator right now (its state, not its request log). */
export function effectInPlace(sim: MattermostSim, step: Step): boolean {
  const {state} = sim;
  switch (step.action) {
    case 'revoke_sessions': return state.sessionsOf(param(step, 'user_id')).length === 0;
    case 'revoke_token': return !state.accessTokens.has(param(step, 'token_id'));
    case 'deactivate_account': return (state.user(param(step, 'user_id'))?.delete_at ?? 1) > 0;
    case 'demote_system_admin':
      return !(state.user(param(step, 'user_id'))?.roles ?? '').split(/\s+/).includes('system_admin');
    case 'remove_from_team': return !state.isTeamMember(param(step, 'team_id'), param(step, 'user_id'));
    case 'demote_team_admin':
      return state.teamMember(param(step, 'team_id'), param(step, 'user_id'))?.scheme_admin !== true;
    case 'remove_from_channel': return !state.channelMember(param(step, 'channel_id'), param(step, 'user_id'));
    case 'demote_channel_admin':
      return state.channelMember(param(step, 'channel_id'), param(step, 'user_id'))?.scheme_admin !== true;
    case 'delete_incoming_webhook':
      return ![...state.incomingWebhooks.values()]
        .some((h) => h.delete_at === 0 && fingerprint(h.id) === param(step, 'hook_fingerprint'));
    case 'regenerate_outgoing_webhook_token': {
      const hook = state.outgoingWebhook(param(step, 'hook_id'));
      return !hook || fingerprint(hook.token) !== param(step, 'fingerprint');
    }
    case 'regenerate_command_token': {
      const command = state.command(param(step, 'command_id'));
      return !command || fingerprint(command.token) !== param(step, 'fingerprint');
    }
    case 'regenerate_oauth_secret': {
      const app = state.oauthApp(param(step, 'app_id'));
      return !app || fingerprint(app.client_secret) !== param(step, 'fingerprint');
    }
    case 'regenerate_team_invite': {
      const team = state.team(param(step, 'team_id'));
      return !team || fingerprint(team.invite_id) !== param(step, 'fingerprint');
    }
    case 'reassign_bot': {
      const bot = state.bot(param(step, 'bot_user_id'));
      const owner = state.userByUsername(param(step, 'new_owner'));
      return !bot || (bot.owner_id === owner?.id && (bot.delete_at === 0 || step.params['was_active'] !== true));
    }
    case 'disable_bot': return (state.bot(param(step, 'bot_user_id'))?.delete_at ?? 1) > 0;
    default: throw new Error(`the crash test has no effect oracle for action "${step.action}" (step ${step.id})`);
  }
}
