// The HTTP front of the GitHub simulator: concurrency accounting, latency and fault knobs, scripted failures, then
// GraphQL or REST (route matched and validated against the OpenAPI description, authenticated, primary and
// secondary limits applied, then the handler). Every request is logged.
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import {randomBytes} from 'node:crypto';
import {authenticate, type Authenticated, JWT_OPERATIONS, presented, type Presented, principalKey} from './auth.js';
import {badCredentials, badJson, HttpError, invalidRequest, notFound, requiresAuthentication, serverError} from './errors.js';
import {handleGraphql} from './graphql.js';
import {primaryHeaders, type RateLimits} from './rate_limit.js';
import type {Handler, Reply} from './route_kit.js';
import type {SpecValidator} from './spec.js';
import type {SimState} from './state.js';
import type {Principal} from './types.js';
import {readBody} from '../support/read_body.js';

export interface FaultOptions {
  /** Share of requests answered 502 before anything happens (0..1). */
  readonly status5xxRate?: number;
  /** Share of requests that never get an answer (0..1). */
  readonly timeoutRate?: number;
}

/** A failure the next matching request gets instead of its answer (429 storms, a primary limit, a 502). */
export interface ScriptedFailure {
  readonly kind: 'secondary' | 'primary' | 'server_error';
  /** Only requests to GraphQL (true), only REST (false), or both. */
  readonly graphql?: boolean;
  /** Status of a secondary or primary limit: 403 (GitHub's usual) or 429. */
  readonly status?: 403 | 429;
  readonly retryAfterSeconds?: number;
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  /** `METHOD /route/{template}`, `POST /graphql`, or the raw path when nothing matched. */
  endpoint: string;
  operationId: string;
  status: number;
  /** Principal key (`user:dana`, `installation:12`), never the credential. */
  principal: string | null;
  readonly at: number;
}

export interface RequestInfo {
  readonly method: string;
  readonly operationId: string;
  readonly params: Readonly<Record<string, string>>;
  readonly principal: Principal;
}

export interface Knobs {
  latencyMs: number;
  faults: Required<FaultOptions>;
  readonly scripted: ScriptedFailure[];
  readonly random: () => number;
  /** Called after validation, right before the handler: tests change state here to stage races. */
  beforeHandle: ((info: RequestInfo) => void) | undefined;
}

export interface ServerDeps {
  readonly state: SimState;
  readonly spec: SpecValidator;
  readonly limits: RateLimits;
  readonly routes: Readonly<Record<string, Handler>>;
  readonly knobs: Knobs;
  readonly log: RequestLogEntry[];
  readonly hung: Set<ServerResponse>;
  /** Filled in once the server listens. */
  base: string;
}

const MAX_BODY = 10 * 1024 * 1024;
const CONTENT_EXEMPT = new Set(['apps/create-installation-access-token']);

/**
 * Writes the reply once the request has taken the latency knob's time since it arrived. The simulator's own work
 * happens inside that time, as a real service's does, instead of being added to it: GitHub serves concurrent
 * requests side by side, this one thread serves them one after another, and only the latency is GitHub's.
 */
function send(res: ServerResponse, reply: Reply, due: number): void {
  const status = reply.status ?? 200;
  const payload = status === 204 ? undefined : reply.raw ?? JSON.stringify(reply.json ?? {});
  const write = (): void => {
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
    if (payload === undefined) {
      res.writeHead(status);
      res.end();
      return;
    }
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.writeHead(status);
    res.end(payload);
  };
  const wait = due - performance.now();
  // Unref'd: an answer still waiting out its latency does not keep a closing test process alive.
  if (wait > 0) setTimeout(write, wait).unref();
  else write();
}

/** The rate-limit key of a credential before it is verified, so concurrency is counted from the first byte. */
function concurrencyKey(state: SimState, cred: Presented | undefined): string {
  if (!cred) return 'anonymous';
  if (cred.isJwt) {
    try {
      const payload = JSON.parse(Buffer.from(cred.credential.split('.')[1] ?? '', 'base64url').toString('utf8')) as {iss?: unknown};
      return `app:${String(payload.iss)}`;
    } catch {
      return 'anonymous';
    }
  }
  const record = state.tokens.get(cred.credential);
  return record ? principalKey(record.principal) : 'anonymous';
}

function queryOf(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    out[key] = values.length === 1 ? values[0] as string : values;
  }
  return out;
}

function scriptedReply(f: ScriptedFailure, deps: ServerDeps, key: string): HttpError {
  if (f.kind === 'server_error') return serverError();
  const headers = primaryHeaders(deps.limits.peek(key, f.graphql ? 'graphql' : 'core', 5000));
  if (f.kind === 'secondary') {
    const e = deps.limits.secondaryError(headers, (f.retryAfterSeconds ?? 1) * 1000);
    return new HttpError(f.status ?? e.status, e.message, e.documentationUrl, e.headers);
  }
  const reset = String(Math.ceil(Date.now() / 1000) + (f.retryAfterSeconds ?? 1));
  return new HttpError(f.status ?? 403, 'API rate limit exceeded for user ID 1.',
    'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#primary-rate-limit',
    {...headers, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset});
}

function rateLimitReply(limits: RateLimits, auth: Authenticated): Reply {
  const core = limits.peek(auth.key, 'core', auth.coreLimit);
  const graphql = limits.peek(auth.key, 'graphql', auth.graphqlLimit);
  const view = (p: typeof core): Record<string, number | string> =>
    ({limit: p.limit, remaining: p.remaining, reset: p.reset, used: p.used, resource: p.resource});
  return {json: {resources: {core: view(core), graphql: view(graphql)}, rate: view(core)}, headers: primaryHeaders(core)};
}

/** The reply to one request; undefined when a timeout fault leaves it unanswered. */
async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry,
  cred: Presented | undefined, admitted: boolean, key: string): Promise<Reply | undefined> {
  const {state, knobs, limits} = deps;
  const method = req.method ?? 'GET';
  const raw = await readBody(req, MAX_BODY, () => new HttpError(413, 'Payload too large'));
  if (knobs.faults.timeoutRate > 0 && knobs.random() < knobs.faults.timeoutRate) {
    deps.hung.add(res);
    res.on('close', () => deps.hung.delete(res));
    return undefined;
  }
  if (knobs.faults.status5xxRate > 0 && knobs.random() < knobs.faults.status5xxRate) throw serverError();
  const isGraphql = url.pathname === '/graphql';
  const scriptedIndex = knobs.scripted.findIndex((f) => f.graphql === undefined || f.graphql === isGraphql);
  if (scriptedIndex >= 0) {
    const [f] = knobs.scripted.splice(scriptedIndex, 1) as [ScriptedFailure];
    throw scriptedReply(f, deps, key);
  }
  if (!admitted) throw limits.secondaryError({}, 1000);

  let body: unknown;
  let bodyError = false;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      bodyError = true;
    }
  }

  if (isGraphql && method === 'POST') {
    entry.endpoint = 'POST /graphql';
    entry.operationId = 'graphql';
    if (!cred) throw new HttpError(401, 'This endpoint requires you to be authenticated.', 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql');
    const auth = authenticate(state, cred);
    if (auth.principal.kind === 'app') throw badCredentials();
    entry.principal = auth.key;
    if (bodyError) throw badJson();
    // The log names GraphQL requests by their operation ("graphql RepoAccess"), so tests can count each kind.
    const query = (body as {query?: unknown} | undefined)?.query;
    const name = typeof query === 'string' ? /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] : undefined;
    if (name) entry.operationId = `graphql ${name}`;
    return handleGraphql({state, limits, auth, body});
  }
  const match = await deps.spec.check({method, path: url.pathname, query: queryOf(url), body,
    contentType: req.headers['content-type']});
  if (match.kind !== 'ok') throw notFound();
  entry.endpoint = `${method} ${match.route}`;
  entry.operationId = match.operationId;
  if (!cred) throw requiresAuthentication();
  const auth = authenticate(state, cred);
  entry.principal = auth.key;
  if ((auth.principal.kind === 'app') !== JWT_OPERATIONS.has(match.operationId)) {
    throw new HttpError(401, auth.principal.kind === 'app' ? 'A JSON web token could not be decoded' : 'Bad credentials');
  }
  if (bodyError) throw badJson();
  if (match.failure) throw invalidRequest(`For '${match.failure.where}/${match.failure.field}': ${match.failure.detail}`);
  // "Accessing this endpoint does not count against your REST API rate limit" (docs: rate-limit/get).
  if (match.operationId === 'rate-limit/get') return rateLimitReply(limits, auth);
  const primary = limits.spend(auth.key, auth.who, 'core', auth.coreLimit, 1);
  const headers = primaryHeaders(primary);
  // Every authenticated answer carries the budget, errors included.
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  const isRead = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
  const contentGenerating = (method === 'POST' || method === 'PUT' || method === 'PATCH') && !CONTENT_EXEMPT.has(match.operationId);
  limits.checkSecondary(auth.key, entry.endpoint, isRead ? 1 : 5, contentGenerating, headers);
  knobs.beforeHandle?.({method, operationId: match.operationId, params: match.pathParams, principal: auth.principal});
  const handler = deps.routes[match.operationId];
  if (!handler) throw new HttpError(501, `${match.operationId} is not implemented by the GitHub simulator.`);
  const reply = handler({state, base: deps.base, principal: auth.principal, params: match.pathParams, url, body});
  return {...reply, headers: {...headers, ...reply.headers}};
}

export function createSimServer(deps: ServerDeps): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const entry: RequestLogEntry = {method: req.method ?? 'GET', path: url.pathname, endpoint: url.pathname,
      operationId: '', status: 0, principal: null, at: Date.now()};
    res.setHeader('x-github-request-id', `${randomBytes(4).toString('hex').toUpperCase()}:${randomBytes(4).toString('hex').toUpperCase()}`);
    res.setHeader('x-github-api-version-selected', '2022-11-28');
    const cred = presented(req.headers);
    const key = concurrencyKey(deps.state, cred);
    const admitted = deps.limits.enter(key);
    let left = false;
    const leave = (): void => {
      if (left) return;
      left = true;
      deps.limits.leave(key);
    };
    res.on('close', leave);
    res.on('finish', () => {
      leave();
      entry.status = res.statusCode;
      deps.log.push(entry);
    });
    const due = performance.now() + deps.knobs.latencyMs;
    handle(deps, req, res, url, entry, cred, admitted, key).then((reply) => {
      if (reply) send(res, reply, due);
    }, (e: unknown) => {
      if (res.headersSent) return;
      const error = e instanceof HttpError ? e : new HttpError(500, `Simulator error: ${String(e)}`);
      send(res, {status: error.status, json: error.toBody(), headers: error.headers}, due);
    });
  });
}
