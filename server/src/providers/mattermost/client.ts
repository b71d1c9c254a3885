// The only file of this provider that talks to Mattermost: builds the shared REST client from a provider context and
// adds the few calls offboarding needs that the shared client lacks (all teams, one team member, bots, outgoing hooks).
import {ConfigError} from '../../engine/errors.js';
import type {ProviderContext} from '../../engine/types.js';
import {apiRoute, MattermostClient} from '../../mattermost/client.js';
import type {
  MattermostBot, MattermostOutgoingWebhook, MattermostTeam,
  MattermostTeamMember,
} from '../../mattermost/client_types.js';
import {parseConnection} from './config.js';

export {isMattermostApiError, isNotFound} from '../../mattermost/client.js';

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

  /** A bot, disabled ones included (`delete_at > 0`). */
  getBot(botUserId: string): Promise<MattermostBot> {
    return this.request('GET', apiRoute('/bots/{bot_user_id}', {bot_user_id: botUserId}),
      {query: {include_deleted: true}});
  }

  enableBot(botUserId: string): Promise<MattermostBot> {
    return this.request('POST', apiRoute('/bots/{bot_user_id}/enable', {bot_user_id: botUserId}));
  }

  /** Carries the hook's token: a secret, only ever fingerprinted. */
  getOutgoingHook(hookId: string): Promise<MattermostOutgoingWebhook> {
    return this.request('GET', apiRoute('/hooks/outgoing/{hook_id}', {hook_id: hookId}));
  }
}

/** A client for one provider call: paced by the provider's limiter and aborted with the context's signal. */
export function connect(ctx: ProviderContext<unknown>): OffboardMattermostClient {
  const connection = parseConnection(ctx.config);
  if (!connection) {
    throw new ConfigError(
      'The Mattermost provider has no connection: mattermost.url and mattermost.bot_token are required.');
  }
  return new OffboardMattermostClient({
    url: connection.url, token: connection.token, timeoutMs: connection.timeoutMs,
    limiter: ctx.limiter, clock: ctx.clock, log: ctx.log, signal: ctx.signal,
  });
}
