// /hooks/incoming and /hooks/outgoing (api4/webhook.go). Someone else's hooks need the manage_others_* permission;
// without it a list shows only the caller's own hooks.

import {forbidden, invalidBodyParam, notFound} from '../errors.js';
import {newId} from '../ids.js';
import {createIncomingWebhook, createOutgoingWebhook} from '../ops_integrations.js';
import {requireChannel, requireTeam} from '../ops_workspace.js';
import {hasChannelPermission, hasTeamPermission, isSystemAdmin} from '../permissions.js';
import type {IncomingWebhook, OutgoingWebhook} from '../types.js';
import {body, bodyString, caller, json, paginate, paging, param, statusOk} from './context.js';
import type {RequestContext, RouteTable} from './context.js';

type Kind = 'incoming' | 'outgoing';

function canManage(ctx: RequestContext, kind: Kind, teamId: string, ownerId: string): boolean {
  const {state} = ctx.core;
  const user = caller(ctx);
  if (!hasTeamPermission(state, user, teamId, `manage_own_${kind}_webhooks`)) return false;
  return ownerId === user.id || hasTeamPermission(state, user, teamId, `manage_others_${kind}_webhooks`);
}

/** Hooks visible to the caller in a team (or in all teams for a system-wide listing). */
function visibleHooks<T extends {team_id: string; delete_at: number; create_at: number}>(ctx: RequestContext, kind: Kind, all: Iterable<T>, owner: (h: T) => string, teamId: string): T[] {
  const user = caller(ctx);
  const {state} = ctx.core;
  if (teamId !== '' && !hasTeamPermission(state, user, teamId, `manage_own_${kind}_webhooks`)) throw forbidden();
  if (teamId === '' && !isSystemAdmin(user)) throw forbidden();
  const others = teamId === '' ? true : hasTeamPermission(state, user, teamId, `manage_others_${kind}_webhooks`);
  return [...all]
    .filter((h) => h.delete_at === 0 && (teamId === '' || h.team_id === teamId) && (others || owner(h) === user.id))
    .sort((a, b) => a.create_at - b.create_at);
}

function incomingHook(ctx: RequestContext): IncomingWebhook {
  const hook = ctx.core.state.incomingWebhook(param(ctx, 'hook_id'));
  if (hook === undefined) throw notFound('app.webhooks.get_incoming.app_error', 'We couldn’t get the webhook.');
  if (!canManage(ctx, 'incoming', hook.team_id, hook.user_id)) throw forbidden();
  return hook;
}

function outgoingHook(ctx: RequestContext): OutgoingWebhook {
  const hook = ctx.core.state.outgoingWebhook(param(ctx, 'hook_id'));
  if (hook === undefined) throw notFound('app.webhooks.get_outgoing.app_error', 'We couldn’t get the webhook.');
  if (!canManage(ctx, 'outgoing', hook.team_id, hook.creator_id)) throw forbidden();
  return hook;
}

const optionalString = (ctx: RequestContext, key: string): string | undefined => {
  const v = body(ctx)[key];
  return typeof v === 'string' ? v : undefined;
};

export const hookRoutes: RouteTable = {
  CreateIncomingWebhook: (ctx) => {
    const channel = requireChannel(ctx.core, bodyString(ctx, 'channel_id'));
    const user = caller(ctx);
    const ownerId = optionalString(ctx, 'user_id') || user.id;
    if (!canManage(ctx, 'incoming', channel.team_id, ownerId)) throw forbidden();
    if (channel.type !== 'O' && !hasChannelPermission(ctx.core.state, user, channel, 'read_channel')) throw forbidden();
    const hook = createIncomingWebhook(ctx.core, {
      channel_id: channel.id, team_id: channel.team_id, user_id: ownerId, display_name: optionalString(ctx, 'display_name'),
      description: optionalString(ctx, 'description'), username: optionalString(ctx, 'username'), icon_url: optionalString(ctx, 'icon_url'),
    });
    return json(hook, 201);
  },

  GetIncomingWebhooks: (ctx) => {
    const hooks = visibleHooks(ctx, 'incoming', ctx.core.state.incomingWebhooks.values(), (h) => h.user_id, ctx.query.get('team_id') ?? '');
    return json(paginate(hooks, paging(ctx)));
  },

  GetIncomingWebhook: (ctx) => json(incomingHook(ctx)),

  DeleteIncomingWebhook: (ctx) => {
    incomingHook(ctx).delete_at = Date.now();
    return statusOk();
  },

  CreateOutgoingWebhook: (ctx) => {
    const teamId = bodyString(ctx, 'team_id');
    requireTeam(ctx.core, teamId);
    const user = caller(ctx);
    const creatorId = optionalString(ctx, 'creator_id') || user.id;
    if (!canManage(ctx, 'outgoing', teamId, creatorId)) throw forbidden();
    const channelId = optionalString(ctx, 'channel_id') ?? '';
    if (channelId !== '') {
      const channel = requireChannel(ctx.core, channelId);
      // Outgoing webhooks only listen to public channels of their team.
      if (channel.type !== 'O' || channel.team_id !== teamId) throw forbidden();
    }
    const b = body(ctx);
    const words = b['trigger_words'];
    const urls = b['callback_urls'];
    if (!Array.isArray(words) || !Array.isArray(urls)) throw invalidBodyParam('trigger_words');
    const hook = createOutgoingWebhook(ctx.core, {
      team_id: teamId, creator_id: creatorId, display_name: bodyString(ctx, 'display_name'), channel_id: channelId,
      trigger_words: words.map(String), callback_urls: urls.map(String), description: optionalString(ctx, 'description'),
      trigger_when: typeof b['trigger_when'] === 'number' ? b['trigger_when'] : 0, content_type: optionalString(ctx, 'content_type'),
    });
    return json(hook, 201);
  },

  GetOutgoingWebhooks: (ctx) => {
    let teamId = ctx.query.get('team_id') ?? '';
    const channelId = ctx.query.get('channel_id') ?? '';
    if (channelId !== '') teamId = requireChannel(ctx.core, channelId).team_id;
    const hooks = visibleHooks(ctx, 'outgoing', ctx.core.state.outgoingWebhooks.values(), (h) => h.creator_id, teamId)
      .filter((h) => channelId === '' || h.channel_id === channelId);
    return json(paginate(hooks, paging(ctx)));
  },

  GetOutgoingWebhook: (ctx) => json(outgoingHook(ctx)),

  RegenOutgoingHookToken: (ctx) => {
    const hook = outgoingHook(ctx);
    hook.token = newId();
    hook.update_at = Date.now();
    return json(hook);
  },

  DeleteOutgoingWebhook: (ctx) => {
    outgoingHook(ctx).delete_at = Date.now();
    return statusOk();
  },
};
