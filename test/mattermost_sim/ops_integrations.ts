// Custom slash commands, incoming/outgoing webhooks and OAuth apps (app/command.go, app/webhook.go, app/oauth.go).

import type {SimCore} from './core.js';
import {badRequest} from './errors.js';
import {newId} from './ids.js';
import type {Command, IncomingWebhook, OAuthApp, OutgoingWebhook} from './types.js';

export interface NewCommand {
  team_id: string;
  creator_id: string;
  trigger: string;
  url: string;
  method?: 'P' | 'G';
  username?: string;
  icon_url?: string;
  auto_complete?: boolean;
  auto_complete_desc?: string;
  auto_complete_hint?: string;
  display_name?: string;
  description?: string;
}

/** The server's own commands: a custom command may not reuse their triggers. */
const BUILT_IN_TRIGGERS = new Set([
  'away', 'code', 'collapse', 'dnd', 'echo', 'expand', 'groupmsg', 'header', 'help', 'invite', 'join', 'kick', 'leave',
  'logout', 'me', 'msg', 'mute', 'offline', 'online', 'open', 'purpose', 'remove', 'rename', 'search', 'settings',
  'shortcuts', 'shrug', 'status',
]);

export function validateCommandFields(cmd: {trigger: string; url: string; method: string}): void {
  if (cmd.trigger === '' || cmd.trigger.length > 128 || cmd.trigger.startsWith('/') || /\s/.test(cmd.trigger)) {
    throw badRequest('model.command.is_valid.trigger.app_error', 'Invalid trigger.');
  }
  if (!/^https?:\/\/\S+$/.test(cmd.url) || cmd.url.length > 1024) {
    throw badRequest('model.command.is_valid.url.app_error', 'Invalid URL.');
  }
  if (cmd.method !== 'P' && cmd.method !== 'G') {
    throw badRequest('model.command.is_valid.method.app_error', 'Invalid Method.');
  }
}

export function createCommand(core: SimCore, input: NewCommand): Command {
  const trigger = input.trigger.toLowerCase();
  const method = input.method ?? 'P';
  validateCommandFields({trigger, url: input.url, method});
  if (BUILT_IN_TRIGGERS.has(trigger) || core.state.commandsOfTeam(input.team_id).some((c) => c.trigger === trigger)) {
    throw badRequest('api.command.duplicate_trigger.app_error', 'This trigger word is already in use. Please choose another word.');
  }
  const now = Date.now();
  const cmd: Command = {
    id: newId(), token: newId(), create_at: now, update_at: now, delete_at: 0, creator_id: input.creator_id,
    team_id: input.team_id, trigger, method, username: input.username ?? '', icon_url: input.icon_url ?? '',
    auto_complete: input.auto_complete ?? false, auto_complete_desc: input.auto_complete_desc ?? '',
    auto_complete_hint: input.auto_complete_hint ?? '', display_name: input.display_name ?? '',
    description: input.description ?? '', url: input.url,
  };
  core.state.commands.set(cmd.id, cmd);
  return cmd;
}

export interface NewIncomingWebhook {
  channel_id: string;
  team_id: string;
  user_id: string;
  display_name?: string;
  description?: string;
  username?: string;
  icon_url?: string;
}

export function createIncomingWebhook(core: SimCore, input: NewIncomingWebhook): IncomingWebhook {
  const now = Date.now();
  const hook: IncomingWebhook = {
    id: newId(), create_at: now, update_at: now, delete_at: 0, user_id: input.user_id, channel_id: input.channel_id,
    team_id: input.team_id, display_name: input.display_name ?? '', description: input.description ?? '',
    username: input.username ?? '', icon_url: input.icon_url ?? '', channel_locked: false,
  };
  core.state.incomingWebhooks.set(hook.id, hook);
  return hook;
}

export interface NewOutgoingWebhook {
  team_id: string;
  creator_id: string;
  display_name: string;
  trigger_words: string[];
  callback_urls: string[];
  channel_id?: string;
  description?: string;
  trigger_when?: number;
  content_type?: string;
}

export function createOutgoingWebhook(core: SimCore, input: NewOutgoingWebhook): OutgoingWebhook {
  if (input.callback_urls.length === 0 || input.callback_urls.some((u) => !/^https?:\/\/\S+$/.test(u))) {
    throw badRequest('model.outgoing_hook.is_valid.callback.app_error', 'Invalid callback urls.');
  }
  if ((input.channel_id ?? '') === '' && input.trigger_words.length === 0) {
    throw badRequest('api.webhook.create_outgoing.triggers.app_error', 'Either trigger_words or channel_id must be set.');
  }
  const now = Date.now();
  const hook: OutgoingWebhook = {
    id: newId(), token: newId(), create_at: now, update_at: now, delete_at: 0, creator_id: input.creator_id,
    channel_id: input.channel_id ?? '', team_id: input.team_id, trigger_words: [...input.trigger_words],
    trigger_when: input.trigger_when ?? 0, callback_urls: [...input.callback_urls], display_name: input.display_name,
    description: input.description ?? '', content_type: input.content_type ?? 'application/x-www-form-urlencoded',
    username: '', icon_url: '',
  };
  core.state.outgoingWebhooks.set(hook.id, hook);
  return hook;
}

export interface NewOAuthApp {
  creator_id: string;
  name: string;
  description: string;
  homepage: string;
  callback_urls: string[];
  icon_url?: string;
  is_trusted?: boolean;
}

export function createOAuthApp(core: SimCore, input: NewOAuthApp): OAuthApp {
  if (input.callback_urls.length === 0 || input.callback_urls.some((u) => !/^https?:\/\/\S+$/.test(u))) {
    throw badRequest('model.oauth.is_valid.callback.app_error', 'Callback URL must be a valid URL and start with http:// or https://.');
  }
  const now = Date.now();
  const app: OAuthApp = {
    id: newId(), creator_id: input.creator_id, create_at: now, update_at: now, client_secret: newId(), name: input.name,
    description: input.description, icon_url: input.icon_url ?? '', callback_urls: [...input.callback_urls],
    homepage: input.homepage, is_trusted: input.is_trusted ?? false,
  };
  core.state.oauthApps.set(app.id, app);
  return app;
}

export function authorizeOAuthApp(core: SimCore, userId: string, appId: string): void {
  const set = core.state.oauthAuthorizations.get(userId) ?? new Set<string>();
  set.add(appId);
  core.state.oauthAuthorizations.set(userId, set);
}
