// Authentication as GitHub does it: `Authorization: token <t>` or `Bearer <t>` with a personal or installation token,
// or `Bearer <JWT>` signed RS256 by a GitHub App's private key (at most ten minutes long) for the /app endpoints.
// Also the App, user and rate-limit routes that only make sense next to it.
import {createPublicKey, verify} from 'node:crypto';
import type {IncomingHttpHeaders} from 'node:http';
import {badCredentials, HttpError, notFound} from './errors.js';
import * as J from './json.js';
import {issueInstallationToken} from './ops.js';
import type {Handler} from './route_kit.js';
import {lower, type SimState} from './state.js';
import type {Principal, SimApp} from './types.js';

export interface Presented {
  readonly credential: string;
  readonly isJwt: boolean;
}

/** The credential of a request, or undefined when there is none. */
export function presented(headers: IncomingHttpHeaders): Presented | undefined {
  const header = headers['authorization'];
  if (typeof header !== 'string') return undefined;
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header.trim());
  if (!m?.[1]) return undefined;
  return {credential: m[1], isJwt: m[1].split('.').length === 3 && m[1].startsWith('ey')};
}

/** A short stable key per credential for rate limiting and the request log (never the credential itself). */
export function principalKey(p: Principal): string {
  if (p.kind === 'user') return `user:${lower(p.login)}`;
  if (p.kind === 'installation') return `installation:${p.installationId}`;
  return `app:${p.appId}`;
}

export interface Authenticated {
  readonly principal: Principal;
  readonly key: string;
  /** Per-hour budgets of this credential (REST core, GraphQL points). */
  readonly coreLimit: number;
  readonly graphqlLimit: number;
  /** How the primary-limit error names the caller ("user ID 5", "installation ID 9"). */
  readonly who: string;
}

function decode(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

function verifyJwt(state: SimState, jwt: string, now: number): SimApp {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  const header = decode(h);
  const payload = decode(p);
  if (!header || !payload || header['alg'] !== 'RS256') throw new HttpError(401, 'A JSON web token could not be decoded');
  const app = state.apps.get(Number(payload['iss']));
  if (!app) throw new HttpError(401, 'Integration not found');
  const ok = verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey(app.publicKeyPem), Buffer.from(s, 'base64url'));
  if (!ok) throw new HttpError(401, 'A JSON web token could not be decoded');
  const iat = Number(payload['iat']);
  const exp = Number(payload['exp']);
  const seconds = Math.floor(now / 1000);
  if (!Number.isFinite(iat) || iat > seconds + 60) throw new HttpError(401, "'Issued at' claim ('iat') must be an Integer representing a time in the past.");
  if (!Number.isFinite(exp) || exp <= seconds) throw new HttpError(401, "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.");
  if (exp - iat > 660) throw new HttpError(401, "'Expiration time' claim ('exp') is too far in the future.");
  return app;
}

/** Who the credential belongs to; 401 "Bad credentials" for unknown or expired tokens. */
export function authenticate(state: SimState, cred: Presented, now = Date.now()): Authenticated {
  if (cred.isJwt) {
    const app = verifyJwt(state, cred.credential, now);
    const principal: Principal = {kind: 'app', appId: app.id};
    return {principal, key: principalKey(principal), coreLimit: 5000, graphqlLimit: 5000, who: `app ID ${app.id}`};
  }
  const record = state.tokens.get(cred.credential);
  if (!record || (record.expiresAt !== null && record.expiresAt <= now)) throw badCredentials();
  const p = record.principal;
  const who = p.kind === 'user' ? `user ID ${state.user(p.login)?.id ?? 0}`
    : p.kind === 'installation' ? `installation ID ${p.installationId}` : `app ID ${p.appId}`;
  return {principal: p, key: principalKey(p), coreLimit: record.coreLimit, graphqlLimit: record.graphqlLimit, who};
}

/** Operations that answer to an App's JWT; every other operation refuses it, as GitHub does. */
export const JWT_OPERATIONS: ReadonlySet<string> = new Set([
  'apps/get-authenticated', 'apps/get-org-installation', 'apps/create-installation-access-token',
]);

function appOf(principal: Principal, state: SimState): SimApp {
  if (principal.kind !== 'app') {
    throw new HttpError(401, 'A JSON web token could not be decoded');
  }
  const app = state.apps.get(principal.appId);
  if (!app) throw notFound();
  return app;
}

function installation(base: string, app: SimApp, org: string, id: number, state: SimState): Record<string, unknown> {
  const o = state.org(org);
  return {
    id, account: o ? {login: o.login, id: o.id, node_id: o.nodeId, type: 'Organization'} : null,
    repository_selection: 'all', access_tokens_url: `${base}/app/installations/${id}/access_tokens`,
    repositories_url: `${base}/installation/repositories`, html_url: `${base}/organizations/${org}/settings/installations/${id}`,
    app_id: app.id, app_slug: app.slug, target_id: o?.id ?? 0, target_type: 'Organization', permissions: app.permissions,
    events: [], created_at: '2024-01-15T09:00:00Z', updated_at: '2024-01-15T09:00:00Z', single_file_name: null,
    suspended_by: null, suspended_at: null,
  };
}

export const APP_ROUTES: Readonly<Record<string, Handler>> = {
  'apps/get-authenticated': (ctx) => {
    const app = appOf(ctx.principal, ctx.state);
    return {json: {id: app.id, slug: app.slug, name: app.slug, permissions: app.permissions}};
  },

  'apps/get-org-installation': (ctx) => {
    const app = appOf(ctx.principal, ctx.state);
    const org = ctx.params['org'] ?? '';
    const id = app.installations.get(lower(org));
    if (id === undefined) throw notFound();
    return {json: installation(ctx.base, app, org, id, ctx.state)};
  },

  'apps/create-installation-access-token': (ctx) => {
    const app = appOf(ctx.principal, ctx.state);
    const id = Number(ctx.params['installation_id']);
    const org = [...app.installations].find(([, v]) => v === id)?.[0];
    if (org === undefined) throw notFound();
    const {token, expiresAt} = issueInstallationToken(ctx.state, org, id);
    return {status: 201, json: {
      token, expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'), permissions: app.permissions,
      repository_selection: 'all',
    }};
  },

  'users/get-authenticated': (ctx) => {
    if (ctx.principal.kind !== 'user') throw new HttpError(403, 'Resource not accessible by integration');
    const user = ctx.state.user(ctx.principal.login);
    if (!user) throw badCredentials();
    return {json: {...J.simpleUser(ctx.base, user), name: user.name, email: user.emails[0] ?? null}};
  },
};
