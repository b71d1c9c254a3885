// Read-only inventory of one Mattermost account: sessions, tokens, roles, memberships, integrations the person created
// and the team invite links they have seen. Every list is paged where the API pages; secrets are only fingerprinted.
import type {Finding, Identity, JsonObject, ProviderContext} from '../../engine/types.js';
import type {
  MattermostChannel, MattermostSession, MattermostTeam, MattermostTeamMember,
} from '../../mattermost/client_types.js';
import {connect, isMattermostApiError, isNotFound, type OffboardMattermostClient} from './client.js';
import {fingerprint, fingerprintOf, type FindingKind, privilegedSystemRoles, PROVIDER_ID, roleList} from './model.js';

type Risk = Finding['risk'];

export async function discover(ctx: ProviderContext<unknown>, identity: Identity): Promise<Finding[]> {
  if (identity.provider !== PROVIDER_ID || identity.confidence !== 'exact') return [];
  const api = connect(ctx);
  const userId = identity.id;
  const finding = (kind: FindingKind, target: string, label: string, risk: Risk, data: JsonObject): Finding => ({
    provider: PROVIDER_ID, kind, id: `${kind}:${target}`, label, identityId: userId, risk, residual: false,
    data: {user_id: userId, ...data},
  });

  const enabled = <T>(feature: string, read: Promise<T[]>): Promise<T[]> => whenEnabled(ctx, feature, read);
  const [user, sessions, tokens, memberships, allTeams, channels, bots, incoming, outgoing, apps] = await Promise.all([
    api.getUser(userId), api.getSessions(userId), api.getUserAccessTokens(userId), api.getTeamMembersForUser(userId),
    api.listAllTeams(), api.getChannelsForUser(userId), api.getBots({includeDeleted: true}),
    enabled('incoming webhooks', api.getIncomingHooks()), enabled('outgoing webhooks', api.getOutgoingHooks()),
    enabled('OAuth apps', api.getOAuthApps()),
  ]);
  const teams = await teamsById(api, allTeams, memberships);
  const activeTeams = memberships.filter((m) => m.delete_at === 0 && teams.has(m.team_id));
  const teamName = (teamId: string): string => teams.get(teamId)?.name ?? teamId;
  const found: Finding[] = [];

  for (const s of sessions) {
    found.push(finding('session', s.id, sessionLabel(s), 'high', {
      session_id: s.id, created_at: s.create_at, last_activity_at: s.last_activity_at,
      platform: s.props?.['platform'] ?? '', os: s.props?.['os'] ?? '', browser: s.props?.['browser'] ?? '',
      session_type: s.props?.['type'] ?? (s.is_oauth ? 'OAuth' : ''),
    }));
  }
  for (const t of tokens) {
    const label = `Personal access token "${t.description}"${t.is_active ? '' : ' (disabled)'}`;
    found.push(finding('access_token', t.id, label, 'high',
      {token_id: t.id, description: t.description, is_active: t.is_active}));
  }
  for (const role of privilegedSystemRoles(user.roles)) {
    found.push(finding('system_role', role, `System role ${role}`, 'high', {role}));
  }
  for (const m of activeTeams) {
    const team = teams.get(m.team_id) as MattermostTeam;
    const data = {team_id: team.id, team_name: team.name, team_display_name: team.display_name};
    found.push(finding('team_membership', team.id, `Member of team ${team.display_name} (${team.name})`, 'low', data));
    if (m.scheme_admin || roleList(m.roles).includes('team_admin')) {
      found.push(finding('team_role', team.id, `Team admin of ${team.display_name} (${team.name})`, 'medium', data));
    }
  }

  const channelsById = new Map<string, MattermostChannel>();
  for (const c of channels) {
    if ((c.type !== 'O' && c.type !== 'P') || c.delete_at !== 0) continue;
    channelsById.set(c.id, c);
    const isPrivate = c.type === 'P';
    found.push(finding('channel_membership', c.id,
      `Member of ${isPrivate ? 'private' : 'public'} channel ~${c.name} in ${teamName(c.team_id)}`,
      isPrivate ? 'medium' : 'low', channelData(c, teamName(c.team_id))));
  }
  const channelMembers = await Promise.all(
    activeTeams.map((m) => api.getChannelMembersForUserInTeam(userId, m.team_id)));
  for (const member of channelMembers.flat()) {
    const c = channelsById.get(member.channel_id);
    if (!c || !(member.scheme_admin || roleList(member.roles).includes('channel_admin'))) continue;
    found.push(finding('channel_role', c.id, `Channel admin of ~${c.name} in ${teamName(c.team_id)}`, 'low',
      channelData(c, teamName(c.team_id))));
  }

  for (const b of bots.filter((bot) => bot.owner_id === userId)) {
    const label = `Owns bot @${b.username}${b.delete_at === 0 ? '' : ' (disabled)'}`;
    found.push(finding('owned_bot', b.user_id, label, 'low', {
      bot_user_id: b.user_id, bot_username: b.username, display_name: b.display_name, was_active: b.delete_at === 0,
    }));
  }
  // An incoming webhook's id is its secret (the URL is /hooks/<id>): only its fingerprint leaves this function.
  for (const h of incoming.filter((hook) => hook.user_id === userId && hook.delete_at === 0)) {
    const hookFingerprint = fingerprint(h.id);
    const label = `Incoming webhook "${h.display_name || hookFingerprint}" in ${teamName(h.team_id)}`;
    found.push(finding('incoming_webhook', hookFingerprint, label, 'high', {
      hook_fingerprint: hookFingerprint, display_name: h.display_name, team_id: h.team_id, channel_id: h.channel_id,
    }));
  }
  for (const h of outgoing.filter((hook) => hook.creator_id === userId && hook.delete_at === 0)) {
    const label = `Outgoing webhook "${h.display_name || h.id}" in ${teamName(h.team_id)}`;
    found.push(finding('outgoing_webhook', h.id, label, 'high', {
      hook_id: h.id, display_name: h.display_name, team_id: h.team_id, fingerprint: fingerprintOf(h.token),
    }));
  }
  const commands = await Promise.all([...teams.values()].filter((t) => t.delete_at === 0)
    .map((t) => enabled('slash commands', api.listCommands(t.id, true))));
  for (const c of commands.flat().filter((cmd) => cmd.creator_id === userId && cmd.delete_at === 0)) {
    found.push(finding('slash_command', c.id, `Slash command /${c.trigger} in ${teamName(c.team_id)}`, 'high',
      {command_id: c.id, trigger: c.trigger, team_id: c.team_id, fingerprint: fingerprintOf(c.token)}));
  }
  for (const a of apps.filter((app) => app.creator_id === userId)) {
    found.push(finding('oauth_app', a.id, `OAuth app "${a.name}"`, 'high',
      {app_id: a.id, name: a.name, fingerprint: fingerprintOf(a.client_secret)}));
  }
  // Left teams count too: whoever saw an invite link once can still use it until it is regenerated.
  for (const m of memberships) {
    const team = teams.get(m.team_id);
    if (!team || team.delete_at !== 0) continue;
    found.push(finding('team_invite', team.id, `Invite link of team ${team.display_name} (${team.name})`, 'low',
      {team_id: team.id, team_name: team.name, fingerprint: fingerprintOf(team.invite_id), member: m.delete_at === 0}));
  }
  return found;
}

/**
 * A list of an integration type, or none when the server has the feature switched off (501, e.g.
 * ServiceSettings.EnableCommands=false): such integrations cannot run, so there is nothing to revoke now.
 */
async function whenEnabled<T>(ctx: ProviderContext<unknown>, feature: string, read: Promise<T[]>): Promise<T[]> {
  try {
    return await read;
  } catch (e) {
    if (!isMattermostApiError(e) || e.status !== 501) throw e;
    ctx.log.warn({feature}, 'mattermost feature disabled on the server; its integrations were not inventoried');
    return [];
  }
}

/** Teams by id: the admin's list of all teams, plus (archived or hidden) teams the person has a membership in. */
async function teamsById(
  api: OffboardMattermostClient, allTeams: readonly MattermostTeam[], memberships: readonly MattermostTeamMember[],
): Promise<Map<string, MattermostTeam>> {
  const teams = new Map(allTeams.map((t) => [t.id, t]));
  const missing = [...new Set(memberships.map((m) => m.team_id))].filter((id) => !teams.has(id));
  const extra = await Promise.all(missing.map(async (id) => {
    try {
      return await api.getTeam(id);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }));
  for (const t of extra) if (t) teams.set(t.id, t);
  return teams;
}

function channelData(c: MattermostChannel, teamName: string): JsonObject {
  return {
    channel_id: c.id, channel_name: c.name, channel_display_name: c.display_name, team_id: c.team_id,
    team_name: teamName, private: c.type === 'P',
  };
}

/** "Session on Chrome / Windows (desktop)": device facts from props only, never the token or csrf prop. */
function sessionLabel(s: MattermostSession): string {
  const props = s.props ?? {};
  if (props['type'] === 'UserAccessToken') return 'Session of a personal access token';
  const parts = [props['browser'], props['os']].filter((p): p is string => typeof p === 'string' && p !== '');
  const platform = props['platform'] ? ` (${props['platform']})` : '';
  const kind = s.is_oauth ? 'OAuth session' : s.device_id ? 'Mobile session' : 'Session';
  return parts.length > 0 ? `${kind} on ${parts.join(' / ')}${platform}` : `${kind} ${s.id}`;
}
