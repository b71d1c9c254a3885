// Transport of the Mattermost REST client: fetch, 429 handling (Retry-After / X-RateLimit-Reset), timeouts, error
// mapping onto the OffboardError family, paging. Secrets (the token, request bodies) never reach a message or a log.
import {systemClock} from '../clock.js';
import {ConfigError, PermanentError, TransientError} from '../engine/errors.js';
import type {Clock, Limiter, Logger} from '../engine/types.js';

export interface MattermostClientOptions {
  /** Site URL, e.g. `https://chat.example.com` (a trailing `/api/v4` is tolerated). */
  readonly url: string;
  /** Bot or personal access token; sent as `Authorization: Bearer`. */
  readonly token: string;
  readonly limiter?: Limiter;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Per attempt, including reading the body. */
  readonly timeoutMs?: number;
  /** Total time spent waiting out 429s for one call before giving up with a TransientError. */
  readonly maxRateLimitWaitMs?: number;
  readonly userAgent?: string;
  /** Aborts every request and wait of this client (see withSignal). */
  readonly signal?: AbortSignal;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

/** A concrete path plus its template; messages and logs show the template, so ids and emails stay out of them. */
export interface ApiRoute {
  readonly template: string;
  readonly path: string;
}

export interface RequestOptions {
  readonly query?: Query;
  /** Sent as a JSON body. */
  readonly json?: unknown;
  /** Sent as multipart/form-data (fetch sets the boundary). */
  readonly form?: FormData;
  /** `false` for endpoints that need no session: the token is then not sent at all. */
  readonly auth?: boolean;
}

/** A refusal by Mattermost (4xx, 501): retrying the same request will not help. */
export class MattermostApiError extends PermanentError {
  readonly status: number;
  /** The `id` of Mattermost's JSON error, e.g. `api.context.permissions.app_error`. */
  readonly serverErrorId: string | undefined;
  readonly requestId: string | undefined;
  /** 401: the token is wrong, expired or revoked. */
  readonly isAuthError: boolean;

  constructor(message: string, init: {status: number; serverErrorId?: string; requestId?: string; route: string}) {
    super(message, {details: {status: init.status, serverErrorId: init.serverErrorId ?? null,
      requestId: init.requestId ?? null, route: init.route}});
    this.status = init.status;
    this.serverErrorId = init.serverErrorId;
    this.requestId = init.requestId;
    this.isAuthError = init.status === 401;
  }
}

export function isMattermostApiError(e: unknown): e is MattermostApiError {
  return e instanceof MattermostApiError;
}

/** True for Mattermost's 404 (missing user, channel, post, ...). */
export function isNotFound(e: unknown): e is MattermostApiError {
  return e instanceof MattermostApiError && e.status === 404;
}

/** Fills `{name}` placeholders with URL-encoded values; an empty value is refused rather than calling `/users//…`. */
export function apiRoute(template: string, params: Readonly<Record<string, string>> = {}): ApiRoute {
  const path = template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === '') {
      throw new PermanentError(`Missing ${name} for Mattermost route ${template}`);
    }
    return encodeURIComponent(value);
  });
  return {template, path};
}

/** Mattermost clamps per_page to 200 (`model.PerPageMaximum`); asking for more would break the short-page stop. */
export const MAX_PER_PAGE = 200;
const MAX_PAGES = 5000;
const GET_RETRIES = 2;
const GET_RETRY_BASE_MS = 200;
const RATE_LIMIT_BASE_MS = 250;
const MAX_MESSAGE_CHARS = 300;

const silentLog: Logger = {debug() {}, info() {}, warn() {}, error() {}, child: () => silentLog};

interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Transport, failure mapping and paging; the typed endpoint methods live in client.ts. */
export class MattermostHttp {
  readonly baseUrl: string;
  readonly #token: string;
  protected readonly options: MattermostClientOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #timeoutMs: number;
  readonly #maxRateLimitWaitMs: number;
  readonly #userAgent: string;

  constructor(options: MattermostClientOptions) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new ConfigError('The Mattermost URL is not a valid URL.');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConfigError(`The Mattermost URL must use http or https, not ${url.protocol}`);
    }
    if (url.username || url.password) throw new ConfigError('The Mattermost URL must not contain credentials.');
    this.baseUrl = `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/api\/v4$/, '');
    this.#token = options.token;
    this.options = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLog;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
    this.#userAgent = options.userAgent ?? 'offboarding-for-mattermost';
  }

  /**
   * One API call with Mattermost's failure modes handled: 429 is waited out within maxRateLimitWaitMs; network
   * errors, timeouts and 5xx become TransientError (GET alone is retried, twice); 4xx become MattermostApiError.
   */
  async request<T>(method: HttpMethod, path: string | ApiRoute, options: RequestOptions = {}): Promise<T> {
    const route = typeof path === 'string' ? {template: path, path} : path;
    const label = `${method} /api/v4${route.template}`;
    const signal = this.options.signal;
    let rateLimitWaited = 0;
    let rateLimitHits = 0;
    let failures = 0;
    for (;;) {
      let res: RawResponse;
      try {
        res = await this.#schedule(() => this.#send(method, route, options, label));
      } catch (e) {
        if (signal?.aborted || !(e instanceof TransientError)) throw e;
        if (method !== 'GET' || failures >= GET_RETRIES) throw e;
        await this.#clock.sleep(jittered(GET_RETRY_BASE_MS * 2 ** failures), signal);
        failures++;
        continue;
      }
      this.#log.debug({route: label, status: res.status}, 'mattermost request');
      if (res.status === 429) {
        // Mattermost's rate limiter is middleware that answers before the handler runs (server/channels/app/
        // ratelimit.go), so repeating even a POST after a 429 is safe.
        const waitMs = rateLimitWaitMs(res.headers, this.#clock.now())
          ?? jittered(RATE_LIMIT_BASE_MS * 2 ** rateLimitHits);
        if (rateLimitWaited + waitMs > this.#maxRateLimitWaitMs) {
          throw new TransientError(
            `Mattermost rate limit on ${label}: still limited after waiting ${rateLimitWaited} ms`,
            {retryAfterMs: waitMs, details: {status: 429, route: label, waitedMs: rateLimitWaited}},
          );
        }
        this.#log.warn({route: label, waitMs}, 'mattermost rate limited, waiting');
        await this.#clock.sleep(waitMs, signal);
        rateLimitWaited += waitMs;
        rateLimitHits++;
        continue;
      }
      if (res.status >= 500 && res.status !== 501) {
        const err = this.#serverError(res, label);
        if (method !== 'GET' || failures >= GET_RETRIES) throw err;
        await this.#clock.sleep(jittered(GET_RETRY_BASE_MS * 2 ** failures), signal);
        failures++;
        continue;
      }
      if (res.status >= 300 && res.status < 400) {
        throw new ConfigError(`Mattermost redirected ${label} (${res.status}); configure the final server URL`);
      }
      if (res.status >= 400) throw this.#apiError(res, label);
      return parseBody<T>(res, label);
    }
  }

  /** Walks a `page`/`per_page` endpoint until a short page. */
  async *paginate<T>(path: string | ApiRoute, query: Query = {}, perPage = MAX_PER_PAGE): AsyncGenerator<T, void> {
    const size = Math.min(Math.max(1, Math.floor(perPage)), MAX_PER_PAGE);
    const template = typeof path === 'string' ? path : path.template;
    for (let page = 0; page < MAX_PAGES; page++) {
      const items = await this.request<unknown>('GET', path, {query: {...query, page, per_page: size}});
      if (!Array.isArray(items)) throw new PermanentError(`Mattermost GET /api/v4${template} did not answer a list`);
      yield* items as T[];
      if (items.length < size) return;
    }
    throw new PermanentError(`Mattermost GET /api/v4${template} still had results after ${MAX_PAGES} pages`);
  }

  async listAll<T>(path: string | ApiRoute, query: Query = {}, perPage = MAX_PER_PAGE): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this.paginate<T>(path, query, perPage)) out.push(item);
    return out;
  }

  #schedule<T>(fn: () => Promise<T>): Promise<T> {
    const limiter = this.options.limiter;
    return limiter ? limiter.schedule(fn, this.options.signal) : fn();
  }

  async #send(method: HttpMethod, route: ApiRoute, options: RequestOptions, label: string): Promise<RawResponse> {
    const headers: Record<string, string> = {
      'Accept': 'application/json',
      'X-Requested-With': 'XMLHttpRequest',
      'User-Agent': this.#userAgent,
    };
    if (options.auth !== false && this.#token) headers['Authorization'] = `Bearer ${this.#token}`;
    let body: string | FormData | undefined;
    if (options.form) {
      body = options.form;
    } else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['Content-Type'] = 'application/json';
    }
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const own = this.options.signal;
    const signal = own ? AbortSignal.any([own, timeout]) : timeout;
    try {
      // redirect: 'manual' so the bearer token is never replayed to wherever a redirect points.
      const res = await fetch(buildUrl(this.baseUrl, route.path, options.query), {
        method, headers, body, signal, redirect: 'manual',
      });
      return {status: res.status, headers: res.headers, text: await res.text()};
    } catch (e) {
      if (own?.aborted) throw own.reason;
      if (timeout.aborted) {
        throw new TransientError(`Mattermost ${label} timed out after ${this.#timeoutMs} ms`,
          {details: {route: label}});
      }
      throw new TransientError(`Mattermost ${label} failed: ${networkCause(e)}`, {cause: e, details: {route: label}});
    }
  }

  #apiError(res: RawResponse, label: string): MattermostApiError {
    const info = describeError(res, this.#token);
    return new MattermostApiError(`Mattermost ${res.status}${info.summary} (${label})`, {
      status: res.status, serverErrorId: info.id, requestId: info.requestId, route: label,
    });
  }

  #serverError(res: RawResponse, label: string): TransientError {
    const info = describeError(res, this.#token);
    return new TransientError(`Mattermost ${res.status}${info.summary} (${label})`, {
      retryAfterMs: rateLimitWaitMs(res.headers, this.#clock.now()),
      details: {status: res.status, serverErrorId: info.id ?? null, requestId: info.requestId ?? null, route: label},
    });
  }
}

function buildUrl(base: string, path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.append(key, String(value));
  }
  const qs = params.toString();
  return `${base}/api/v4${path}${qs ? `?${qs}` : ''}`;
}

/**
 * How long Mattermost asks us to wait: Retry-After (seconds or an HTTP date) first, then X-RateLimit-Reset, which
 * Mattermost sends as seconds until the bucket resets (server/channels/app/ratelimit.go), not as an epoch.
 */
export function rateLimitWaitMs(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) {
      const ms = Math.ceil(Number(retryAfter) * 1000);
      if (ms > 0) return ms;
    } else {
      const at = Date.parse(retryAfter);
      if (Number.isFinite(at) && at > now) return at - now;
    }
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const ms = Math.ceil(Number(reset) * 1000);
    if (ms > 0) return ms;
  }
  return undefined;
}

/** Exponential back-off with up to +50 % jitter, so replicas hitting the same limit spread out. */
function jittered(ms: number): number {
  return Math.round(ms + Math.random() * ms * 0.5);
}

function describeError(res: RawResponse, token: string): {summary: string; id?: string; requestId?: string} {
  let id: string | undefined;
  let message: string | undefined;
  let requestId = res.headers.get('x-request-id') ?? undefined;
  const contentType = res.headers.get('content-type') ?? '';
  if (contentType.includes('json')) {
    try {
      const body = JSON.parse(res.text) as {id?: unknown; message?: unknown; request_id?: unknown};
      if (typeof body.id === 'string' && body.id) id = body.id;
      if (typeof body.message === 'string' && body.message) message = body.message;
      if (typeof body.request_id === 'string' && body.request_id) requestId = body.request_id;
    } catch {
      // A broken JSON error body still yields the status line below.
    }
  } else if (contentType.startsWith('text/plain') && res.text.length <= MAX_MESSAGE_CHARS) {
    message = res.text;
  }
  const clean = message === undefined ? '' : oneLine(redact(message, token));
  const summary = id ? ` ${oneLine(id)}${clean ? `: ${clean}` : ''}` : clean ? `: ${clean}` : '';
  return {summary, ...(id === undefined ? {} : {id}), ...(requestId === undefined ? {} : {requestId})};
}

function parseBody<T>(res: RawResponse, label: string): T {
  if (res.text.trim() === '') return undefined as T;
  try {
    return JSON.parse(res.text) as T;
  } catch {
    // GET /users/{id}/channels streams its list and ends mid-way when the server fails part-way through.
    throw new TransientError(`Mattermost ${label} answered ${res.status} with a body that is not valid JSON`, {
      details: {status: res.status, route: label},
    });
  }
}

function networkCause(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  const code = (cause as {code?: unknown} | null)?.code;
  if (typeof code === 'string') return code;
  return e instanceof Error ? oneLine(e.message) : 'network error';
}

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, MAX_MESSAGE_CHARS);
}
