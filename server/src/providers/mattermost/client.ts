// The only file of this provider that talks to Mattermost: builds the shared REST client from a provider context and
// adds the few calls offboarding needs that the shared client lacks (all teams, one team member, bots, hooks by id).
import {ConfigError} from '../../engine/errors.js';
import type {ProviderContext} from '../../engine/types.js';
import {apiRoute, MattermostClient} from '../../mattermost/client.js';
import type {
  MattermostBot, MattermostIncomingWebhook, MattermostOAuthApp, MattermostOutgoingWebhook, MattermostTeam,
  MattermostTeamMember, StatusOk,
} from '../../mattermost/client_types.js';
import {parseConnection} from './config.js';

export {isMattermostApiError, isNotFound, MattermostApiError} from '../../mattermost/client.js';

/** The shared client plus the reads and writes only offboarding uses (candidates for the shared client). */
export class OffboardMattermostClient extends MattermostClient {
  /** Every team the token can see (system admins see private and invite-only teams too); paged. */
  listAllTeams(): Promise<MattermostTeam[]> {
    return this.listAll('/teams');
  }

  /** The membership row; Mattermost keeps it with `delete_at > 0` after the user left or was removed. */
  getTeamMember(teamId: string, userId: string): Promise<MattermostTeamMember> {
    return this.request('GET', apiRoute('/teams/{team_id}/members/{user_id}', {team_id: teamId, user_id: userId}));
  }

  /** Replaces the member's team roles; the scheme flags follow the `team_user` / `team_admin` names in `roles`. */
  updateTeamMemberRoles(teamId: string, userId: string, roles: string): Promise<StatusOk> {
    return this.request('PUT', apiRoute('/teams/{team_id}/members/{user_id}/roles', {team_id: teamId, user_id: userId}),
      {json: {roles}});
  }

  /** A bot, disabled ones included (`delete_at > 0`). */
  getBot(botUserId: string): Promise<MattermostBot> {
    return this.request('GET', apiRoute('/bots/{bot_user_id}', {bot_user_id: botUserId}),
      {query: {include_deleted: true}});
  }

  enableBot(botUserId: string): Promise<MattermostBot> {
    return this.request('POST', apiRoute('/bots/{bot_user_id}/enable', {bot_user_id: botUserId}));
  }

  getIncomingHook(hookId: string): Promise<MattermostIncomingWebhook> {
    return this.request('GET', apiRoute('/hooks/incoming/{hook_id}', {hook_id: hookId}));
  }

  /** Carries the hook's token: a secret, only ever fingerprinted. */
  getOutgoingHook(hookId: string): Promise<MattermostOutgoingWebhook> {
    return this.request('GET', apiRoute('/hooks/outgoing/{hook_id}', {hook_id: hookId}));
  }

  /** Carries the app's client_secret: a secret, only ever fingerprinted. */
  getOAuthApp(appId: string): Promise<MattermostOAuthApp> {
    return this.request('GET', apiRoute('/oauth/apps/{app_id}', {app_id: appId}));
  }
}

/** A client for one provider call: paced by the provider's limiter and aborted with the context's signal. */
export function connect(ctx: ProviderContext<unknown>): OffboardMattermostClient {
  const connection = parseConnection(ctx.config);
  if (!connection) {
    throw new ConfigError('The Mattermost provider has no connection: mattermost.url and mattermost.bot_token are required.');
  }
  return new OffboardMattermostClient({
    url: connection.url, token: connection.token, timeoutMs: connection.timeoutMs,
    limiter: ctx.limiter, clock: ctx.clock, log: ctx.log, signal: ctx.signal,
  });
}
