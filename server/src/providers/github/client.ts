// The only file of this provider that talks to GitHub: @octokit/rest with plugin-throttling (403/429 rate limits,
// Retry-After) and plugin-retry (5xx), signed in as a GitHub App installation or with a token. Every HTTP request
// passes the provider limiter (concurrency and rate), the write pacer and the primary-budget guard (pacing.ts).
// Clients are cached per credential and organization, so an installation token is minted once, not once per step.
import {createAppAuth} from '@octokit/auth-app';
import {retry} from '@octokit/plugin-retry';
import {throttling, type ThrottlingOptions} from '@octokit/plugin-throttling';
import {Octokit} from '@octokit/rest';
import {setMaxListeners} from 'node:events';
import {ConfigError} from '../../engine/errors.js';
import type {Limiter, Logger, ProviderContext} from '../../engine/types.js';
import type {GithubConfig} from './config.js';
import {fingerprint} from './model.js';
import {PrimaryBudget, WritePacer, writeKind} from './pacing.js';

const GitHub = Octokit.plugin(throttling, retry);
type GitHubOctokit = InstanceType<typeof GitHub>;

/** Longest Retry-After plugin-throttling may wait in place; longer ones go back to the engine as retry-later. */
const MAX_INLINE_RETRY_S = 60;

/**
 * plugin-throttling funnels every request through Bottleneck instances: its groups (one write or GraphQL query per
 * second, 10 requests at once; docs §2.9) and a shared retry limiter. Bottleneck's local store yields to a timer on
 * every job and serialises jobs per instance, which caps a shared instance at about 250 jobs a second (measured: 100
 * jobs start over 390 ms). Here the provider limiter and the write pacer do the pacing, so the plugin gets groups that
 * pass requests straight through, and a retry runner with Bottleneck's "failed"-event contract: the plugin's handler
 * answers how long to wait before a retry (Retry-After, or the primary reset), or nothing to give up.
 * These are plugin-throttling's own state fields (pinned 11.0.5: src/index.ts assigns `octokitOptions.throttle`
 * over its defaults and uses `state.global ?? groups.global`, `state.retryLimiter ?? new Bottleneck()`).
 */
const PASS_THROUGH_GROUP = {
  key: () => ({
    schedule: (...args: unknown[]) => {
      const fn = (typeof args[0] === 'function' ? args[0] : args[1]) as (...a: unknown[]) => unknown;
      const rest = typeof args[0] === 'function' ? args.slice(1) : args.slice(2);
      return Promise.resolve().then(() => fn(...rest));
    },
  }),
};

type FailedHandler = (error: unknown, info: {args: unknown[]; retryCount: number}) => unknown;

class RetryRunner {
  private readonly handlers: FailedHandler[] = [];

  constructor(private readonly sleep: (ms: number) => Promise<void>) {}

  on(event: string, fn: FailedHandler): void {
    if (event === 'failed') this.handlers.push(fn);
  }

  async schedule(fn: (...a: unknown[]) => Promise<unknown>, ...args: unknown[]): Promise<unknown> {
    for (let retryCount = 0; ; retryCount++) {
      try {
        return await fn(...args);
      } catch (error) {
        let wait: number | undefined;
        for (const h of this.handlers) {
          const answer = await h(error, {args, retryCount});
          if (typeof answer === 'number') wait = answer;
        }
        if (wait === undefined) throw error;
        await this.sleep(wait);
      }
    }
  }
}

interface Pacing {
  readonly writes: WritePacer;
  readonly primary: PrimaryBudget;
}

const pacings = new Map<string, Pacing>();
const clients = new WeakMap<Limiter, Map<string, GitHubOctokit>>();
const installationIds = new Map<string, number>();

/** The HTTP status of an Octokit error (RequestError), or undefined for anything else. */
export function statusOf(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null || (e as {name?: unknown}).name !== 'HttpError') return undefined;
  const status = (e as {status?: unknown}).status;
  return typeof status === 'number' ? status : undefined;
}

export const isNotFound = (e: unknown): boolean => statusOf(e) === 404;

/** Response headers of an Octokit error (lower-cased names). */
export function errorHeaders(e: unknown): Readonly<Record<string, string | number | undefined>> {
  const headers = (e as {response?: {headers?: Record<string, string | number | undefined>}} | null)?.response?.headers;
  return headers ?? {};
}

/** GitHub's own message of an Octokit error, without Octokit's " - https://docs..." suffix. */
export function vendorMessage(e: unknown): string {
  const data = (e as {response?: {data?: {message?: unknown}}} | null)?.response?.data;
  const message = typeof data?.message === 'string' ? data.message : e instanceof Error ? e.message : String(e);
  return message.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function credentialKey(cfg: GithubConfig, org: string): string {
  if (cfg.app) return `${cfg.base_url}|app:${cfg.app.app_id}|${org.toLowerCase()}`;
  return `${cfg.base_url}|token:${fingerprint(cfg.token ?? '')}`;
}

function pacingFor(key: string, ctx: ProviderContext<unknown>): Pacing {
  let p = pacings.get(key);
  if (!p) {
    p = {writes: new WritePacer(ctx.clock), primary: new PrimaryBudget(ctx.clock)};
    pacings.set(key, p);
  }
  return p;
}

const isAuthPath = (pathname: string): boolean => /\/app\/installations\/[^/]+\/access_tokens$/.test(pathname);

/** fetch through the write pacer, then the limiter; with a per-request timeout. It records the primary budget. */
function pacedFetch(limiter: Limiter, pacing: Pacing, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const signal = init?.signal ?? undefined;
    // GraphQL queries travel as POST but write nothing (this provider sends no mutations).
    const graphql = url.pathname.endsWith('/graphql');
    const kind = graphql || isAuthPath(url.pathname) ? undefined : writeKind(init?.method ?? 'GET');
    if (kind) await pacing.writes.wait(kind, signal);
    const timeout = AbortSignal.timeout(timeoutMs);
    const res = await limiter.schedule(
      () => fetch(input, {...init, signal: signal ? AbortSignal.any([signal, timeout]) : timeout}), signal);
    pacing.primary.observe(res.headers);
    return res;
  };
}

type OctokitLog = Record<'debug' | 'info' | 'warn' | 'error', (message: string) => void>;

function octokitLog(log: Logger): OctokitLog {
  return {
    debug: (m) => log.debug({octokit: m}, 'github request'),
    info: (m) => log.debug({octokit: m}, 'github request'),
    warn: (m) => log.warn({octokit: m}, 'github client warning'),
    // Octokit logs every non-2xx response as an error, including the 404s that discovery and idempotent reads expect;
    // failures that matter surface as thrown errors recorded on the step, so these lines are debug detail.
    error: (m) => log.debug({octokit: m}, 'github request failed'),
  };
}

function build(
  cfg: GithubConfig, ctx: ProviderContext<unknown>, pacing: Pacing, id: string, installationId?: number,
): GitHubOctokit {
  const log = ctx.log;
  const throttle = {
    global: PASS_THROUGH_GROUP, auth: PASS_THROUGH_GROUP, write: PASS_THROUGH_GROUP, search: PASS_THROUGH_GROUP,
    notifications: PASS_THROUGH_GROUP, retryLimiter: new RetryRunner((ms) => ctx.clock.sleep(ms)), id,
    onRateLimit: (after: number, options: {method: string; url: string}, _o: unknown, count: number) => {
      log.warn({method: options.method, url: options.url, retryAfterS: after}, 'github primary rate limit reached');
      return count < 1 && after <= MAX_INLINE_RETRY_S;
    },
    onSecondaryRateLimit: (after: number, options: {method: string; url: string}, _o: unknown, count: number) => {
      log.warn({method: options.method, url: options.url, retryAfterS: after}, 'github secondary rate limit reached');
      return count < 2 && after <= MAX_INLINE_RETRY_S;
    },
  };
  const common = {
    // The pass-through groups and retry runner are not Bottleneck instances, hence the cast (see PASS_THROUGH_GROUP).
    baseUrl: cfg.base_url, userAgent: 'offboarding-for-mattermost', log: octokitLog(log),
    throttle: throttle as unknown as ThrottlingOptions,
    request: {fetch: pacedFetch(ctx.limiter, pacing, cfg.request_timeout_ms)},
    // plugin-retry handles 5xx and network errors; rate limits are plugin-throttling's, the rest is final.
    retry: {doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451], retries: 2},
  };
  const octokit = cfg.app
    ? new GitHub({...common, authStrategy: createAppAuth,
      auth: {appId: cfg.app.app_id, privateKey: cfg.app.private_key, ...(installationId === undefined ? {} : {installationId})}})
    : new GitHub({...common, auth: cfg.token});
  // The primary-budget guard runs before the plugins: a "wait for the reset" it throws reaches the caller as it is,
  // where from inside fetch Octokit would wrap it as a 500 that plugin-retry retries.
  octokit.hook.before('request', async (options) => {
    const url = String(options.url);
    await pacing.primary.admit(url.endsWith('/graphql') ? 'graphql' : 'core', options.request?.signal as AbortSignal | undefined);
  });
  return octokit;
}

async function octokitFor(cfg: GithubConfig, ctx: ProviderContext<unknown>, org: string): Promise<GitHubOctokit> {
  const key = credentialKey(cfg, org);
  let perLimiter = clients.get(ctx.limiter);
  if (!perLimiter) {
    perLimiter = new Map();
    clients.set(ctx.limiter, perLimiter);
  }
  const cached = perLimiter.get(key);
  if (cached) return cached;
  const pacing = pacingFor(key, ctx);
  let installationId: number | undefined;
  if (cfg.app) {
    installationId = cfg.app.installation_ids?.[org] ?? installationIds.get(key);
    if (installationId === undefined) {
      const appClient = build(cfg, ctx, pacing, key);
      let found;
      try {
        found = await appClient.request('GET /orgs/{org}/installation', {org, request: {signal: ctx.signal}});
      } catch (e) {
        const status = statusOf(e);
        if (status === 404) {
          throw new ConfigError(`The GitHub App ${cfg.app.app_id} is not installed on the organization "${org}".`);
        }
        if (status === 401) {
          throw new ConfigError("GitHub rejected the App's JWT (401): check providers.github.app.app_id and private_key.");
        }
        throw e;
      }
      installationId = found.data.id;
      installationIds.set(key, installationId);
    }
  }
  const client = build(cfg, ctx, pacing, key, installationId);
  perLimiter.set(key, client);
  return client;
}

/** The last page number in a Link header (`rel="last"`), or 1 when there is none. */
export function lastPage(link: string | undefined): number {
  const m = /<[^>]*[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(link ?? '');
  return m ? Number(m[1]) : 1;
}

export interface GraphqlOutcome<T> {
  readonly data: T | null;
  readonly errors: readonly {readonly type?: string; readonly message: string; readonly path?: readonly (string | number)[]}[];
}

export type Request = GitHubOctokit['request'];

/** One organization's API for one provider call: requests carry the context's abort signal. */
export class GithubClient {
  constructor(
    private readonly octokit: GitHubOctokit,
    readonly org: string,
    readonly authKind: 'app' | 'token',
    private readonly signal: AbortSignal,
    private readonly graphqlUrl: string,
  ) {}

  /** Octokit's request with this call's signal; typed by route like octokit.request. */
  get request(): Request {
    const signal = this.signal;
    const octokit = this.octokit;
    return ((route: string, params?: Record<string, unknown>) =>
      octokit.request(route, {...params, request: {signal}})) as Request;
  }

  /** A request to a route @octokit/rest has no types for (the Enterprise Cloud credential authorizations). */
  async untyped(method: string, url: string, params: Record<string, unknown> = {}): Promise<{status: number; data: unknown}> {
    const res = await this.octokit.request({method, url, ...params, request: {signal: this.signal}});
    return {status: res.status, data: res.data};
  }

  /**
   * One page of a list. The body is parsed with JSON.parse: Octokit's big-integer-safe parser costs ~25 times as much,
   * which adds up over 100 pages of repositories, and list ids stay far below 2^53.
   */
  async listPage<T>(url: string, params: Record<string, unknown>): Promise<{items: T[]; link: string | undefined}> {
    const res = await this.octokit.request({method: 'GET', url, ...params,
      request: {signal: this.signal, parseSuccessResponseBody: false}});
    const body = res.data as ReadableStream<Uint8Array> | null;
    const parsed: unknown = body === null ? [] : JSON.parse(await new Response(body).text());
    const link = (res.headers as Record<string, unknown>)['link'];
    return {items: Array.isArray(parsed) ? parsed as T[] : [], link: typeof link === 'string' ? link : undefined};
  }

  /** Every page of a list route: the first page says how many there are, the rest are fetched in parallel. */
  async allPages<T>(route: string, params: Record<string, unknown>): Promise<T[]> {
    const first = await this.listPage<T>(route, {...params, per_page: 100, page: 1});
    const rest = await Promise.all(Array.from({length: Math.max(0, lastPage(first.link) - 1)}, (_, i) =>
      this.listPage<T>(route, {...params, per_page: 100, page: i + 2})));
    return [first, ...rest].flatMap((r) => r.items);
  }

  /**
   * A GraphQL query; errors come back next to whatever data GitHub returned (partial results are normal). Sent with
   * octokit.request rather than octokit.graphql so the body is parsed with JSON.parse (see listPage).
   */
  async graphql<T>(query: string, variables: Record<string, unknown>): Promise<GraphqlOutcome<T>> {
    const res = await this.octokit.request({method: 'POST', url: this.graphqlUrl, query, variables,
      request: {signal: this.signal, parseSuccessResponseBody: false}});
    const body = res.data as ReadableStream<Uint8Array> | null;
    type Body = {data?: T | null; errors?: GraphqlOutcome<T>['errors']};
    const parsed = (body === null ? {} : JSON.parse(await new Response(body).text())) as Body;
    return {data: parsed.data ?? null, errors: parsed.errors ?? []};
  }
}

/** GitHub's GraphQL endpoint for a REST base URL: /graphql, or /api/graphql on Enterprise Server (/api/v3). */
export function graphqlUrlFor(baseUrl: string): string {
  const ghes = /\/api\/v3\/?$/;
  return ghes.test(baseUrl) ? baseUrl.replace(ghes, '/api/graphql') : `${baseUrl.replace(/\/+$/, '')}/graphql`;
}

/** A client for `org`, paced by the context's limiter and aborted with its signal. */
export async function connect(ctx: ProviderContext<unknown>, org: string): Promise<GithubClient> {
  const cfg = ctx.config as GithubConfig;
  // One provider call fans out into up to 100 requests at once, each listening to the call's signal.
  setMaxListeners(0, ctx.signal);
  if (!cfg.token && !cfg.app) throw new ConfigError('providers.github needs token (token_file) or app.');
  const octokit = await octokitFor(cfg, ctx, org);
  return new GithubClient(octokit, org, cfg.app ? 'app' : 'token', ctx.signal, graphqlUrlFor(cfg.base_url));
}
