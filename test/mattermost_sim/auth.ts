// Who is calling: session tokens and personal access tokens from the Authorization header ("Bearer" or "Token",
// any case), the access_token query parameter, or the MMAUTHTOKEN cookie (web clients, CSRF-checked).
// See app/session.go (GetSession, createSessionForUserAccessToken) and web/handlers.go.

import type {IncomingMessage} from 'node:http';
import type {SimCore} from './core.js';
import {sessionExpired} from './errors.js';
import {newId} from './ids.js';
import type {Session, User} from './types.js';

export interface PresentedToken {
  readonly token: string;
  readonly viaCookie: boolean;
}

export interface Authenticated {
  readonly session: Session;
  readonly user: User;
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

export function presentedToken(req: IncomingMessage, query: URLSearchParams): PresentedToken | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^(bearer|token)\s+(\S+)\s*$/i.exec(header);
  if (match?.[2] !== undefined) return {token: match[2], viaCookie: false};
  const fromQuery = query.get('access_token');
  if (fromQuery) return {token: fromQuery, viaCookie: false};
  // The cookie only counts for requests the webapp makes (X-Requested-With), as on the real server.
  const fromCookie = cookie(req, 'MMAUTHTOKEN');
  if (fromCookie && req.headers['x-requested-with'] === 'XMLHttpRequest') return {token: fromCookie, viaCookie: true};
  return undefined;
}

/** Resolves a token to a live session of an active user; undefined means 401. */
export function authenticate(core: SimCore, presented: PresentedToken, method: string, req: IncomingMessage): Authenticated | undefined {
  const {state} = core;
  const now = Date.now();
  let session = state.sessionByToken(presented.token);
  if (session === undefined) {
    // A personal access token gets a session of its own on first use; the session carries the token itself.
    const pat = state.accessTokenByToken(presented.token);
    const owner = pat === undefined ? undefined : state.user(pat.user_id);
    if (pat === undefined || !pat.is_active || owner === undefined || owner.delete_at !== 0) return undefined;
    session = {
      id: newId(), token: pat.token, user_id: owner.id, create_at: now, expires_at: 0, last_activity_at: now, device_id: '',
      roles: owner.roles, is_oauth: false,
      props: {type: 'UserAccessToken', user_access_token_id: pat.id, ...(owner.is_bot ? {is_bot: 'true'} : {})},
    };
    state.sessions.set(session.id, session);
  }
  if (session.expires_at !== 0 && session.expires_at < now) return undefined;
  const user = state.user(session.user_id);
  if (user === undefined || user.delete_at !== 0) return undefined;
  if (presented.viaCookie && method !== 'GET' && req.headers['x-csrf-token'] !== session.props['csrf']) {
    throw sessionExpired();
  }
  session.last_activity_at = now;
  return {session, user};
}
