// Teams, channels, memberships and groups, with the server's side effects: joining a team joins its default
// channels, leaving a team leaves every channel of that team (app/team.go LeaveTeam).

import type {SimCore} from './core.js';
import {badRequest, channelNotFound, notFound, teamNotFound} from './errors.js';
import {newId} from './ids.js';
import {requireUser} from './ops_users.js';
import {syncMemberRoles} from './permissions.js';
import type {Channel, ChannelMember, ChannelType, Group, Team, TeamMember} from './types.js';

/** model.DefaultChannelName ("town-square") and off-topic: every new team member joins them. */
export const DEFAULT_CHANNELS = ['town-square', 'off-topic'] as const;

export interface NewTeam {
  name: string;
  display_name: string;
  type?: 'O' | 'I';
  description?: string;
}

export function createTeam(core: SimCore, input: NewTeam): Team {
  if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(input.name)) {
    throw badRequest('model.team.is_valid.url.app_error', 'Team URL must be at least 2 characters and use lowercase letters, numbers and dashes.');
  }
  if (core.state.teamByName(input.name) !== undefined) {
    throw badRequest('app.team.save.existing.app_error', 'A team with that name already exists.');
  }
  const now = Date.now();
  const team: Team = {
    id: newId(), create_at: now, update_at: now, delete_at: 0, name: input.name, display_name: input.display_name,
    description: input.description ?? '', email: `admin@${input.name}.example.com`, type: input.type ?? 'O',
    invite_id: newId(), allow_open_invite: (input.type ?? 'O') === 'O', company_name: '', allowed_domains: '',
  };
  core.state.teams.set(team.id, team);
  for (const name of DEFAULT_CHANNELS) {
    const display = name === 'town-square' ? 'Town Square' : 'Off-Topic';
    createChannel(core, {team_id: team.id, name, display_name: display, type: 'O', creator_id: ''});
  }
  return team;
}

export function requireTeam(core: SimCore, teamId: string): Team {
  const team = core.state.team(teamId);
  if (team === undefined) throw teamNotFound();
  return team;
}

/** Adds (or re-adds) a member; new members land in the team's default channels. */
export function addTeamMember(core: SimCore, teamId: string, userId: string, opts: {admin?: boolean} = {}): TeamMember {
  const team = requireTeam(core, teamId);
  requireUser(core, userId);
  const existing = core.state.teamMember(teamId, userId);
  const member: TeamMember = existing ?? {
    team_id: teamId, user_id: userId, roles: '', explicit_roles: '', scheme_guest: false, scheme_user: true,
    scheme_admin: false, delete_at: 0,
  };
  member.delete_at = 0;
  if (opts.admin !== undefined) member.scheme_admin = opts.admin;
  syncMemberRoles(member, 'team');
  core.state.setTeamMember(member);
  for (const name of DEFAULT_CHANNELS) {
    const channel = core.state.channelByName(team.id, name);
    if (channel !== undefined && channel.delete_at === 0) addChannelMember(core, channel.id, userId);
  }
  return member;
}

/**
 * app.LeaveTeam: the membership row stays (delete_at set) and the user leaves every channel of the team.
 * The row is looked up without filtering on delete_at, so removing an already removed member succeeds again.
 */
export function removeTeamMember(core: SimCore, teamId: string, userId: string): void {
  const member = core.state.teamMember(teamId, userId);
  if (member === undefined) {
    throw badRequest('api.team.remove_user_from_team.missing.app_error', 'The user does not appear to be part of this team.');
  }
  for (const channel of core.state.channelsOfTeam(teamId)) core.state.deleteChannelMember(channel.id, userId);
  member.delete_at = Date.now();
}

export interface NewChannel {
  team_id: string;
  name: string;
  display_name: string;
  type: ChannelType;
  /** Empty for channels the system creates; otherwise the creator becomes a channel admin. */
  creator_id: string;
  purpose?: string;
  header?: string;
}

export function createChannel(core: SimCore, input: NewChannel): Channel {
  if (!/^[a-z0-9][a-z0-9_-]{1,63}$/.test(input.name) && input.type !== 'D' && input.type !== 'G') {
    throw badRequest('model.channel.is_valid.2_or_more.app_error', 'Name must be 2 or more lowercase alphanumeric characters.');
  }
  if (input.team_id !== '' && core.state.channelByName(input.team_id, input.name) !== undefined) {
    throw badRequest('store.sql_channel.save_channel.exists.app_error', 'A channel with that name already exists on the same team.');
  }
  const now = Date.now();
  const channel: Channel = {
    id: newId(), create_at: now, update_at: now, delete_at: 0, team_id: input.team_id, type: input.type, name: input.name,
    display_name: input.display_name, header: input.header ?? '', purpose: input.purpose ?? '', creator_id: input.creator_id,
    last_post_at: now, total_msg_count: 0,
  };
  core.state.channels.set(channel.id, channel);
  if (input.creator_id !== '' && input.type !== 'D' && input.type !== 'G') {
    addChannelMember(core, channel.id, input.creator_id, {admin: true});
  }
  return channel;
}

export function requireChannel(core: SimCore, channelId: string): Channel {
  const channel = core.state.channel(channelId);
  if (channel === undefined) throw channelNotFound();
  return channel;
}

export function addChannelMember(core: SimCore, channelId: string, userId: string, opts: {admin?: boolean} = {}): ChannelMember {
  requireChannel(core, channelId);
  requireUser(core, userId);
  const existing = core.state.channelMember(channelId, userId);
  if (existing !== undefined) {
    if (opts.admin !== undefined) {
      existing.scheme_admin = opts.admin;
      syncMemberRoles(existing, 'channel');
    }
    return existing;
  }
  const now = Date.now();
  const member: ChannelMember = {
    channel_id: channelId, user_id: userId, roles: '', explicit_roles: '', scheme_guest: false, scheme_user: true,
    scheme_admin: opts.admin ?? false, last_viewed_at: now, msg_count: 0, mention_count: 0, last_update_at: now,
  };
  syncMemberRoles(member, 'channel');
  core.state.setChannelMember(member);
  return member;
}

export function removeChannelMember(core: SimCore, channelId: string, userId: string): void {
  if (!core.state.deleteChannelMember(channelId, userId)) {
    throw notFound('app.channel.get_member.missing.app_error', 'No channel member found for that user ID and channel ID.');
  }
}

/** A direct message channel; its name is the two user ids sorted and joined by "__". */
export function createDirectChannel(core: SimCore, userA: string, userB: string): Channel {
  const ids = [userA, userB].sort();
  const name = `${ids[0]}__${ids[1]}`;
  const existing = core.state.channelByName('', name);
  if (existing !== undefined) return existing;
  const channel = createChannel(core, {team_id: '', name, display_name: '', type: 'D', creator_id: userA});
  for (const id of new Set(ids)) addChannelMember(core, channel.id, id);
  return channel;
}

export function createGroupChannel(core: SimCore, userIds: readonly string[]): Channel {
  const channel = createChannel(core, {team_id: '', name: newId(), display_name: '', type: 'G', creator_id: userIds[0] ?? ''});
  for (const id of userIds) addChannelMember(core, channel.id, id);
  return channel;
}

export function createGroup(core: SimCore, input: {name: string; display_name: string; description?: string}): Group {
  const now = Date.now();
  const group: Group = {
    id: newId(), name: input.name, display_name: input.display_name, description: input.description ?? '', source: 'custom',
    remote_id: newId(), create_at: now, update_at: now, delete_at: 0, allow_reference: true,
  };
  core.state.groups.set(group.id, group);
  core.state.groupMembers.set(group.id, new Set());
  return group;
}

export function addGroupMember(core: SimCore, groupId: string, userId: string): void {
  const members = core.state.groupMembers.get(groupId);
  if (members === undefined) throw notFound('app.group.no_rows', 'No matching group found.');
  requireUser(core, userId);
  members.add(userId);
}

export function teamForClient(team: Team, canManage: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {...team, scheme_id: '', group_constrained: false, policy_id: null, cloud_limits_archived: false};
  // Team.Sanitize: the invite id and contact email are for team managers only.
  if (!canManage) {
    out['invite_id'] = '';
    out['email'] = '';
  }
  return out;
}

export function channelForClient(channel: Channel): Record<string, unknown> {
  return {...channel, extra_update_at: 0, scheme_id: null, props: null, group_constrained: null, shared: null, policy_id: null};
}

export function teamMemberForClient(m: TeamMember): Record<string, unknown> {
  return {team_id: m.team_id, user_id: m.user_id, roles: m.roles, explicit_roles: m.explicit_roles, delete_at: m.delete_at,
    scheme_guest: m.scheme_guest, scheme_user: m.scheme_user, scheme_admin: m.scheme_admin};
}

export function channelMemberForClient(m: ChannelMember): Record<string, unknown> {
  return {...m, notify_props: {desktop: 'default', email: 'default', mark_unread: 'all', push: 'default'}};
}

