// Routes outside /api/v4: the command response_url hook, incoming webhooks and served plugin bundles.

import type {SimCore} from '../core.js';
import {badRequest, forbidden, notFound} from '../errors.js';
import {createPost} from '../ops_posts.js';
import {hasChannelPermission} from '../permissions.js';
import {handleCommandWebhook} from './command_execute.js';
import type {Reply} from './context.js';
import {webappBundlePath} from './files_plugins.js';

type Json = Record<string, unknown>;

export interface SiteRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** POST /hooks/{id}: posts as the hook's creator, who may since have been deactivated (the server still accepts it). */
function handleIncomingWebhook(core: SimCore, hookId: string, req: SiteRequest): Reply {
  const hook = core.state.incomingWebhook(hookId);
  if (hook === undefined) throw badRequest('web.incoming_webhook.invalid.app_error', 'Invalid webhook.');
  let payload: Json;
  try {
    const text = req.body.toString('utf8');
    const raw = req.contentType.startsWith('application/x-www-form-urlencoded') ? (new URLSearchParams(text).get('payload') ?? '') : text;
    payload = JSON.parse(raw) as Json;
  } catch {
    throw badRequest('web.incoming_webhook.parse.app_error', 'Unable to parse incoming data.');
  }
  const text = typeof payload['text'] === 'string' ? payload['text'] : '';
  const attachments = Array.isArray(payload['attachments']) ? payload['attachments'] : undefined;
  if (text === '' && attachments === undefined) throw badRequest('web.incoming_webhook.text.app_error', 'No text specified.');
  const channel = core.state.channel(hook.channel_id);
  const user = core.state.user(hook.user_id);
  if (channel === undefined || user === undefined) throw badRequest('web.incoming_webhook.channel.app_error', 'Couldn\'t find the channel.');
  if (channel.type !== 'O' && !hasChannelPermission(core.state, user, channel, 'read_channel')) {
    throw forbidden();
  }
  const props: Json = {...((payload['props'] ?? {}) as Json), from_webhook: 'true'};
  if (attachments !== undefined) props['attachments'] = attachments;
  createPost(core, {channel_id: channel.id, user_id: user.id, message: text, props, type: attachments !== undefined ? 'slack_attachment' : ''});
  return {status: 200, raw: 'ok', contentType: 'text/plain'};
}

function servePluginBundle(core: SimCore, pluginId: string, path: string): Reply {
  const plugin = core.state.plugins.get(pluginId);
  if (plugin === undefined || !plugin.enabled || webappBundlePath(plugin) !== path) throw notFound('api.context.404.app_error', 'Sorry, we could not find the page.');
  const webapp = plugin.manifest['webapp'] as Json;
  const bundle = plugin.files.get(String(webapp['bundle_path']).replace(/^\.\//, ''));
  return {status: 200, raw: bundle ?? Buffer.alloc(0), contentType: 'text/javascript; charset=utf-8'};
}

/** Undefined when no site route matches (the caller answers 404). */
export function handleSiteRoute(core: SimCore, req: SiteRequest): Reply | undefined {
  let m = /^\/hooks\/commands\/([a-z0-9]{26})$/.exec(req.path);
  if (m && req.method === 'POST') return handleCommandWebhook(core, m[1] ?? '', req.contentType, req.body);
  m = /^\/hooks\/([a-z0-9]{26})$/.exec(req.path);
  if (m && req.method === 'POST') return handleIncomingWebhook(core, m[1] ?? '', req);
  m = /^\/static\/plugins\/([^/]+)\/[^/]+$/.exec(req.path);
  if (m && req.method === 'GET') return servePluginBundle(core, m[1] ?? '', req.path);
  return undefined;
}
