// The HTTP front of the simulator: rate limit, fault and latency knobs, spec matching and validation,
// authentication, then the route handler. Every /api/v4 request is logged.

import type {IncomingMessage, ServerResponse} from 'node:http';
import http from 'node:http';
import busboy from 'busboy';
import {authenticate, presentedToken} from './auth.js';
import type {Authenticated} from './auth.js';
import type {SimCore} from './core.js';
import {ApiError, apiNotFound, invalidBodyParam, invalidParam, invalidUrlParam, methodNotAllowed, sessionExpired} from './errors.js';
import {isValidId, newId} from './ids.js';
import {GcraLimiter, rateLimitHeaders} from './rate_limit.js';
import type {Reply, Upload} from './routes/context.js';
import {PUBLIC_OPERATIONS, ROUTES} from './routes/index.js';
import {handleSiteRoute} from './routes/site.js';
import type {SpecValidator} from './spec.js';
import {readBody} from '../support/read_body.js';

export interface FaultOptions {
  /** Share of /api/v4 requests answered 503 before anything happens (0..1). */
  readonly status5xxRate?: number;
  /** Share of /api/v4 requests that never get an answer (0..1); they hang until the client gives up. */
  readonly timeoutRate?: number;
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  status: number;
  userId: string | null;
  readonly at: number;
}

/** Mutable knobs the simulator changes at runtime. */
export interface Knobs {
  latencyMs: number;
  limiter: GcraLimiter | undefined;
  faults: Required<FaultOptions>;
  readonly random: () => number;
}

const MAX_BODY_BYTES = 100 * 1024 * 1024;
const NOT_VALIDATED_PARAMS = new Set(['plugin_id', 'action_id']);

function parseMultipart(req: IncomingMessage, raw: Buffer): Promise<{fields: Record<string, string>; uploads: Upload[]}> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const uploads: Upload[] = [];
    const bb = busboy({headers: req.headers});
    bb.on('field', (name, value) => (fields[name] = value));
    bb.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => uploads.push({field, filename: info.filename ?? 'file', mimeType: info.mimeType, content: Buffer.concat(chunks)}));
    });
    bb.on('close', () => resolve({fields, uploads}));
    bb.on('error', () => reject(invalidParam('multipart form')));
    bb.end(raw);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = {...(reply.headers ?? {})};
  if (reply.raw !== undefined) {
    headers['Content-Type'] = reply.contentType ?? 'application/octet-stream';
    res.writeHead(reply.status ?? 200, headers);
    res.end(reply.raw);
    return;
  }
  headers['Content-Type'] = 'application/json';
  res.writeHead(reply.status ?? 200, headers);
  res.end(JSON.stringify(reply.json ?? null));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function createSimServer(core: SimCore, spec: SpecValidator, knobs: Knobs, log: RequestLogEntry[], hung: Set<ServerResponse>): http.Server {
  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, entry: RequestLogEntry, raw: Buffer, requestId: string): Promise<void> {
    const method = req.method ?? 'GET';
    const presented = presentedToken(req, url.searchParams);
    if (knobs.latencyMs > 0) await sleep(knobs.latencyMs);
    if (knobs.limiter !== undefined) {
      const byUser = knobs.limiter.options.varyByUser ?? true;
      const key = byUser && presented !== undefined ? `token:${presented.token}` : `addr:${req.socket.remoteAddress ?? ''}`;
      const result = knobs.limiter.take(key);
      for (const [k, v] of Object.entries(rateLimitHeaders(result))) res.setHeader(k, v);
      if (result.limited) {
        // http.Error in Go: text/plain with a trailing newline.
        send(res, {status: 429, raw: 'limit exceeded\n', contentType: 'text/plain; charset=utf-8', headers: {'X-Content-Type-Options': 'nosniff'}});
        return;
      }
    }
    if (knobs.faults.timeoutRate > 0 && knobs.random() < knobs.faults.timeoutRate) {
      // Logged now with status 0: no answer will ever be written.
      hung.add(res);
      res.on('close', () => hung.delete(res));
      log.push(entry);
      return;
    }
    if (knobs.faults.status5xxRate > 0 && knobs.random() < knobs.faults.status5xxRate) {
      throw new ApiError(503, 'api.server.unavailable.app_error', 'The server is temporarily unavailable (simulated fault).');
    }
    // Parse first, but report in the server's order: unknown route, then session, then bad parameters.
    let parsed: unknown;
    let uploads: Upload[] = [];
    let bodyError: ApiError | undefined;
    const contentType = req.headers['content-type'] ?? '';
    if (contentType.startsWith('multipart/form-data')) {
      try {
        const form = await parseMultipart(req, raw);
        parsed = form.fields;
        uploads = form.uploads;
      } catch (e) {
        bodyError = e instanceof ApiError ? e : invalidParam('multipart form');
      }
    } else if (raw.length > 0) {
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        bodyError = invalidBodyParam('body');
      }
    }
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] as string) : values;
    }
    const match = await spec.check({method, path: url.pathname, query, body: parsed});
    if (match.kind === 'not_found') throw apiNotFound();
    if (match.kind === 'method_not_allowed') throw methodNotAllowed();
    let auth: Authenticated | undefined;
    if (presented !== undefined) auth = authenticate(core, presented, method, req);
    if (auth === undefined && !PUBLIC_OPERATIONS.has(match.operationId)) throw sessionExpired();
    entry.userId = auth?.user.id ?? null;
    for (const [name, value] of Object.entries(match.pathParams)) {
      if (!name.endsWith('_id') || NOT_VALIDATED_PARAMS.has(name)) continue;
      if (!isValidId(value) && !(name === 'user_id' && value === 'me')) throw invalidUrlParam(name);
    }
    if (bodyError !== undefined) throw bodyError;
    if (match.failure !== undefined) {
      const {failure} = match;
      const error = failure.where === 'body' ? invalidBodyParam(failure.name) : invalidUrlParam(failure.name);
      throw new ApiError(error.status, error.id, error.message, failure.detail);
    }
    const handler = ROUTES[match.operationId];
    if (handler === undefined) {
      throw new ApiError(501, 'api.simulator.not_implemented.app_error', `${match.operationId} is not implemented by the Mattermost simulator.`);
    }
    send(res, await handler({
      core, operationId: match.operationId, params: match.pathParams, query: url.searchParams, body: parsed, uploads,
      session: auth?.session, user: auth?.user, requestId,
    }));
  }

  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const requestId = newId();
    const entry: RequestLogEntry = {method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status: 0, userId: null, at: Date.now()};
    res.setHeader('X-Request-ID', requestId);
    res.setHeader('X-Version-Id', `${core.config.version}.${core.config.buildNumber}.simulator.false`);
    const isApi = url.pathname.startsWith('/api/v4/');
    const fail = (e: unknown): void => {
      if (res.headersSent) return;
      const error = e instanceof ApiError ? e : new ApiError(500, 'api.context.unknown_error.app_error', 'An unknown error has occurred.', String(e));
      send(res, {status: error.status, json: error.toBody(requestId)});
    };
    res.on('finish', () => {
      entry.status = res.statusCode;
      if (isApi) log.push(entry);
    });
    readBody(req, MAX_BODY_BYTES,
      () => new ApiError(413, 'api.context.request_too_large.app_error', 'Request body too large.'))
      .then(async (raw) => {
        if (isApi) return handleApi(req, res, url, entry, raw, requestId);
        const reply = handleSiteRoute(core, {method: req.method ?? 'GET', path: url.pathname, contentType: req.headers['content-type'] ?? '', body: raw});
        if (reply === undefined) throw apiNotFound();
        send(res, reply);
      })
      .catch(fail);
  });
}
