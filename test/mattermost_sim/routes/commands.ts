// /commands: custom slash command CRUD and token regeneration (api4/command.go). Execution is in command_execute.ts.

import {ApiError, badRequest, forbidden, notFound} from '../errors.js';
import {newId} from '../ids.js';
import {createCommand, validateCommandFields} from '../ops_integrations.js';
import {requireTeam} from '../ops_workspace.js';
import {hasTeamPermission} from '../permissions.js';
import type {Command} from '../types.js';
import {body, bodyString, caller, json, param, queryBool, statusOk} from './context.js';
import type {RequestContext, RouteTable} from './context.js';

function requireCommandsEnabled(ctx: RequestContext): void {
  if (!ctx.core.config.enableCommands) throw new ApiError(501, 'api.command.disabled.app_error', 'Commands have been disabled by the system admin.');
}

const commandNotFound = (): ApiError => notFound('api.command.command_not_found.app_error', 'Command does not exist.');

/**
 * Someone without the right permission on the command's team gets "not found", so command ids do not leak;
 * other people's commands need manage_others_slash_commands.
 */
function manageableCommand(ctx: RequestContext): Command {
  requireCommandsEnabled(ctx);
  const cmd = ctx.core.state.command(param(ctx, 'command_id'));
  const {state} = ctx.core;
  const user = caller(ctx);
  if (cmd === undefined || !hasTeamPermission(state, user, cmd.team_id, 'manage_own_slash_commands')) throw commandNotFound();
  if (cmd.creator_id !== user.id && !hasTeamPermission(state, user, cmd.team_id, 'manage_others_slash_commands')) throw forbidden();
  return cmd;
}

const sanitized = (cmd: Command): Command => ({...cmd, token: ''});

export const commandRoutes: RouteTable = {
  CreateCommand: (ctx) => {
    requireCommandsEnabled(ctx);
    const teamId = bodyString(ctx, 'team_id');
    requireTeam(ctx.core, teamId);
    if (!hasTeamPermission(ctx.core.state, caller(ctx), teamId, 'manage_own_slash_commands')) throw forbidden();
    const b = body(ctx);
    const str = (key: string): string | undefined => (typeof b[key] === 'string' ? (b[key] as string) : undefined);
    const method = bodyString(ctx, 'method').toUpperCase();
    if (method !== 'P' && method !== 'G') throw badRequest('model.command.is_valid.method.app_error', 'Invalid Method.');
    const cmd = createCommand(ctx.core, {
      team_id: teamId, creator_id: caller(ctx).id, trigger: bodyString(ctx, 'trigger'), url: bodyString(ctx, 'url'), method,
      username: str('username'), icon_url: str('icon_url'), auto_complete: b['auto_complete'] === true,
      auto_complete_desc: str('auto_complete_desc'), auto_complete_hint: str('auto_complete_hint'),
      display_name: str('display_name'), description: str('description'),
    });
    return json(cmd, 201);
  },

  ListCommands: (ctx) => {
    requireCommandsEnabled(ctx);
    const teamId = ctx.query.get('team_id') ?? '';
    if (teamId === '') throw badRequest('api.context.invalid_param.app_error', 'Invalid team_id parameter.');
    const {state} = ctx.core;
    const canManage = hasTeamPermission(state, caller(ctx), teamId, 'manage_own_slash_commands');
    const commands = state.commandsOfTeam(teamId);
    if (queryBool(ctx, 'custom_only')) {
      if (!canManage) throw forbidden();
      return json(commands);
    }
    // Without manage permission only the autocomplete list is visible, and without tokens. The server's built-in
    // commands (/away, /invite, ...) are not simulated, so only the team's custom commands are listed.
    if (!hasTeamPermission(state, caller(ctx), teamId, 'view_team')) throw forbidden();
    return json(canManage ? commands : commands.filter((c) => c.auto_complete).map(sanitized));
  },

  GetCommandById: (ctx) => json(manageableCommand(ctx)),

  UpdateCommand: (ctx) => {
    const cmd = manageableCommand(ctx);
    const b = body(ctx);
    if (b['id'] !== undefined && b['id'] !== cmd.id) throw badRequest('api.context.invalid_param.app_error', 'Invalid id parameter.');
    if (b['team_id'] !== undefined && b['team_id'] !== cmd.team_id) {
      throw badRequest('api.command.team_mismatch.app_error', 'Unable to update commands across teams.');
    }
    const str = (key: string, fallback: string): string => (typeof b[key] === 'string' ? (b[key] as string) : fallback);
    // UpdateCommand replaces the editable fields; id, token, creator and team stay.
    const next = {
      trigger: str('trigger', '').toLowerCase(), url: str('url', ''), method: str('method', '').toUpperCase(),
    };
    validateCommandFields(next);
    Object.assign(cmd, {
      trigger: next.trigger, url: next.url, method: next.method as 'P' | 'G', username: str('username', ''),
      icon_url: str('icon_url', ''), auto_complete: b['auto_complete'] === true, auto_complete_desc: str('auto_complete_desc', ''),
      auto_complete_hint: str('auto_complete_hint', ''), display_name: str('display_name', ''), description: str('description', ''),
      update_at: Date.now(),
    });
    return json(cmd);
  },

  DeleteCommand: (ctx) => {
    const cmd = manageableCommand(ctx);
    cmd.delete_at = Date.now();
    return statusOk();
  },

  RegenCommandToken: (ctx) => {
    const cmd = manageableCommand(ctx);
    cmd.token = newId();
    cmd.update_at = Date.now();
    return json({token: cmd.token});
  },
};
