// The contract between the HTTP layer and the route handlers, plus small helpers every handler uses.

import type {SimCore} from '../core.js';
import {forbidden, invalidBodyParam, sessionExpired} from '../errors.js';
import {isSystemAdmin} from '../permissions.js';
import type {Session, User} from '../types.js';

export interface Upload {
  readonly field: string;
  readonly filename: string;
  readonly mimeType: string;
  readonly content: Buffer;
}

export interface RequestContext {
  readonly core: SimCore;
  readonly operationId: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** Parsed JSON body, or the text fields of a multipart form; already validated against the spec. */
  readonly body: unknown;
  readonly uploads: readonly Upload[];
  readonly session: Session | undefined;
  readonly user: User | undefined;
  readonly requestId: string;
}

export interface Reply {
  readonly status?: number;
  readonly json?: unknown;
  readonly raw?: Buffer | string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

/** Handlers keyed by the spec's operationId. */
export type RouteTable = Readonly<Record<string, Handler>>;

export const json = (value: unknown, status = 200): Reply => ({status, json: value});
export const statusOk = (): Reply => json({status: 'OK'});

export function caller(ctx: RequestContext): User {
  if (ctx.user === undefined) throw sessionExpired();
  return ctx.user;
}

export const callerIsAdmin = (ctx: RequestContext): boolean => ctx.user !== undefined && isSystemAdmin(ctx.user);

export function requireAdmin(ctx: RequestContext): User {
  const user = caller(ctx);
  if (!isSystemAdmin(user)) throw forbidden();
  return user;
}

/** A path parameter; for user ids "me" means the caller. */
export function param(ctx: RequestContext, name: string): string {
  const value = ctx.params[name] ?? '';
  return name === 'user_id' && value === 'me' ? caller(ctx).id : value;
}

/** Acting on another user's account needs edit_other_users, which only system admins hold by default. */
export function requireSelfOrAdmin(ctx: RequestContext, userId: string): User {
  const user = caller(ctx);
  if (user.id !== userId && !isSystemAdmin(user)) throw forbidden();
  return user;
}

export function body(ctx: RequestContext): Record<string, unknown> {
  return ctx.body !== null && typeof ctx.body === 'object' && !Array.isArray(ctx.body) ? (ctx.body as Record<string, unknown>) : {};
}

export function bodyString(ctx: RequestContext, key: string, required = true): string {
  const value = body(ctx)[key];
  if (typeof value === 'string' && (value !== '' || !required)) return value;
  if (value === undefined && !required) return '';
  throw invalidBodyParam(key);
}

export function queryBool(ctx: RequestContext, name: string): boolean {
  return ['1', 't', 'true', 'TRUE', 'True'].includes(ctx.query.get(name) ?? '');
}

export interface Paging {
  readonly page: number;
  readonly perPage: number;
}

const PER_PAGE_DEFAULT = 60;
const PER_PAGE_MAXIMUM = 200;

/** web/params.go: bad or negative values fall back to the defaults, per_page is capped at 200. */
export function paging(ctx: RequestContext, pageName = 'page', perPageName = 'per_page'): Paging {
  const page = Number.parseInt(ctx.query.get(pageName) ?? '', 10);
  const perPage = Number.parseInt(ctx.query.get(perPageName) ?? '', 10);
  return {
    page: Number.isNaN(page) || page < 0 ? 0 : page,
    perPage: Number.isNaN(perPage) || perPage < 0 ? PER_PAGE_DEFAULT : Math.min(perPage, PER_PAGE_MAXIMUM),
  };
}

export function paginate<T>(items: readonly T[], p: Paging): T[] {
  return items.slice(p.page * p.perPage, p.page * p.perPage + p.perPage);
}
