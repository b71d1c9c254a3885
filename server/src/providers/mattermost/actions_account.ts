// Actions on the account itself: sessions, personal access tokens, deactivation, team and channel memberships,
// and team, channel and system admin roles.
import type {JsonObject} from '../../engine/types.js';
import type {MattermostChannelMember, MattermostTeamMember} from '../../mattermost/client_types.js';
import {handler, orGone, type ActionHandler, type Observation} from './action_kit.js';
import {type Action, paramString, privilegedSystemRoles, roleList} from './model.js';

/** Auth services whose directory owns the account state: its next sync or login re-activates a deactivated user. */
const DIRECTORY_AUTH = ['ldap', 'saml'];

type AccountAction = Extract<Action,
  'revoke_sessions' | 'revoke_token' | 'deactivate_account' | 'remove_from_team' | 'remove_from_channel'
  | 'demote_team_admin' | 'demote_channel_admin' | 'demote_system_admin'>;

const isTeamMember = (m: MattermostTeamMember | undefined): m is MattermostTeamMember =>
  m !== undefined && m.delete_at === 0;
const isAdmin = (m: {scheme_admin?: boolean; roles: string}, role: string): boolean =>
  m.scheme_admin === true || roleList(m.roles).includes(role);

export const accountHandlers: Readonly<Record<AccountAction, ActionHandler>> = {
  revoke_sessions: handler({
    async read(api, step) {
      const userId = paramString(step, 'user_id');
      const sessions = await orGone(api.getSessions(userId)) ?? [];
      return {satisfied: sessions.length === 0, evidence: {user_id: userId, open_sessions: sessions.length},
        remaining: `${sessions.length} session(s) still open`};
    },
    async act(api, step, before) {
      await api.revokeAllSessions(paramString(step, 'user_id'));
      return {user_id: paramString(step, 'user_id'), revoked_sessions: before.evidence['open_sessions'] ?? null};
    },
  }),

  revoke_token: handler({
    async read(api, step) {
      const userId = paramString(step, 'user_id');
      const tokenId = paramString(step, 'token_id');
      const tokens = await orGone(api.getUserAccessTokens(userId)) ?? [];
      const present = tokens.some((t) => t.id === tokenId);
      return {satisfied: !present, evidence: {user_id: userId, token_id: tokenId, token_present: present},
        remaining: 'the token still exists'};
    },
    async act(api, step) {
      await api.revokeUserAccessToken(paramString(step, 'token_id'));
      return {user_id: paramString(step, 'user_id'), token_id: paramString(step, 'token_id'), revoked: true};
    },
  }),

  deactivate_account: handler({
    async read(api, step) {
      const userId = paramString(step, 'user_id');
      const user = await orGone(api.getUser(userId));
      const evidence: JsonObject = user
        ? {user_id: userId, username: user.username, delete_at: user.delete_at}
        : {user_id: userId, account_exists: false};
      return {satisfied: !user || user.delete_at > 0, evidence, remaining: 'the account is still active'};
    },
    async act(api, step) {
      const userId = paramString(step, 'user_id');
      await api.updateUserActive(userId, false);
      const authService = typeof step.params['auth_service'] === 'string' ? step.params['auth_service'] : '';
      return {
        user_id: userId, username: paramString(step, 'username'), deactivated: true,
        ...(DIRECTORY_AUTH.includes(authService)
          ? {note: `The account is managed by ${authService}: disable it there too, or the next sync re-activates it.`}
          : {}),
      };
    },
  }),

  remove_from_team: handler<MattermostTeamMember>({
    async read(api, step) {
      const [teamId, userId] = [paramString(step, 'team_id'), paramString(step, 'user_id')];
      const member = await orGone(api.getTeamMember(teamId, userId));
      return {satisfied: !isTeamMember(member), remaining: 'still a member of the team',
        evidence: {team_id: teamId, user_id: userId, member: isTeamMember(member)}};
    },
    async act(api, step) {
      const [teamId, userId] = [paramString(step, 'team_id'), paramString(step, 'user_id')];
      await api.removeTeamMember(teamId, userId);
      return {team_id: teamId, team_name: step.params['team_name'] ?? null, user_id: userId, removed: true};
    },
  }),

  remove_from_channel: handler({
    async read(api, step) {
      const [channelId, userId] = [paramString(step, 'channel_id'), paramString(step, 'user_id')];
      const member = await orGone(api.getChannelMember(channelId, userId));
      return {satisfied: !member, evidence: {channel_id: channelId, user_id: userId, member: member !== undefined},
        remaining: 'still a member of the channel'};
    },
    async act(api, step) {
      const [channelId, userId] = [paramString(step, 'channel_id'), paramString(step, 'user_id')];
      await api.removeChannelMember(channelId, userId);
      return {channel_id: channelId, channel_name: step.params['channel_name'] ?? null, user_id: userId, removed: true};
    },
  }),

  demote_team_admin: handler<MattermostTeamMember>({
    async read(api, step): Promise<Observation<MattermostTeamMember>> {
      const [teamId, userId] = [paramString(step, 'team_id'), paramString(step, 'user_id')];
      const member = await orGone(api.getTeamMember(teamId, userId));
      const admin = isTeamMember(member) && isAdmin(member, 'team_admin');
      return {satisfied: !admin, remaining: 'still team admin', ...(member ? {state: member} : {}),
        evidence: {team_id: teamId, user_id: userId, member: isTeamMember(member), team_admin: admin}};
    },
    async act(api, step, before) {
      const [teamId, userId] = [paramString(step, 'team_id'), paramString(step, 'user_id')];
      await api.updateTeamMemberSchemeRoles(teamId, userId,
        {scheme_admin: false, scheme_user: before.state?.scheme_user ?? true});
      return {team_id: teamId, team_name: step.params['team_name'] ?? null, user_id: userId, team_admin: false};
    },
  }),

  demote_channel_admin: handler<MattermostChannelMember>({
    async read(api, step): Promise<Observation<MattermostChannelMember>> {
      const [channelId, userId] = [paramString(step, 'channel_id'), paramString(step, 'user_id')];
      const member = await orGone(api.getChannelMember(channelId, userId));
      const admin = member !== undefined && isAdmin(member, 'channel_admin');
      return {satisfied: !admin, evidence: {channel_id: channelId, user_id: userId, member: member !== undefined,
        channel_admin: admin}, remaining: 'still channel admin', ...(member ? {state: member} : {})};
    },
    async act(api, step, before) {
      const [channelId, userId] = [paramString(step, 'channel_id'), paramString(step, 'user_id')];
      await api.updateChannelMemberSchemeRoles(channelId, userId,
        {scheme_admin: false, scheme_user: before.state?.scheme_user ?? true});
      return {channel_id: channelId, channel_name: step.params['channel_name'] ?? null, user_id: userId,
        channel_admin: false};
    },
  }),

  demote_system_admin: handler<string>({
    async read(api, step): Promise<Observation<string>> {
      const userId = paramString(step, 'user_id');
      const user = await orGone(api.getUser(userId));
      const privileged = privilegedSystemRoles(user?.roles);
      return {satisfied: privileged.length === 0, evidence: {user_id: userId, privileged_roles: privileged},
        remaining: `still has ${privileged.join(', ')}`, ...(user ? {state: user.roles} : {})};
    },
    async act(api, step, before) {
      const userId = paramString(step, 'user_id');
      const privileged = new Set(privilegedSystemRoles(before.state));
      const rest = roleList(before.state).filter((r) => !privileged.has(r));
      const roles = rest.length > 0 ? rest.join(' ') : 'system_user';
      await api.updateUserRoles(userId, roles);
      return {user_id: userId, removed_roles: [...privileged], roles};
    },
  }),
};
