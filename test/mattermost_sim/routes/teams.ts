// /teams and a user's teams: lookups, memberships, team roles and invite ids (api4/team.go).

import {forbidden, invalidBodyParam, notFound, teamNotFound} from '../errors.js';
import {newId} from '../ids.js';
import {requireUser} from '../ops_users.js';
import {addTeamMember, removeTeamMember, requireTeam, teamForClient, teamMemberForClient} from '../ops_workspace.js';
import {applyMemberRoles, applySchemeRoles, hasTeamPermission, isSystemAdmin} from '../permissions.js';
import type {Team, TeamMember} from '../types.js';
import {body, bodyString, caller, json, paginate, paging, param, queryBool, requireSelfOrAdmin, statusOk} from './context.js';
import type {RequestContext, RouteTable} from './context.js';

function present(ctx: RequestContext, team: Team): Record<string, unknown> {
  return teamForClient(team, hasTeamPermission(ctx.core.state, caller(ctx), team.id, 'manage_team'));
}

function requireTeamPermission(ctx: RequestContext, teamId: string, perm: string): void {
  if (!hasTeamPermission(ctx.core.state, caller(ctx), teamId, perm)) throw forbidden();
}

/** A member may see their team; anyone may see an open team (list_public_teams). */
function requireVisibleTeam(ctx: RequestContext, team: Team | undefined): Team {
  if (team === undefined || team.delete_at !== 0) throw teamNotFound();
  if (!team.allow_open_invite) requireTeamPermission(ctx, team.id, 'view_team');
  return team;
}

function requireActiveMember(ctx: RequestContext, teamId: string, userId: string): TeamMember {
  const member = ctx.core.state.teamMember(teamId, userId);
  if (member === undefined || member.delete_at !== 0) {
    throw notFound('app.team.get_member.missing.app_error', 'No team member found for that user ID and team ID.');
  }
  return member;
}

export const teamRoutes: RouteTable = {
  GetAllTeams: (ctx) => {
    const viewer = caller(ctx);
    const {state} = ctx.core;
    const visible = [...state.teams.values()]
      .filter((t) => t.delete_at === 0 && (isSystemAdmin(viewer) || t.allow_open_invite || state.isTeamMember(t.id, viewer.id)))
      .sort((a, b) => a.display_name.localeCompare(b.display_name));
    const page = paginate(visible, paging(ctx)).map((t) => present(ctx, t));
    return json(queryBool(ctx, 'include_total_count') ? {teams: page, total_count: visible.length} : page);
  },

  GetTeam: (ctx) => json(present(ctx, requireVisibleTeam(ctx, ctx.core.state.team(param(ctx, 'team_id'))))),

  GetTeamByName: (ctx) => json(present(ctx, requireVisibleTeam(ctx, ctx.core.state.teamByName(param(ctx, 'name'))))),

  AddTeamMember: (ctx) => {
    const teamId = param(ctx, 'team_id');
    if (bodyString(ctx, 'team_id') !== teamId) throw invalidBodyParam('team_id');
    const userId = bodyString(ctx, 'user_id');
    const team = requireTeam(ctx.core, teamId);
    const actor = caller(ctx);
    const selfJoinOpen = actor.id === userId && team.allow_open_invite;
    if (!selfJoinOpen) requireTeamPermission(ctx, teamId, 'add_user_to_team');
    const user = requireUser(ctx.core, userId);
    if (user.delete_at !== 0) {
      throw invalidBodyParam('user_id');
    }
    return json(teamMemberForClient(addTeamMember(ctx.core, teamId, userId)), 201);
  },

  GetTeamMembers: (ctx) => {
    const teamId = param(ctx, 'team_id');
    requireTeam(ctx.core, teamId);
    requireTeamPermission(ctx, teamId, 'view_team');
    const members = ctx.core.state.teamMembersOf(teamId).sort((a, b) => a.user_id.localeCompare(b.user_id));
    return json(paginate(members, paging(ctx)).map(teamMemberForClient));
  },

  GetTeamMember: (ctx) => {
    const teamId = param(ctx, 'team_id');
    requireTeamPermission(ctx, teamId, 'view_team');
    // The store reads the row without filtering delete_at: a removed member comes back with delete_at set.
    const member = ctx.core.state.teamMember(teamId, param(ctx, 'user_id'));
    if (member === undefined) throw notFound('app.team.get_member.missing.app_error', 'No team member found for that user ID and team ID.');
    return json(teamMemberForClient(member));
  },

  RemoveTeamMember: (ctx) => {
    const teamId = param(ctx, 'team_id');
    const userId = param(ctx, 'user_id');
    requireTeam(ctx.core, teamId);
    if (caller(ctx).id !== userId) requireTeamPermission(ctx, teamId, 'remove_user_from_team');
    requireUser(ctx.core, userId);
    removeTeamMember(ctx.core, teamId, userId);
    return statusOk();
  },

  UpdateTeamMemberRoles: (ctx) => {
    const teamId = param(ctx, 'team_id');
    requireTeamPermission(ctx, teamId, 'manage_team_roles');
    const member = requireActiveMember(ctx, teamId, param(ctx, 'user_id'));
    applyMemberRoles(member, 'team', bodyString(ctx, 'roles'));
    return statusOk();
  },

  UpdateTeamMemberSchemeRoles: (ctx) => {
    const teamId = param(ctx, 'team_id');
    requireTeamPermission(ctx, teamId, 'manage_team_roles');
    const member = requireActiveMember(ctx, teamId, param(ctx, 'user_id'));
    const b = body(ctx);
    applySchemeRoles(member, 'team', {scheme_admin: b['scheme_admin'] === true, scheme_user: b['scheme_user'] === true});
    return statusOk();
  },

  RegenerateTeamInviteId: (ctx) => {
    const team = requireTeam(ctx.core, param(ctx, 'team_id'));
    requireTeamPermission(ctx, team.id, 'manage_team');
    team.invite_id = newId();
    team.update_at = Date.now();
    return json(teamForClient(team, true));
  },

  GetTeamsForUser: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireSelfOrAdmin(ctx, userId);
    const {state} = ctx.core;
    const teams = state.teamMembershipsOfUser(userId).map((m) => state.team(m.team_id)).filter((t): t is Team => t !== undefined && t.delete_at === 0);
    return json(teams.map((t) => present(ctx, t)));
  },

  GetTeamMembersForUser: (ctx) => {
    const userId = param(ctx, 'user_id');
    requireSelfOrAdmin(ctx, userId);
    return json(ctx.core.state.teamMembershipsOfUser(userId).map(teamMemberForClient));
  },
};
