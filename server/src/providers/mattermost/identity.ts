// check(): the bot token works, the bot is a system admin and the server answers its health ping.
// resolve(): the Mattermost identity is the subject itself, re-read for fresh roles and auth service.
import {errorMessage} from '../../engine/errors.js';
import type {CheckResult, Identity, ProviderContext, Subject} from '../../engine/types.js';
import type {MattermostProviderConfig} from './config.js';
import {connect, isMattermostApiError, isNotFound} from './client.js';
import {PROVIDER_ID, roleList} from './model.js';

export async function check(ctx: ProviderContext<MattermostProviderConfig>): Promise<CheckResult> {
  const api = connect(ctx);
  let me;
  try {
    me = await api.getMe();
  } catch (e) {
    if (isMattermostApiError(e) && e.isAuthError) return {ok: false, detail: 'the bot token is rejected (401)'};
    return {ok: false, detail: errorMessage(e)};
  }
  if (!roleList(me.roles).includes('system_admin')) {
    return {ok: false,
      detail: `bot @${me.username} is not a system admin (it must manage users, teams and integrations)`};
  }
  const ping = await api.ping();
  if (String(ping.status).toUpperCase() !== 'OK') {
    return {ok: false, detail: `server health is "${String(ping.status)}"`};
  }
  if (ctx.config.bot_owner) {
    const owner = await api.getUserByUsername(ctx.config.bot_owner).catch((e: unknown) => {
      if (isNotFound(e)) return undefined;
      throw e;
    });
    if (!owner || owner.delete_at > 0) {
      return {ok: false, detail: `bot_owner @${ctx.config.bot_owner} is not an active Mattermost user`};
    }
  }
  return {ok: true, detail: 'ok'};
}

export async function resolve(ctx: ProviderContext<MattermostProviderConfig>, subject: Subject): Promise<Identity[]> {
  const api = connect(ctx);
  // What plan() must know of the configuration travels with the identity, since plan() gets no context.
  const planDefaults = {
    bot_owner: ctx.config.bot_owner ?? null,
    default_account_action: ctx.config.default_account_action ?? 'deactivate',
  };
  let user;
  try {
    user = await api.getUser(subject.userId);
  } catch (e) {
    if (!isNotFound(e)) throw e;
    return [{provider: PROVIDER_ID, id: subject.userId, label: `@${subject.username}`, source: 'Mattermost account',
      confidence: 'not_found', data: {user_id: subject.userId, username: subject.username, ...planDefaults}}];
  }
  return [{
    provider: PROVIDER_ID, id: user.id, label: `@${user.username}`, source: 'Mattermost account', confidence: 'exact',
    data: {
      user_id: user.id, username: user.username, roles: user.roles, auth_service: user.auth_service ?? '',
      active: user.delete_at === 0, is_bot: user.is_bot === true, ...planDefaults,
    },
  }];
}
