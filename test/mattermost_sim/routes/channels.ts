// /channels and a user's channels: creation, lookups, memberships and channel roles (api4/channel.go).

import {badRequest, forbidden, invalidBodyParam, notFound} from '../errors.js';
import {requireUser} from '../ops_users.js';
import {
  addChannelMember, channelForClient, channelMemberForClient, createChannel, removeChannelMember, requireChannel, requireTeam,
} from '../ops_workspace.js';
import {applyMemberRoles, applySchemeRoles, hasChannelPermission, hasTeamPermission} from '../permissions.js';
import type {Channel, ChannelMember} from '../types.js';
import {body, bodyString, caller, json, paginate, paging, param, queryBool, requireSelfOrAdmin, statusOk} from './context.js';
import type {RequestContext, RouteTable} from './context.js';

function requireChannelPermission(ctx: RequestContext, channel: Channel, perm: string): void {
  if (!hasChannelPermission(ctx.core.state, caller(ctx), channel, perm)) throw forbidden();
}

const membersPermission = (channel: Channel): string =>
  channel.type === 'P' ? 'manage_private_channel_members' : 'manage_public_channel_members';

function requireMember(ctx: RequestContext, channelId: string, userId: string): ChannelMember {
  const member = ctx.core.state.channelMember(channelId, userId);
  if (member === undefined) throw notFound('app.channel.get_member.missing.app_error', 'No channel member found for that user ID and channel ID.');
  return member;
}

/** Channels the user belongs to: team channels of the given team(s) plus DMs and GMs. */
function channelsOfUser(ctx: RequestContext, userId: string, teamId: string | undefined): Channel[] {
  const {state} = ctx.core;
  const includeDeleted = queryBool(ctx, 'include_deleted');
  return state.channelMembershipsOfUser(userId)
    .map((m) => state.channel(m.channel_id))
    .filter((c): c is Channel => c !== undefined)
    .filter((c) => teamId === undefined || c.team_id === teamId || c.team_id === '')
    .filter((c) => includeDeleted || c.delete_at === 0)
    .sort((a, b) => a.id.localeCompare(b.id));
}

export const channelRoutes: RouteTable = {
  CreateChannel: (ctx) => {
    const teamId = bodyString(ctx, 'team_id');
    const type = bodyString(ctx, 'type');
    if (type !== 'O' && type !== 'P') throw badRequest('model.channel.is_valid.type.app_error', 'Invalid type.');
    requireTeam(ctx.core, teamId);
    const perm = type === 'P' ? 'create_private_channel' : 'create_public_channel';
    if (!hasTeamPermission(ctx.core.state, caller(ctx), teamId, perm)) throw forbidden();
    const channel = createChannel(ctx.core, {
      team_id: teamId, name: bodyString(ctx, 'name'), display_name: bodyString(ctx, 'display_name'), type,
      creator_id: caller(ctx).id, purpose: bodyString(ctx, 'purpose', false), header: bodyString(ctx, 'header', false),
    });
    return json(channelForClient(channel), 201);
  },

  GetChannel: (ctx) => {
    const channel = requireChannel(ctx.core, param(ctx, 'channel_id'));
    requireChannelPermission(ctx, channel, 'read_channel');
    return json(channelForClient(channel));
  },

  GetChannelByName: (ctx) => {
    const teamId = param(ctx, 'team_id');
    if (!hasTeamPermission(ctx.core.state, caller(ctx), teamId, 'view_team')) throw forbidden();
    const channel = ctx.core.state.channelByName(teamId, param(ctx, 'channel_name'));
    if (channel === undefined || (channel.delete_at !== 0 && !queryBool(ctx, 'include_deleted'))) {
      throw notFound('app.channel.get_by_name.missing.app_error', 'Channel does not exist.');
    }
    requireChannelPermission(ctx, channel, 'read_channel');
    return json(channelForClient(channel));
  },

  GetChannelMembers: (ctx) => {
    const channel = requireChannel(ctx.core, param(ctx, 'channel_id'));
    requireChannelPermission(ctx, channel, 'read_channel');
    const members = ctx.core.state.channelMembersOf(channel.id).sort((a, b) => a.user_id.localeCompare(b.user_id));
    return json(paginate(members, paging(ctx)).map(channelMemberForClient));
  },

  AddChannelMember: (ctx) => {
    const channel = requireChannel(ctx.core, param(ctx, 'channel_id'));
    const userId = bodyString(ctx, 'user_id');
    if (channel.type === 'D' || channel.type === 'G') {
      throw badRequest('api.channel.add_user_to_channel.type.app_error', 'Can not add user to this channel type.');
    }
    const selfJoinPublic = caller(ctx).id === userId && channel.type === 'O';
    const allowed = selfJoinPublic
      ? hasTeamPermission(ctx.core.state, caller(ctx), channel.team_id, 'join_public_channels')
      : hasChannelPermission(ctx.core.state, caller(ctx), channel, membersPermission(channel));
    if (!allowed) throw forbidden();
    const user = requireUser(ctx.core, userId);
    if (user.delete_at !== 0 || !ctx.core.state.isTeamMember(channel.team_id, userId)) {
      throw badRequest('api.channel.add_user.to.channel.failed.deleted.app_error', 'Failed to add user to channel because they have been removed from the team.');
    }
    return json(channelMemberForClient(addChannelMember(ctx.core, channel.id, userId)), 201);
  },

  GetChannelMember: (ctx) => {
    const channel = requireChannel(ctx.core, param(ctx, 'channel_id'));
    requireChannelPermission(ctx, channel, 'read_channel');
    return json(channelMemberForClient(requireMember(ctx, channel.id, param(ctx, 'user_id'))));
  },

  RemoveUserFromChannel: (ctx) => {
    const channel = requireChannel(ctx.core, param(ctx, 'channel_id'));
    const userId = param(ctx, 'user_id');
    if (channel.type === 'D' || channel.type === 'G') {
      throw badRequest('api.channel.remove_user_from_channel.app_error', 'Can not remove user from this channel type.');
    }
    if (channel.name === 'town-square') {
      // The default channel can only be left by leaving the team.
      throw badRequest('api.channel.remove.default.app_error', `Unable to remove user from the default channel ${channel.name}.`);
    }
    if (caller(ctx).id !== userId) requireChannelPermission(ctx, channel, membersPermission(channel));
    requireUser(ctx.core, userId);
    requireMember(ctx, channel.id, userId);
    removeChannelMember(ctx.core, channel.id, userId);
    return statusOk();
  },

  UpdateChannelRoles: (ctx) => {
    const channel = requireChannel(ctx.core, param(ctx, 'channel_id'));
    requireChannelPermission(ctx, channel, 'manage_channel_roles');
    const member = requireMember(ctx, channel.id, param(ctx, 'user_id'));
    applyMemberRoles(member, 'channel', bodyString(ctx, 'roles'));
    return statusOk();
  },

  UpdateChannelMemberSchemeRoles: (ctx) => {
    const channel = requireChannel(ctx.core, param(ctx, 'channel_id'));
    requireChannelPermission(ctx, channel, 'manage_channel_roles');
    const member = requireMember(ctx, channel.id, param(ctx, 'user_id'));
    const b = body(ctx);
    if (typeof b['scheme_admin'] !== 'boolean') throw invalidBodyParam('scheme_admin');
    applySchemeRoles(member, 'channel', {scheme_admin: b['scheme_admin'], scheme_user: b['scheme_user'] === true});
    return statusOk();
  },

  GetChannelsForUser: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireSelfOrAdmin(ctx, userId);
    const channels = channelsOfUser(ctx, userId, undefined);
    // Paging is optional here: without page/per_page the server returns every channel.
    const paged = ctx.query.has('page') || ctx.query.has('per_page') ? paginate(channels, paging(ctx)) : channels;
    return json(paged.map(channelForClient));
  },

  GetChannelsForTeamForUser: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireSelfOrAdmin(ctx, userId);
    const teamId = param(ctx, 'team_id');
    requireTeam(ctx.core, teamId);
    return json(channelsOfUser(ctx, userId, teamId).map(channelForClient));
  },

  GetChannelMembersForUser: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireSelfOrAdmin(ctx, userId);
    const teamId = param(ctx, 'team_id');
    requireTeam(ctx.core, teamId);
    const ids = new Set(channelsOfUser(ctx, userId, teamId).map((c) => c.id));
    return json(ctx.core.state.channelMembershipsOfUser(userId).filter((m) => ids.has(m.channel_id)).map(channelMemberForClient));
  },
};
