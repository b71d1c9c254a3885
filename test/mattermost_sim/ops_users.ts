// User, session, personal access token and bot operations with the server's side effects
// (app/user.go UpdateActive, app/session.go, app/bot.go).

import {randomBytes} from 'node:crypto';
import type {SimCore} from './core.js';
import {badRequest, notFound, userNotFound} from './errors.js';
import {newId} from './ids.js';
import type {AccessToken, Bot, Session, User} from './types.js';

export interface NewUser {
  username: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  nickname?: string;
  position?: string;
  roles?: string;
  auth_service?: string;
  is_bot?: boolean;
  bot_description?: string;
}

const SESSION_LENGTH_MS = 30 * 24 * 3600 * 1000;

export function createUser(core: SimCore, input: NewUser): User {
  const {state} = core;
  const username = input.username.toLowerCase();
  if (!/^[a-z][a-z0-9.\-_]{2,21}$/.test(username)) {
    throw badRequest('model.user.is_valid.username.app_error', 'Username must begin with a letter and contain between 3 to 22 lowercase characters.');
  }
  if (state.userByUsername(username) !== undefined) {
    throw badRequest('app.user.save.username_exists.app_error', 'An account with that username already exists.');
  }
  const email = (input.email ?? `${username}@localhost`).toLowerCase();
  if (state.userByEmail(email) !== undefined) {
    throw badRequest('app.user.save.email_exists.app_error', 'An account with that email already exists.');
  }
  const now = Date.now();
  const user: User = {
    id: newId(), create_at: now, update_at: now, delete_at: 0, username, email, email_verified: true,
    first_name: input.first_name ?? '', last_name: input.last_name ?? '', nickname: input.nickname ?? '',
    position: input.position ?? '', roles: input.roles ?? 'system_user', locale: 'en',
    auth_service: input.auth_service ?? '', auth_data: input.auth_service ? `${username}@idp` : '',
    is_bot: input.is_bot ?? false, bot_description: input.bot_description ?? '', props: {},
  };
  state.users.set(user.id, user);
  return user;
}

export function requireUser(core: SimCore, userId: string): User {
  const user = core.state.user(userId);
  if (user === undefined) throw userNotFound();
  return user;
}

export function createSession(core: SimCore, userId: string, props: Record<string, string> = {}, deviceId = ''): Session {
  const user = requireUser(core, userId);
  const now = Date.now();
  const session: Session = {
    id: newId(), token: newId(), user_id: userId, create_at: now, expires_at: now + SESSION_LENGTH_MS, last_activity_at: now,
    device_id: deviceId, roles: user.roles, is_oauth: false,
    // The webapp sends this back as X-CSRF-Token on cookie-authenticated writes.
    props: {csrf: randomBytes(13).toString('hex').slice(0, 26), ...props},
  };
  core.state.sessions.set(session.id, session);
  return session;
}

export function revokeSession(core: SimCore, sessionId: string): void {
  core.state.sessions.delete(sessionId);
}

export function revokeAllSessions(core: SimCore, userId: string): void {
  for (const s of core.state.sessionsOf(userId)) core.state.sessions.delete(s.id);
}

export function createAccessToken(core: SimCore, userId: string, description: string): AccessToken {
  requireUser(core, userId);
  const token: AccessToken = {id: newId(), token: newId(), user_id: userId, description, is_active: true};
  core.state.accessTokens.set(token.id, token);
  return token;
}

function deleteSessionsOfToken(core: SimCore, tokenId: string): void {
  for (const s of core.state.sessions.values()) {
    if (s.props['user_access_token_id'] === tokenId) core.state.sessions.delete(s.id);
  }
}

export function requireAccessToken(core: SimCore, tokenId: string): AccessToken {
  const token = core.state.accessTokens.get(tokenId);
  if (token === undefined) {
    throw notFound('app.user_access_token.get_by_user.app_error', 'Unable to get user access token.');
  }
  return token;
}

/** Revoking deletes the token and every session opened with it. */
export function revokeAccessToken(core: SimCore, tokenId: string): void {
  requireAccessToken(core, tokenId);
  core.state.accessTokens.delete(tokenId);
  deleteSessionsOfToken(core, tokenId);
}

export function setAccessTokenActive(core: SimCore, tokenId: string, active: boolean): void {
  const token = requireAccessToken(core, tokenId);
  token.is_active = active;
  if (!active) deleteSessionsOfToken(core, tokenId);
}

/**
 * Deactivation sets delete_at, revokes every session and, with DisableBotsWhenOwnerIsDeactivated (default on),
 * disables the bots the user owns. Tokens stay listed but stop working because the user is inactive.
 */
export function setUserActive(core: SimCore, userId: string, active: boolean): void {
  const user = requireUser(core, userId);
  const now = Date.now();
  user.update_at = now;
  if (active) {
    user.delete_at = 0;
    return;
  }
  if (user.delete_at === 0) user.delete_at = now;
  revokeAllSessions(core, userId);
  if (core.config.disableBotsWhenOwnerIsDeactivated) {
    for (const bot of core.state.botsOwnedBy(userId)) if (bot.delete_at === 0) setBotActive(core, bot.user_id, false);
  }
}

export interface NewBot {
  username: string;
  display_name?: string;
  description?: string;
  owner_id: string;
  roles?: string;
}

export function createBot(core: SimCore, input: NewBot): Bot {
  const user = createUser(core, {
    username: input.username, email: `${input.username.toLowerCase()}@localhost`, first_name: input.display_name ?? '',
    roles: input.roles ?? 'system_user', is_bot: true, bot_description: input.description ?? '',
  });
  const bot: Bot = {
    user_id: user.id, username: user.username, display_name: input.display_name ?? '', description: input.description ?? '',
    owner_id: input.owner_id, create_at: user.create_at, update_at: user.create_at, delete_at: 0, last_icon_update: 0,
  };
  core.state.bots.set(bot.user_id, bot);
  return bot;
}

export function requireBot(core: SimCore, botUserId: string): Bot {
  const bot = core.state.bot(botUserId);
  if (bot === undefined) throw notFound('store.sql_bot.get.missing.app_error', 'Bot does not exist.');
  return bot;
}

/** Disabling a bot deactivates its user too (and so ends its sessions); enabling reverses both. */
export function setBotActive(core: SimCore, botUserId: string, active: boolean): Bot {
  const bot = requireBot(core, botUserId);
  const now = Date.now();
  bot.delete_at = active ? 0 : now;
  bot.update_at = now;
  const user = requireUser(core, botUserId);
  user.delete_at = active ? 0 : now;
  user.update_at = now;
  if (!active) revokeAllSessions(core, botUserId);
  return bot;
}

export function assignBot(core: SimCore, botUserId: string, ownerId: string): Bot {
  const bot = requireBot(core, botUserId);
  requireUser(core, ownerId);
  bot.owner_id = ownerId;
  bot.update_at = Date.now();
  return bot;
}

/** The sanitized user object clients get; auth_data only for admins, never secrets. */
export function userForClient(user: User, viewerIsAdmin: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: user.id, create_at: user.create_at, update_at: user.update_at, delete_at: user.delete_at, username: user.username,
    auth_data: viewerIsAdmin ? user.auth_data : '', auth_service: user.auth_service, email: user.email,
    email_verified: user.email_verified, nickname: user.nickname, first_name: user.first_name, last_name: user.last_name,
    position: user.position, roles: user.roles, locale: user.locale, props: user.props,
    timezone: {automaticTimezone: 'UTC', manualTimezone: '', useAutomaticTimezone: 'true'},
    last_picture_update: 0, disable_welcome_email: false,
  };
  if (user.is_bot) {
    out['is_bot'] = true;
    out['bot_description'] = user.bot_description;
  }
  return out;
}

export function sessionForClient(session: Session): Record<string, unknown> {
  return {...session, token: '', team_members: []};
}
