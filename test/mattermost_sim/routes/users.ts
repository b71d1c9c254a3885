// /users: profiles, lists, system roles, activation, groups and authorized OAuth apps (api4/user.go).

import {ApiError, forbidden, invalidBodyParam, userNotFound} from '../errors.js';
import {requireUser, setUserActive, userForClient} from '../ops_users.js';
import {hasChannelPermission, hasRole, hasTeamPermission, isSystemAdmin, validateSystemRoles} from '../permissions.js';
import type {User} from '../types.js';
import {body, bodyString, caller, callerIsAdmin, json, paginate, paging, param, queryBool, requireAdmin, requireSelfOrAdmin, statusOk} from './context.js';
import type {RequestContext, RouteTable} from './context.js';

const present = (ctx: RequestContext, user: User): Record<string, unknown> => userForClient(user, callerIsAdmin(ctx));

function listUsers(ctx: RequestContext): User[] {
  const {state} = ctx.core;
  const viewer = caller(ctx);
  const q = ctx.query;
  let users = [...state.users.values()];
  const inTeam = q.get('in_team');
  if (inTeam) {
    if (!hasTeamPermission(state, viewer, inTeam, 'view_team')) throw forbidden();
    users = users.filter((u) => state.isTeamMember(inTeam, u.id));
  }
  const notInTeam = q.get('not_in_team');
  if (notInTeam) users = users.filter((u) => !state.isTeamMember(notInTeam, u.id));
  const inChannel = q.get('in_channel');
  if (inChannel) {
    const channel = state.channel(inChannel);
    if (channel === undefined || !hasChannelPermission(state, viewer, channel, 'read_channel')) throw forbidden();
    users = users.filter((u) => state.channelMember(inChannel, u.id) !== undefined);
  }
  const notInChannel = q.get('not_in_channel');
  if (notInChannel) users = users.filter((u) => state.channelMember(notInChannel, u.id) === undefined);
  const inGroup = q.get('in_group');
  if (inGroup) users = users.filter((u) => state.groupMembers.get(inGroup)?.has(u.id) ?? false);
  if (queryBool(ctx, 'without_team')) users = users.filter((u) => state.teamMembershipsOfUser(u.id).length === 0);
  if (queryBool(ctx, 'active')) users = users.filter((u) => u.delete_at === 0);
  if (queryBool(ctx, 'inactive')) users = users.filter((u) => u.delete_at !== 0);
  const role = q.get('role');
  if (role) users = users.filter((u) => hasRole(u.roles, role));
  return users.sort((a, b) => a.username.localeCompare(b.username));
}

export const userRoutes: RouteTable = {
  GetUser: (ctx) => json(present(ctx, requireUser(ctx.core, param(ctx, 'user_id')))),

  GetUserByUsername: (ctx) => {
    const user = ctx.core.state.userByUsername(param(ctx, 'username'));
    if (user === undefined) throw userNotFound();
    return json(present(ctx, user));
  },

  GetUserByEmail: (ctx) => {
    const user = ctx.core.state.userByEmail(param(ctx, 'email'));
    if (user === undefined) throw userNotFound();
    return json(present(ctx, user));
  },

  GetUsersByIds: (ctx) => {
    if (!Array.isArray(ctx.body) || ctx.body.length === 0) throw invalidBodyParam('user_ids');
    const users = (ctx.body as unknown[])
      .map((id) => (typeof id === 'string' ? ctx.core.state.user(id) : undefined))
      .filter((u): u is User => u !== undefined);
    return json(users.map((u) => present(ctx, u)));
  },

  GetUsers: (ctx) => json(paginate(listUsers(ctx), paging(ctx)).map((u) => present(ctx, u))),

  UpdateUserRoles: (ctx) => {
    requireAdmin(ctx);
    const user = requireUser(ctx.core, param(ctx, 'user_id'));
    const roles = bodyString(ctx, 'roles').trim();
    validateSystemRoles(roles);
    user.roles = roles;
    user.update_at = Date.now();
    for (const s of ctx.core.state.sessionsOf(user.id)) s.roles = roles;
    return statusOk();
  },

  UpdateUserActive: (ctx) => {
    const userId = param(ctx, 'user_id');
    const actor = requireSelfOrAdmin(ctx, userId);
    const active = body(ctx)['active'];
    if (typeof active !== 'boolean') throw invalidBodyParam('active');
    requireUser(ctx.core, userId);
    if (!isSystemAdmin(actor)) {
      if (active) throw forbidden();
      if (!ctx.core.config.enableUserDeactivation) {
        throw new ApiError(401, 'api.user.update_active.not_enable.app_error', 'You cannot deactivate yourself because this feature is not enabled. Please contact your System Administrator.');
      }
    }
    setUserActive(ctx.core, userId, active);
    return statusOk();
  },

  GetGroupsByUserId: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireSelfOrAdmin(ctx, userId);
    requireUser(ctx.core, userId);
    const {state} = ctx.core;
    return json(state.groupsOfUser(userId).map((g) => ({...g, has_syncables: false, member_count: state.groupMembers.get(g.id)?.size ?? 0})));
  },

  GetAuthorizedOAuthAppsForUser: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireSelfOrAdmin(ctx, userId);
    const {state} = ctx.core;
    const ids = [...(state.oauthAuthorizations.get(userId) ?? [])];
    const apps = ids.map((id) => state.oauthApp(id)).filter((a) => a !== undefined);
    // OAuthApp.Sanitize: the client secret is never shown here.
    return json(paginate(apps, paging(ctx)).map((a) => ({...a, client_secret: ''})));
  },
};
