// What every REST route handler gets and returns, and the shared rules: GitHub's page/per_page pagination with a
// Link header, and the lookups that answer 404 for what the caller may not see and 403 for what it may not change.
import {mustBeOwner, mustHaveAdminRights, notFound} from './errors.js';
import type {SimState} from './state.js';
import type {Principal, SimOrg, SimRepo} from './types.js';

export interface RouteContext {
  readonly state: SimState;
  /** The simulator's base URL, for URLs inside bodies and Link headers. */
  readonly base: string;
  readonly principal: Principal;
  readonly params: Readonly<Record<string, string>>;
  readonly url: URL;
  readonly body: unknown;
}

export interface Reply {
  readonly status?: number;
  /** Already serialised JSON (listings of thousands of repositories are cached as bytes). */
  readonly raw?: string | Buffer;
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (ctx: RouteContext) => Reply;

export const noContent: Reply = {status: 204};

export function param(ctx: RouteContext, name: string): string {
  const value = ctx.params[name];
  if (value === undefined) throw notFound();
  return value;
}

/** The organization named in the path; 404 when it does not exist. */
export function orgOf(ctx: RouteContext): SimOrg {
  const org = ctx.state.org(param(ctx, 'org'));
  if (!org) throw notFound();
  return org;
}

/** The organization, when the caller administers it (owner, or the App installed on it). */
export function ownedOrg(ctx: RouteContext): SimOrg {
  const org = orgOf(ctx);
  if (!ctx.state.administers(ctx.principal, org)) {
    // Outsiders do not learn that a private listing exists.
    if (ctx.principal.kind === 'user' && !ctx.state.isMember(org, ctx.principal.login)) throw notFound();
    throw mustBeOwner();
  }
  return org;
}

/** The repository in the path, when the caller can see it (404 otherwise, as GitHub does for private ones). */
export function visibleRepo(ctx: RouteContext): SimRepo {
  const repo = ctx.state.repo(param(ctx, 'owner'), param(ctx, 'repo'));
  if (!repo || !ctx.state.canSee(ctx.principal, repo)) throw notFound();
  return repo;
}

/** The repository, when the caller administers it; 403 when it can only see it. */
export function adminRepo(ctx: RouteContext): SimRepo {
  const repo = visibleRepo(ctx);
  if (!ctx.state.canAdmin(ctx.principal, repo)) throw mustHaveAdminRights();
  return repo;
}

export function intParam(ctx: RouteContext, name: string): number {
  const value = Number(param(ctx, name));
  if (!Number.isInteger(value)) throw notFound();
  return value;
}

/** `per_page` (default 30, at most 100) and `page` (default 1) as GitHub reads them. */
export function pageOf(url: URL): {perPage: number; page: number} {
  const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
  return {perPage, page};
}

/** One page of `items` with GitHub's Link header (next, last, first, prev). */
export function paginate<T>(ctx: RouteContext, items: readonly T[], render: (item: T) => string): Reply {
  const {perPage, page} = pageOf(ctx.url);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (n: number, rel: string): string => {
    const u = new URL(`${ctx.base}${ctx.url.pathname}`);
    ctx.url.searchParams.forEach((v, k) => u.searchParams.append(k, v));
    u.searchParams.set('page', String(n));
    return `<${u.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'), link(Math.min(page - 1, last), 'prev'));
  return {raw: `[${slice.map(render).join(',')}]`, headers: links.length > 0 ? {link: links.join(', ')} : {}};
}

/** The lower-cased login in the path, when that user exists (404 otherwise). */
export function knownUser(ctx: RouteContext, name = 'username'): string {
  const user = ctx.state.user(param(ctx, name));
  if (!user) throw notFound();
  return user.login;
}
