// Interactive dialogs and message buttons (api4/integration_action.go, app/integration_action.go).
// Requests to integrations carry only Content-Type and Accept: no token, no signature besides the trigger_id.

import {emit} from '../core.js';
import {ApiError, forbidden, invalidBodyParam, notFound} from '../errors.js';
import {findAction, requirePost, sendEphemeral, updatePost} from '../ops_posts.js';
import {requireChannel} from '../ops_workspace.js';
import {OutgoingError, parseJsonObject, sendOutgoing} from '../outgoing.js';
import type {OutgoingResponse} from '../outgoing.js';
import {hasChannelPermission, hasTeamPermission} from '../permissions.js';
import {decodeTriggerId, mintTriggerId} from '../trigger_id.js';
import type {OpenedDialog} from '../types.js';
import {body, bodyString, caller, json, param, statusOk} from './context.js';
import type {RequestContext, RouteTable} from './context.js';

type Json = Record<string, unknown>;

const actionIntegrationError = (detail: string): ApiError =>
  new ApiError(400, 'api.post.do_action.action_integration.app_error', 'Action integration error.', detail);

/** app.DoActionRequest: a JSON POST; anything but 200 is an integration error. */
async function doActionRequest(ctx: RequestContext, url: string, payload: Json): Promise<OutgoingResponse> {
  let res: OutgoingResponse;
  try {
    res = await sendOutgoing({
      url, method: 'POST', headers: {'Content-Type': 'application/json', Accept: 'application/json'},
      body: JSON.stringify(payload), timeoutMs: ctx.core.config.commandTimeoutMs,
    });
  } catch (e) {
    throw actionIntegrationError(e instanceof OutgoingError ? e.message : 'request failed');
  }
  if (res.status !== 200) throw actionIntegrationError(`status=${res.statusLine}`);
  return res;
}

// Props a post keeps when an integration replaces it, so a button cannot forge who posted.
const RETAINED_PROPS = ['from_webhook', 'override_username', 'override_icon_url'];

export const interactiveRoutes: RouteTable = {
  OpenInteractiveDialog: (ctx) => {
    const {core} = ctx;
    const triggerId = bodyString(ctx, 'trigger_id');
    const url = bodyString(ctx, 'url');
    const dialog = body(ctx)['dialog'];
    if (dialog === null || typeof dialog !== 'object' || Array.isArray(dialog)) throw invalidBodyParam('dialog');
    const {userId} = decodeTriggerId(core.signing, triggerId, core.config.triggerIdMaxAgeMs);
    const opened: OpenedDialog = {user_id: userId, trigger_id: triggerId, url, dialog: structuredClone(dialog as Json), opened_at: Date.now()};
    core.state.dialogs.push(opened);
    emit(core, 'open_dialog', opened);
    return statusOk();
  },

  SubmitInteractiveDialog: async (ctx) => {
    const {state} = ctx.core;
    const user = caller(ctx);
    const b = body(ctx);
    const channelId = bodyString(ctx, 'channel_id');
    const teamId = bodyString(ctx, 'team_id');
    const channel = state.channel(channelId);
    if (channel === undefined || !hasChannelPermission(state, user, channel, 'read_channel')) throw forbidden();
    if (!hasTeamPermission(state, user, teamId, 'view_team')) throw forbidden();
    const submission = b['submission'];
    const payload: Json = {
      type: 'dialog_submission', callback_id: typeof b['callback_id'] === 'string' ? b['callback_id'] : '',
      state: typeof b['state'] === 'string' ? b['state'] : '', user_id: user.id, channel_id: channelId, team_id: teamId,
      submission: submission !== null && typeof submission === 'object' ? submission : {}, cancelled: b['cancelled'] === true,
    };
    const res = await doActionRequest(ctx, bodyString(ctx, 'url'), payload);
    // The response is optional; whatever JSON object came back is handed to the client.
    return json(parseJsonObject(res.body) ?? {});
  },

  DoPostAction: async (ctx) => {
    const {core} = ctx;
    const user = caller(ctx);
    const post = requirePost(core, param(ctx, 'post_id'));
    const channel = requireChannel(core, post.channel_id);
    if (!hasChannelPermission(core.state, user, channel, 'read_channel')) throw forbidden();
    const action = findAction(post, param(ctx, 'action_id'));
    if (action === undefined) throw notFound('api.post.do_action.action_id.app_error', 'Invalid action id.');
    const integration = (action['integration'] ?? {}) as Json;
    const url = typeof integration['url'] === 'string' ? integration['url'] : '';
    if (url === '') throw actionIntegrationError('no integration url');
    const context: Json = {...((integration['context'] ?? {}) as Json)};
    const selected = body(ctx)['selected_option'];
    if (typeof selected === 'string' && selected !== '') context['selected_option'] = selected;
    const team = core.state.team(channel.team_id);
    const minted = mintTriggerId(core.signing, user.id);
    const res = await doActionRequest(ctx, url, {
      user_id: user.id, user_name: user.username, channel_id: channel.id, channel_name: channel.name,
      team_id: channel.team_id, team_domain: team?.name ?? '', post_id: post.id, trigger_id: minted.triggerId,
      type: typeof action['type'] === 'string' ? action['type'] : '', data_source: typeof action['data_source'] === 'string' ? action['data_source'] : '',
      context,
    });
    const response = parseJsonObject(res.body) ?? {};
    const update = response['update'];
    if (update !== null && typeof update === 'object' && !Array.isArray(update)) {
      const u = update as Json;
      const props: Json = {...((u['props'] ?? {}) as Json)};
      for (const key of RETAINED_PROPS) {
        if (key in post.props) props[key] = post.props[key];
        else delete props[key];
      }
      // The update replaces the post (app.UpdatePost without SafeUpdate): omitted fields are cleared.
      updatePost(core, post, {
        message: typeof u['message'] === 'string' ? u['message'] : '', props,
        file_ids: Array.isArray(u['file_ids']) ? u['file_ids'].map(String) : [], is_pinned: u['is_pinned'] === true,
      });
    }
    const ephemeralText = response['ephemeral_text'];
    if (typeof ephemeralText === 'string' && ephemeralText !== '') {
      sendEphemeral(core, user.id, {channel_id: channel.id, root_id: post.root_id === '' ? post.id : post.root_id, message: ephemeralText, user_id: post.user_id});
    }
    const out: Json = {status: 'OK', trigger_id: minted.clientTriggerId};
    if (typeof response['goto_location'] === 'string' && response['goto_location'] !== '') out['goto_location'] = response['goto_location'];
    return json(out);
  },
};
