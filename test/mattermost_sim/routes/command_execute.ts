// POST /commands/execute: runs a custom slash command the way the server does (api4/command.go executeCommand,
// app/command.go tryExecuteCustomCommand + DoCommandRequest), and the response_url hook for delayed replies.

import {commandResponseFromBody, handleCommandResponse} from '../command_response.js';
import type {CommandArgs} from '../command_response.js';
import type {SimCore} from '../core.js';
import {ApiError, badRequest, forbidden, notFound, teamNotFound} from '../errors.js';
import {isValidId, newId} from '../ids.js';
import {OutgoingError, sendOutgoing} from '../outgoing.js';
import {hasChannelPermission, hasTeamPermission} from '../permissions.js';
import {mintTriggerId} from '../trigger_id.js';
import type {Command, CommandWebhook, Team} from '../types.js';
import {bodyString, caller, json} from './context.js';
import type {Reply, RouteTable} from './context.js';

const COMMAND_WEBHOOK_LIFETIME_MS = 30 * 60 * 1000;
const COMMAND_WEBHOOK_MAX_USES = 5;

/** url.Values.Encode from Go: keys sorted, QueryEscape encoding (space as "+", unreserved -_.~ kept). */
export function encodeGoForm(values: ReadonlyMap<string, readonly string[]>): string {
  const escape = (s: string): string =>
    [...Buffer.from(s, 'utf8')].map((b) => {
      const ch = String.fromCharCode(b);
      if (/[A-Za-z0-9\-_.~]/.test(ch)) return ch;
      return b === 0x20 ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    }).join('');
  return [...values.keys()].sort().flatMap((k) => (values.get(k) ?? []).map((v) => `${escape(k)}=${escape(v)}`)).join('&');
}

/** @mentions of team members and ~mentions of public channels, sent as user_mentions[_ids] / channel_mentions[_ids]. */
function mentionFields(core: SimCore, message: string, team: Team, form: Map<string, string[]>): void {
  const users = new Map<string, string>();
  for (const m of message.matchAll(/(?<![\p{L}\p{N}_])@([\p{L}\p{N}][\p{L}\p{N}.\-_:]*)/gu)) {
    let name = (m[1] ?? '').toLowerCase();
    let user = core.state.userByUsername(name);
    while (user === undefined && /[.\-_]$/.test(name)) {
      name = name.slice(0, -1);
      user = core.state.userByUsername(name);
    }
    if (user !== undefined && core.state.isTeamMember(team.id, user.id)) users.set(name, user.id);
  }
  if (users.size > 0) {
    form.set('user_mentions', [...users.keys()]);
    form.set('user_mentions_ids', [...users.values()]);
  }
  const channels = new Map<string, string>();
  for (const m of message.matchAll(/(?<![\p{L}\p{N}_])~([a-z0-9\-_]+)/gu)) {
    const channel = core.state.channelByName(team.id, m[1] ?? '');
    if (channel !== undefined && channel.type === 'O' && channel.delete_at === 0) channels.set(channel.name, channel.id);
  }
  if (channels.size > 0) {
    form.set('channel_mentions', [...channels.keys()]);
    form.set('channel_mentions_ids', [...channels.values()]);
  }
}

async function doCommandRequest(core: SimCore, cmd: Command, form: Map<string, string[]>): Promise<ReturnType<typeof commandResponseFromBody>> {
  const failed = (detail = ''): ApiError =>
    new ApiError(500, 'api.command.execute_command.failed.app_error', `Command with a trigger of '${cmd.trigger}' failed.`, detail);
  const encoded = encodeGoForm(form);
  const headers: Record<string, string> = {Accept: 'application/json'};
  if (cmd.token !== '') headers['Authorization'] = `Token ${cmd.token}`;
  let url = cmd.url;
  if (cmd.method === 'P') headers['Content-Type'] = 'application/x-www-form-urlencoded';
  else url += (url.includes('?') ? '&' : '?') + encoded;
  let res;
  try {
    res = await sendOutgoing({url, method: cmd.method === 'P' ? 'POST' : 'GET', headers, body: cmd.method === 'P' ? encoded : undefined, timeoutMs: core.config.commandTimeoutMs});
  } catch (e) {
    throw failed(e instanceof OutgoingError && e.timedOut ? 'context deadline exceeded' : '');
  }
  if (res.status !== 200) {
    throw new ApiError(500, 'api.command.execute_command.failed_resp.app_error',
      `Command with a trigger of '${cmd.trigger}' returned response ${res.statusLine}.`, res.body.toString('utf8'));
  }
  try {
    return commandResponseFromBody(res.contentType, res.body);
  } catch (e) {
    throw failed(e instanceof Error ? e.message : '');
  }
}

export const commandExecuteRoutes: RouteTable = {
  ExecuteCommand: async (ctx) => {
    const {core} = ctx;
    const command = bodyString(ctx, 'command', false);
    const channelId = bodyString(ctx, 'channel_id', false);
    if (command.length <= 1 || !command.startsWith('/') || !isValidId(channelId)) {
      throw badRequest('api.command.execute_command.start.app_error', 'No command trigger found.');
    }
    const user = caller(ctx);
    const channel = core.state.channel(channelId);
    if (channel === undefined || !hasChannelPermission(core.state, user, channel, 'create_post')) throw forbidden();
    if (channel.delete_at !== 0) throw badRequest('api.command.execute_command.deleted.error', 'Can not execute a command in an archived channel.');
    let teamId = channel.team_id;
    if (channel.type === 'D' || channel.type === 'G') {
      // Slash commands from a DM run against the team the client names, which the user must belong to.
      teamId = bodyString(ctx, 'team_id', false);
      if (!hasTeamPermission(core.state, user, teamId, 'view_team')) throw forbidden();
    }
    const space = command.search(/\s/);
    const trigger = (space === -1 ? command : command.slice(0, space)).toLowerCase().slice(1);
    const message = space === -1 ? '' : command.slice(space + 1);
    const minted = mintTriggerId(core.signing, user.id);
    if (!core.config.enableCommands) throw new ApiError(501, 'api.command.disabled.app_error', 'Commands have been disabled by the system admin.');
    const team = core.state.team(teamId);
    if (team === undefined) throw teamNotFound();
    const cmd = core.state.commandsOfTeam(teamId).filter((c) => c.trigger === trigger).pop();
    if (cmd === undefined) {
      throw notFound('api.command.execute_command.not_found.app_error',
        `Command with a trigger of '${trigger}' not found. To send a message beginning with "/", try adding an empty space at the beginning of the message.`);
    }
    const rootId = bodyString(ctx, 'root_id', false);
    const hook: CommandWebhook = {id: newId(), create_at: Date.now(), command_id: cmd.id, user_id: user.id, channel_id: channel.id, team_id: teamId, root_id: rootId, use_count: 0};
    core.state.commandWebhooks.set(hook.id, hook);
    const form = new Map<string, string[]>([
      ['token', [cmd.token]], ['team_id', [cmd.team_id]], ['team_domain', [team.name]], ['channel_id', [channel.id]],
      ['channel_name', [channel.name]], ['user_id', [user.id]], ['user_name', [user.username]], ['command', [`/${trigger}`]],
      ['text', [message]], ['trigger_id', [minted.triggerId]], ['response_url', [`${core.config.siteUrl}/hooks/commands/${hook.id}`]],
    ]);
    mentionFields(core, message, team, form);
    const response = await doCommandRequest(core, cmd, form);
    const args: CommandArgs = {user_id: user.id, channel_id: channel.id, team_id: teamId, root_id: rootId, command};
    handleCommandResponse(core, args, response);
    // The client only ever learns the unsigned part of the trigger id.
    return json({...response, trigger_id: minted.clientTriggerId});
  },
};

/** POST /hooks/commands/{id}: a delayed reply through response_url (valid 30 minutes, at most 5 uses). */
export function handleCommandWebhook(core: SimCore, hookId: string, contentType: string, body: Buffer): Reply {
  const hook = core.state.commandWebhooks.get(hookId);
  if (hook === undefined || Date.now() - hook.create_at > COMMAND_WEBHOOK_LIFETIME_MS) {
    throw notFound('web.command_webhook.invalid.app_error', 'Invalid webhook.');
  }
  const cmd = core.state.command(hook.command_id);
  if (cmd === undefined) throw badRequest('web.command_webhook.command.app_error', 'Could not find the command.');
  let response;
  try {
    response = commandResponseFromBody(contentType, body);
  } catch {
    throw badRequest('web.command_webhook.parse.app_error', 'Unable to parse incoming data.');
  }
  if (hook.use_count >= COMMAND_WEBHOOK_MAX_USES) throw badRequest('app.command_webhook.try_use.app_error', 'Unable to use the webhook.');
  hook.use_count += 1;
  handleCommandResponse(core, {user_id: hook.user_id, channel_id: hook.channel_id, team_id: hook.team_id, root_id: hook.root_id, command: `/${cmd.trigger}`}, response);
  return {status: 200, raw: 'ok', contentType: 'text/plain'};
}

