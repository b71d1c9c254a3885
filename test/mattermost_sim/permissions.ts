// Role and permission rules of a Mattermost server with its default permission scheme
// (EnableOnlyAdminIntegrations on, "all members may manage channel members" on).
// https://docs.mattermost.com/onboard/advanced-permissions.html

import {badRequest} from './errors.js';
import type {SimState} from './state.js';
import type {Channel, Membership, User} from './types.js';

const CHANNEL_USER = new Set([
  'read_channel', 'read_channel_content', 'create_post', 'edit_post', 'delete_post', 'upload_file', 'add_reaction',
  'use_slash_commands', 'manage_public_channel_members', 'manage_private_channel_members',
]);
const CHANNEL_ADMIN = new Set([...CHANNEL_USER, 'manage_channel_roles']);
const TEAM_USER = new Set([
  'view_team', 'list_team_channels', 'join_public_channels', 'read_public_channel', 'create_public_channel',
  'create_private_channel', 'add_user_to_team', 'invite_user', 'use_slash_commands',
]);
const TEAM_ADMIN = new Set([
  ...TEAM_USER, 'manage_team', 'remove_user_from_team', 'manage_team_roles', 'manage_channel_roles',
  'manage_public_channel_members', 'manage_private_channel_members', 'manage_own_slash_commands',
  'manage_others_slash_commands', 'manage_own_incoming_webhooks', 'manage_others_incoming_webhooks',
  'manage_own_outgoing_webhooks', 'manage_others_outgoing_webhooks', 'delete_post', 'delete_others_posts',
]);

/** System roles the server knows (model.SystemUserRoleId and friends). */
const SYSTEM_ROLES = new Set([
  'system_user', 'system_admin', 'system_guest', 'system_user_access_token', 'system_post_all', 'system_post_all_public',
  'system_user_manager', 'system_read_only_admin', 'system_manager', 'system_custom_group_admin',
]);

export const hasRole = (roles: string, role: string): boolean => roles.split(/\s+/).includes(role);

export const isSystemAdmin = (user: User): boolean => hasRole(user.roles, 'system_admin');

/** Personal access tokens need the system_user_access_token role unless the caller is an admin (bots are exempt). */
export const canUseAccessTokens = (user: User): boolean =>
  isSystemAdmin(user) || user.is_bot || hasRole(user.roles, 'system_user_access_token');

export function hasTeamPermission(state: SimState, user: User, teamId: string, perm: string): boolean {
  if (isSystemAdmin(user)) return true;
  const member = state.teamMember(teamId, user.id);
  if (member === undefined || member.delete_at !== 0) return false;
  if (member.scheme_admin && TEAM_ADMIN.has(perm)) return true;
  return member.scheme_user && TEAM_USER.has(perm);
}

export function hasChannelPermission(state: SimState, user: User, channel: Channel, perm: string): boolean {
  if (isSystemAdmin(user)) return true;
  const member = state.channelMember(channel.id, user.id);
  if (member !== undefined) {
    if (member.scheme_admin && CHANNEL_ADMIN.has(perm)) return true;
    if (member.scheme_user && CHANNEL_USER.has(perm)) return true;
  }
  if (channel.team_id === '') return false;
  // Public channels are readable by every team member (read_public_channel).
  if (channel.type === 'O' && (perm === 'read_channel' || perm === 'read_channel_content')) {
    return hasTeamPermission(state, user, channel.team_id, 'read_public_channel');
  }
  return hasTeamPermission(state, user, channel.team_id, perm);
}

export function validateSystemRoles(roles: string): void {
  for (const role of roles.split(/\s+/).filter((r) => r !== '')) {
    if (!SYSTEM_ROLES.has(role)) {
      throw badRequest('app.role.check_roles_exist.role_not_found', 'The provided role does not exist');
    }
  }
}

type Scope = 'team' | 'channel';

/** Recomputes `roles` the way the server presents a membership: explicit roles plus the scheme-derived ones. */
export function syncMemberRoles(member: Membership, scope: Scope): void {
  const parts = member.explicit_roles.split(/\s+/).filter((r) => r !== '');
  if (member.scheme_guest) parts.push(`${scope}_guest`);
  if (member.scheme_user) parts.push(`${scope}_user`);
  if (member.scheme_admin) parts.push(`${scope}_admin`);
  member.roles = parts.join(' ');
}

/**
 * Applies a roles string such as "team_user team_admin" like UpdateTeamMemberRoles / UpdateChannelMemberRoles:
 * scheme roles become flags, anything else must be a custom role (none exist here) and is rejected.
 */
export function applyMemberRoles(member: Membership, scope: Scope, roles: string): void {
  const next = {guest: false, user: false, admin: false};
  for (const role of roles.split(/\s+/).filter((r) => r !== '')) {
    if (role === `${scope}_guest`) next.guest = true;
    else if (role === `${scope}_user`) next.user = true;
    else if (role === `${scope}_admin`) next.admin = true;
    else throw badRequest('api.roles.patch_roles.not_allowed_permission.error', `Role ${role} is not a valid ${scope} role.`);
  }
  if (next.guest && (next.user || next.admin)) {
    throw badRequest('api.channel.update_channel_member_roles.guest_and_user.app_error', 'Invalid role combination.');
  }
  if (next.admin && !next.user) {
    throw badRequest('api.channel.update_channel_member_roles.scheme_role.app_error', `The ${scope} admin role requires the ${scope} user role.`);
  }
  member.explicit_roles = '';
  member.scheme_guest = next.guest;
  member.scheme_user = next.user;
  member.scheme_admin = next.admin;
  syncMemberRoles(member, scope);
}

export function applySchemeRoles(member: Membership, scope: Scope, flags: {scheme_admin: boolean; scheme_user: boolean}): void {
  member.scheme_admin = flags.scheme_admin;
  member.scheme_user = flags.scheme_user;
  syncMemberRoles(member, scope);
}
