// Thin typed Mattermost REST v4 client on global fetch. Written instead of @mattermost/client, which turns a 429 into
// an error without status or headers; the transport (client_http.ts) waits out rate limits and maps failures.
import type {
  ChannelCreate, ClientConfigOld, CommandCreate, FileUploadResponse, MattermostBot, MattermostChannel,
  MattermostChannelMember, MattermostCommand, MattermostFileInfo, MattermostGroup, MattermostIncomingWebhook,
  MattermostOAuthApp, MattermostOutgoingWebhook, MattermostPost, MattermostSession, MattermostTeam,
  MattermostTeamMember, MattermostUser, MattermostUserAccessToken, OpenDialogRequest, PingResponse, PostCreate,
  PostPatch, PostUpdate, SchemeRoles, StatusOk,
} from './client_types.js';
import {PermanentError} from '../engine/errors.js';
import {apiRoute, MattermostHttp} from './client_http.js';

export {
  apiRoute, type ApiRoute, type HttpMethod, isMattermostApiError, isNotFound, MattermostApiError,
  type MattermostClientOptions, MAX_PER_PAGE, type Query, rateLimitWaitMs, type RequestOptions,
} from './client_http.js';

export class MattermostClient extends MattermostHttp {
  /** The same client, with every request and wait also aborted by `signal` (e.g. a step's abort signal). */
  withSignal(signal: AbortSignal): MattermostClient {
    const own = this.options.signal;
    return new MattermostClient({...this.options, signal: own ? AbortSignal.any([own, signal]) : signal});
  }

  // Users, sessions and tokens.

  getMe(): Promise<MattermostUser> {
    return this.request('GET', '/users/me');
  }
  getUser(userId: string): Promise<MattermostUser> {
    return this.request('GET', apiRoute('/users/{user_id}', {user_id: userId}));
  }
  getUserByUsername(username: string): Promise<MattermostUser> {
    return this.request('GET', apiRoute('/users/username/{username}', {username}));
  }
  getUserByEmail(email: string): Promise<MattermostUser> {
    return this.request('GET', apiRoute('/users/email/{email}', {email}));
  }
  async getUsersByIds(userIds: readonly string[]): Promise<MattermostUser[]> {
    return userIds.length === 0 ? [] : this.request('POST', '/users/ids', {json: userIds});
  }
  /** Public: carries `AsymmetricSigningPublicKey`, so it is fetched without the token. */
  getClientConfigOld(): Promise<ClientConfigOld> {
    return this.request('GET', '/config/client', {query: {format: 'old'}, auth: false});
  }
  ping(): Promise<PingResponse> {
    return this.request('GET', '/system/ping');
  }
  getUserGroups(userId: string): Promise<MattermostGroup[]> {
    return this.request('GET', apiRoute('/users/{user_id}/groups', {user_id: userId}));
  }
  updateUserRoles(userId: string, roles: string): Promise<StatusOk> {
    return this.request('PUT', apiRoute('/users/{user_id}/roles', {user_id: userId}), {json: {roles}});
  }
  updateUserActive(userId: string, active: boolean): Promise<StatusOk> {
    return this.request('PUT', apiRoute('/users/{user_id}/active', {user_id: userId}), {json: {active}});
  }
  getSessions(userId: string): Promise<MattermostSession[]> {
    return this.request('GET', apiRoute('/users/{user_id}/sessions', {user_id: userId}));
  }
  revokeAllSessions(userId: string): Promise<StatusOk> {
    return this.request('POST', apiRoute('/users/{user_id}/sessions/revoke/all', {user_id: userId}));
  }
  getUserAccessTokens(userId: string): Promise<MattermostUserAccessToken[]> {
    return this.listAll(apiRoute('/users/{user_id}/tokens', {user_id: userId}));
  }
  revokeUserAccessToken(tokenId: string): Promise<StatusOk> {
    return this.request('POST', '/users/tokens/revoke', {json: {token_id: tokenId}});
  }

  // Teams.

  getTeam(teamId: string): Promise<MattermostTeam> {
    return this.request('GET', apiRoute('/teams/{team_id}', {team_id: teamId}));
  }
  getTeamByName(name: string): Promise<MattermostTeam> {
    return this.request('GET', apiRoute('/teams/name/{name}', {name}));
  }
  getTeamsForUser(userId: string): Promise<MattermostTeam[]> {
    return this.request('GET', apiRoute('/users/{user_id}/teams', {user_id: userId}));
  }
  getTeamMembersForUser(userId: string): Promise<MattermostTeamMember[]> {
    return this.request('GET', apiRoute('/users/{user_id}/teams/members', {user_id: userId}));
  }
  addTeamMember(teamId: string, userId: string): Promise<MattermostTeamMember> {
    return this.request('POST', apiRoute('/teams/{team_id}/members', {team_id: teamId}),
      {json: {team_id: teamId, user_id: userId}});
  }
  removeTeamMember(teamId: string, userId: string): Promise<StatusOk> {
    return this.request('DELETE', apiRoute('/teams/{team_id}/members/{user_id}', {team_id: teamId, user_id: userId}));
  }
  updateTeamMemberSchemeRoles(teamId: string, userId: string, roles: SchemeRoles): Promise<StatusOk> {
    return this.request('PUT', apiRoute('/teams/{team_id}/members/{user_id}/schemeRoles',
      {team_id: teamId, user_id: userId}), {json: roles});
  }
  regenerateTeamInviteId(teamId: string): Promise<MattermostTeam> {
    return this.request('POST', apiRoute('/teams/{team_id}/regenerate_invite_id', {team_id: teamId}));
  }

  // Channels.

  getChannel(channelId: string): Promise<MattermostChannel> {
    return this.request('GET', apiRoute('/channels/{channel_id}', {channel_id: channelId}));
  }
  getChannelByName(teamId: string, name: string, includeDeleted = false): Promise<MattermostChannel> {
    return this.request('GET', apiRoute('/teams/{team_id}/channels/name/{channel_name}',
      {team_id: teamId, channel_name: name}), {query: {include_deleted: includeDeleted}});
  }
  createChannel(channel: ChannelCreate): Promise<MattermostChannel> {
    return this.request('POST', '/channels', {json: channel});
  }
  addChannelMember(channelId: string, userId: string): Promise<MattermostChannelMember> {
    return this.request('POST', apiRoute('/channels/{channel_id}/members', {channel_id: channelId}),
      {json: {user_id: userId}});
  }
  removeChannelMember(channelId: string, userId: string): Promise<StatusOk> {
    return this.request('DELETE', apiRoute('/channels/{channel_id}/members/{user_id}',
      {channel_id: channelId, user_id: userId}));
  }
  getChannelMember(channelId: string, userId: string): Promise<MattermostChannelMember> {
    return this.request('GET', apiRoute('/channels/{channel_id}/members/{user_id}',
      {channel_id: channelId, user_id: userId}));
  }
  /**
   * Every channel of every team the user is in (server >= 6.1). The server walks its own pages and streams one list
   * (api4/channel.go getChannelsForUser), so there is no page parameter; a stream cut short is a TransientError.
   */
  getChannelsForUser(userId: string, includeDeleted = false): Promise<MattermostChannel[]> {
    return this.request('GET', apiRoute('/users/{user_id}/channels', {user_id: userId}),
      {query: {include_deleted: includeDeleted}});
  }
  getChannelMembersForUserInTeam(userId: string, teamId: string): Promise<MattermostChannelMember[]> {
    return this.request('GET', apiRoute('/users/{user_id}/teams/{team_id}/channels/members',
      {user_id: userId, team_id: teamId}));
  }
  updateChannelMemberSchemeRoles(channelId: string, userId: string, roles: SchemeRoles): Promise<StatusOk> {
    return this.request('PUT', apiRoute('/channels/{channel_id}/members/{user_id}/schemeRoles',
      {channel_id: channelId, user_id: userId}), {json: roles});
  }

  // Posts and files.

  createPost(post: PostCreate): Promise<MattermostPost> {
    return this.request('POST', '/posts', {json: post});
  }
  /** A post only `userId` sees, not stored (needs create_post_ephemeral: system admins and bots they own). */
  createEphemeralPost(userId: string, channelId: string, message: string): Promise<MattermostPost> {
    return this.request('POST', '/posts/ephemeral', {json: {user_id: userId, post: {channel_id: channelId, message}}});
  }
  getPost(postId: string): Promise<MattermostPost> {
    return this.request('GET', apiRoute('/posts/{post_id}', {post_id: postId}));
  }
  patchPost(postId: string, patch: PostPatch): Promise<MattermostPost> {
    return this.request('PUT', apiRoute('/posts/{post_id}/patch', {post_id: postId}), {json: patch});
  }
  updatePost(post: PostUpdate): Promise<MattermostPost> {
    return this.request('PUT', apiRoute('/posts/{post_id}', {post_id: post.id}), {json: post});
  }
  /** Uploads one file into a channel; attach it to a post with its id in `file_ids`. */
  async uploadFile(
    channelId: string, name: string, bytes: Uint8Array, contentType: string,
  ): Promise<MattermostFileInfo> {
    const form = new FormData();
    form.append('channel_id', channelId);
    // The copy gives Blob a plain ArrayBuffer-backed view (a Buffer may sit on a SharedArrayBuffer-typed pool).
    form.append('files', new Blob([new Uint8Array(bytes)], {type: contentType}), name);
    const res = await this.request<FileUploadResponse>('POST', '/files', {form});
    const info = res?.file_infos?.[0];
    if (!info) throw new PermanentError('Mattermost POST /api/v4/files answered without file_infos');
    return info;
  }

  // Integrations: slash commands, webhooks, bots, OAuth apps, dialogs.

  listCommands(teamId: string, customOnly = true): Promise<MattermostCommand[]> {
    return this.request('GET', '/commands', {query: {team_id: teamId, custom_only: customOnly}});
  }
  createCommand(command: CommandCreate): Promise<MattermostCommand> {
    return this.request('POST', '/commands', {json: command});
  }
  updateCommand(command: MattermostCommand): Promise<MattermostCommand> {
    return this.request('PUT', apiRoute('/commands/{command_id}', {command_id: command.id}), {json: command});
  }
  /** Answers the new token: a secret. */
  regenCommandToken(commandId: string): Promise<{readonly token: string}> {
    return this.request('PUT', apiRoute('/commands/{command_id}/regen_token', {command_id: commandId}));
  }
  deleteCommand(commandId: string): Promise<StatusOk> {
    return this.request('DELETE', apiRoute('/commands/{command_id}', {command_id: commandId}));
  }
  getIncomingHooks(teamId?: string): Promise<MattermostIncomingWebhook[]> {
    return this.listAll('/hooks/incoming', {team_id: teamId});
  }
  deleteIncomingHook(hookId: string): Promise<StatusOk> {
    return this.request('DELETE', apiRoute('/hooks/incoming/{hook_id}', {hook_id: hookId}));
  }
  getOutgoingHooks(teamId?: string): Promise<MattermostOutgoingWebhook[]> {
    return this.listAll('/hooks/outgoing', {team_id: teamId});
  }
  regenOutgoingHookToken(hookId: string): Promise<MattermostOutgoingWebhook> {
    return this.request('POST', apiRoute('/hooks/outgoing/{hook_id}/regen_token', {hook_id: hookId}));
  }
  getBots(options: {readonly includeDeleted?: boolean} = {}): Promise<MattermostBot[]> {
    return this.listAll('/bots', {include_deleted: options.includeDeleted ?? false});
  }
  assignBot(botUserId: string, userId: string): Promise<MattermostBot> {
    return this.request('POST', apiRoute('/bots/{bot_user_id}/assign/{user_id}',
      {bot_user_id: botUserId, user_id: userId}));
  }
  disableBot(botUserId: string): Promise<MattermostBot> {
    return this.request('POST', apiRoute('/bots/{bot_user_id}/disable', {bot_user_id: botUserId}));
  }
  getOAuthApps(): Promise<MattermostOAuthApp[]> {
    return this.listAll('/oauth/apps');
  }
  /** Answers the app with its new client_secret: a secret. */
  regenOAuthAppSecret(appId: string): Promise<MattermostOAuthApp> {
    return this.request('POST', apiRoute('/oauth/apps/{app_id}/regen_secret', {app_id: appId}));
  }
  /** Opens an interactive dialog for the user of a fresh `trigger_id`. */
  openDialog(request: OpenDialogRequest): Promise<StatusOk> {
    return this.request('POST', '/actions/dialogs/open', {json: request});
  }

}
