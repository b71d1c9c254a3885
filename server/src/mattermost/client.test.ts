// The REST client against a scripted node:http server: 429 handling, error mapping, retries, pagination, uploads,
// and that the token never leaks into errors.
import {createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from '@jest/globals';
import busboy from 'busboy';
import {ConfigError, PermanentError, TransientError} from '../engine/errors.js';
import type {Clock, Limiter} from '../engine/types.js';
import {apiRoute, isNotFound, MattermostApiError, MattermostClient, type MattermostClientOptions} from './client.js';

const TOKEN = 'bot-token-9f8e7d6c5b4a';
const USER_ID = 'abcdefghijklmnopqrstuvwxyz';

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}
type Handler = (req: Recorded, res: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let requests: Recorded[] = [];
let handler: Handler = (_req, res) => json(res, 200, {});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {'Content-Type': 'application/json', ...headers}).end(JSON.stringify(body));
}

function limitExceeded(res: ServerResponse, headers: Record<string, string>): void {
  res.writeHead(429, {'Content-Type': 'text/plain; charset=utf-8', ...headers}).end('limit exceeded\n');
}

/** Records requested sleeps and moves time at once, so nothing waits for real. */
class RecordingClock implements Clock {
  readonly sleeps: number[] = [];
  private t = Date.UTC(2025, 0, 1);
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += ms;
  }
}

function client(clock: Clock, extra: Partial<MattermostClientOptions> = {}): MattermostClient {
  return new MattermostClient({url: baseUrl, token: TOKEN, clock, ...extra});
}

async function caught(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

function expectNoToken(e: Error): void {
  expect(e.message).not.toContain(TOKEN);
  expect(String(e)).not.toContain(TOKEN);
  expect(JSON.stringify((e as {details?: unknown}).details ?? {})).not.toContain(TOKEN);
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = {method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks)};
      requests.push(rec);
      handler(rec, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  requests = [];
  handler = (_req, res) => json(res, 200, {});
});

describe('requests', () => {
  it('sends the bearer token, the JSON headers and a JSON body', async () => {
    handler = (_req, res) => json(res, 200, {status: 'OK'});
    const res = await client(new RecordingClock()).updateUserActive(USER_ID, false);
    expect(res).toEqual({status: 'OK'});
    const [req] = requests;
    expect(req?.method).toBe('PUT');
    expect(req?.url).toBe(`/api/v4/users/${USER_ID}/active`);
    expect(req?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers['accept']).toBe('application/json');
    expect(req?.headers['x-requested-with']).toBe('XMLHttpRequest');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body.toString() ?? '')).toEqual({active: false});
  });

  it('reads the public client config without sending the token', async () => {
    handler = (_req, res) => json(res, 200, {AsymmetricSigningPublicKey: 'MFkw', SiteURL: 'http://mm'});
    const cfg = await client(new RecordingClock()).getClientConfigOld();
    expect(cfg.AsymmetricSigningPublicKey).toBe('MFkw');
    expect(requests[0]?.url).toBe('/api/v4/config/client?format=old');
    expect(requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('encodes path parameters and refuses empty ones', async () => {
    handler = (_req, res) => json(res, 200, {id: USER_ID, username: 'a'});
    await client(new RecordingClock()).getUserByEmail('a+b@example.com');
    expect(requests[0]?.url).toBe('/api/v4/users/email/a%2Bb%40example.com');
    expect(() => apiRoute('/users/{user_id}', {user_id: ''})).toThrow(PermanentError);
  });

  it('uploads a file as multipart form data', async () => {
    let fields: Record<string, string> = {};
    let file: {name: string; type: string; content: string} | undefined;
    handler = (req, res) => {
      const bb = busboy({headers: req.headers});
      bb.on('field', (name, value) => {
        fields = {...fields, [name]: value};
      });
      bb.on('file', (_name, stream, info) => {
        const parts: Buffer[] = [];
        stream.on('data', (c: Buffer) => parts.push(c));
        stream.on('end', () => {
          file = {name: info.filename ?? '', type: info.mimeType, content: Buffer.concat(parts).toString()};
        });
      });
      bb.on('close', () => json(res, 201, {file_infos: [{id: 'f1', name: file?.name, size: 5}], client_ids: []}));
      bb.end(req.body);
    };
    const info = await client(new RecordingClock())
      .uploadFile(USER_ID, 'report.md', new TextEncoder().encode('# hi!'), 'text/markdown');
    expect(info.id).toBe('f1');
    expect(fields).toEqual({channel_id: USER_ID});
    expect(file).toEqual({name: 'report.md', type: 'text/markdown', content: '# hi!'});
  });

  it('sends every attempt through the limiter', async () => {
    let scheduled = 0;
    const limiter: Limiter = {
      schedule: async (fn) => {
        scheduled++;
        return fn();
      },
    };
    let calls = 0;
    handler = (_req, res) => (calls++ === 0 ? limitExceeded(res, {'Retry-After': '1'}) : json(res, 200, {status: 'OK'}));
    await client(new RecordingClock(), {limiter}).ping();
    expect(scheduled).toBe(2);
  });

  it('does not follow redirects, so the token stays with the configured server', async () => {
    handler = (_req, res) => res.writeHead(302, {Location: 'http://127.0.0.1:1/elsewhere'}).end();
    const e = await caught(client(new RecordingClock()).getMe());
    expect(e).toBeInstanceOf(ConfigError);
    expect(requests).toHaveLength(1);
  });
});

describe('rate limits (429)', () => {
  it('waits Retry-After and then succeeds, also for POST', async () => {
    let calls = 0;
    handler = (_req, res) => (calls++ === 0
      ? limitExceeded(res, {'Retry-After': '3', 'X-RateLimit-Reset': '7'})
      : json(res, 201, {id: 'p1', message: 'hi'}));
    const clock = new RecordingClock();
    const post = await client(clock).createPost({channel_id: USER_ID, message: 'hi'});
    expect(post.id).toBe('p1');
    expect(clock.sleeps).toEqual([3000]);
    expect(requests.map((r) => r.method)).toEqual(['POST', 'POST']);
  });

  it('falls back to X-RateLimit-Reset (seconds until reset)', async () => {
    let calls = 0;
    handler = (_req, res) => (calls++ === 0 ? limitExceeded(res, {'X-RateLimit-Reset': '2'}) : json(res, 200, {}));
    const clock = new RecordingClock();
    await client(clock).getUser(USER_ID);
    expect(clock.sleeps).toEqual([2000]);
  });

  it('backs off exponentially from 250 ms when no header says how long', async () => {
    let calls = 0;
    handler = (_req, res) => (calls++ < 2 ? limitExceeded(res, {}) : json(res, 200, {}));
    const clock = new RecordingClock();
    await client(clock).getUser(USER_ID);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(250);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(375);
    expect(clock.sleeps[1]).toBeGreaterThanOrEqual(500);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(750);
  });

  it('gives up once the wait budget is spent, with a TransientError carrying retryAfterMs', async () => {
    handler = (_req, res) => limitExceeded(res, {'Retry-After': '20'});
    const clock = new RecordingClock();
    const e = await caught(client(clock, {maxRateLimitWaitMs: 60_000}).getUser(USER_ID));
    expect(e).toBeInstanceOf(TransientError);
    expect((e as TransientError).retryAfterMs).toBe(20_000);
    expect(clock.sleeps).toEqual([20_000, 20_000, 20_000]);
    expect(requests).toHaveLength(4);
    expectNoToken(e);
  });
});

describe('errors', () => {
  it('maps a JSON 403 to a MattermostApiError with the server error id and request id', async () => {
    handler = (_req, res) => json(res, 403, {
      id: 'api.context.permissions.app_error', message: 'You do not have the appropriate permissions.',
      detailed_error: '', request_id: 'req123', status_code: 403,
    });
    const e = await caught(client(new RecordingClock()).updateUserActive(USER_ID, false));
    expect(e).toBeInstanceOf(MattermostApiError);
    expect(e).toBeInstanceOf(PermanentError);
    const api = e as MattermostApiError;
    expect(api.message).toBe('Mattermost 403 api.context.permissions.app_error: You do not have the appropriate '
      + 'permissions. (PUT /api/v4/users/{user_id}/active)');
    expect(api.status).toBe(403);
    expect(api.serverErrorId).toBe('api.context.permissions.app_error');
    expect(api.requestId).toBe('req123');
    expect(api.isAuthError).toBe(false);
    expect(isNotFound(api)).toBe(false);
  });

  it('flags 401 as an auth error and redacts the token if the server echoes it', async () => {
    handler = (_req, res) => json(res, 401, {id: 'api.context.session_expired.app_error', message: `bad token ${TOKEN}`});
    const e = await caught(client(new RecordingClock()).getMe());
    expect((e as MattermostApiError).isAuthError).toBe(true);
    expect(e.message).toContain('[redacted]');
    expectNoToken(e);
  });

  it('keeps request bodies out of error messages', async () => {
    handler = (_req, res) => json(res, 400, {id: 'api.post.create_post.app_error', message: 'Invalid post.'});
    const e = await caught(client(new RecordingClock()).createPost({channel_id: USER_ID, message: 'secret-body-text'}));
    expect(e.message).toBe('Mattermost 400 api.post.create_post.app_error: Invalid post. (POST /api/v4/posts)');
  });

  it('answers isNotFound for 404', async () => {
    handler = (_req, res) => json(res, 404, {id: 'app.user.missing_account.const', message: 'Unable to find the user.'});
    const e = await caught(client(new RecordingClock()).getUserByUsername('gone'));
    expect(isNotFound(e)).toBe(true);
    expect(e.message).toContain('(GET /api/v4/users/username/{username})');
  });

  it('turns 5xx into TransientError without retrying a POST', async () => {
    handler = (_req, res) => json(res, 503, {id: 'api.unavailable', message: 'Try later.'}, {'Retry-After': '4'});
    const clock = new RecordingClock();
    const e = await caught(client(clock).revokeAllSessions(USER_ID));
    expect(e).toBeInstanceOf(TransientError);
    expect((e as TransientError).retryAfterMs).toBe(4000);
    expect(requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a GET twice on 5xx, then gives up', async () => {
    handler = (_req, res) => json(res, 500, {id: 'app.boom', message: 'Internal.'});
    const clock = new RecordingClock();
    const e = await caught(client(clock).getTeam(USER_ID));
    expect(e).toBeInstanceOf(TransientError);
    expect(requests).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('recovers when a retried GET succeeds', async () => {
    let calls = 0;
    handler = (_req, res) => (calls++ === 0 ? res.writeHead(502).end('<html>bad gateway</html>') : json(res, 200, {id: 't'}));
    expect(await client(new RecordingClock()).getTeam(USER_ID)).toEqual({id: 't'});
    expect(requests).toHaveLength(2);
  });

  it('treats 501 (feature not licensed) as permanent', async () => {
    handler = (_req, res) => json(res, 501, {id: 'api.ldap_groups.license_error', message: 'No license.'});
    const e = await caught(client(new RecordingClock()).getUserGroups(USER_ID));
    expect(e).toBeInstanceOf(MattermostApiError);
    expect(requests).toHaveLength(1);
  });

  it('turns network errors into TransientError without the token', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const clock = new RecordingClock();
    const mm = new MattermostClient({url: `http://127.0.0.1:${port}`, token: TOKEN, clock});
    const post = await caught(mm.createPost({channel_id: USER_ID, message: 'x'}));
    expect(post).toBeInstanceOf(TransientError);
    expect(clock.sleeps).toEqual([]);
    expectNoToken(post);
    const get = await caught(mm.getMe());
    expect(get).toBeInstanceOf(TransientError);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('times out a request that gets no answer', async () => {
    handler = () => undefined;
    const e = await caught(client(new RecordingClock(), {timeoutMs: 100}).createPost({channel_id: USER_ID, message: 'x'}));
    expect(e).toBeInstanceOf(TransientError);
    expect(e.message).toBe('Mattermost POST /api/v4/posts timed out after 100 ms');
  });

  it('reports a cut-off JSON stream as transient', async () => {
    handler = (_req, res) => res.writeHead(200, {'Content-Type': 'application/json'}).end('[{"id":"c1"},');
    const e = await caught(client(new RecordingClock()).getChannelsForUser(USER_ID));
    expect(e).toBeInstanceOf(TransientError);
  });

  it('stops at once when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('step cancelled'));
    const e = await caught(client(new RecordingClock()).withSignal(controller.signal).getMe());
    expect(e.message).toBe('step cancelled');
    expect(requests).toHaveLength(0);
  });
});

describe('pagination', () => {
  const pagedHandler = (total: number): Handler => (req, res) => {
    const url = new URL(req.url, 'http://x');
    const page = Number(url.searchParams.get('page'));
    const perPage = Number(url.searchParams.get('per_page'));
    const items = Array.from({length: total}, (_, i) => ({id: `t${i}`})).slice(page * perPage, (page + 1) * perPage);
    json(res, 200, items);
  };

  it('walks pages until a short one', async () => {
    handler = pagedHandler(5);
    const items = await client(new RecordingClock()).listAll<{id: string}>('/bots', {include_deleted: true}, 2);
    expect(items.map((i) => i.id)).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(requests.map((r) => r.url)).toEqual([
      '/api/v4/bots?include_deleted=true&page=0&per_page=2',
      '/api/v4/bots?include_deleted=true&page=1&per_page=2',
      '/api/v4/bots?include_deleted=true&page=2&per_page=2',
    ]);
  });

  it('pages typed endpoints 200 at a time', async () => {
    handler = pagedHandler(413);
    const tokens = await client(new RecordingClock()).getUserAccessTokens(USER_ID);
    expect(tokens).toHaveLength(413);
    expect(requests).toHaveLength(3);
    expect(requests[2]?.url).toBe(`/api/v4/users/${USER_ID}/tokens?page=2&per_page=200`);
  });

  it('refuses a page that is not a list', async () => {
    handler = (_req, res) => json(res, 200, {not: 'a list'});
    const e = await caught(client(new RecordingClock()).getOAuthApps());
    expect(e).toBeInstanceOf(PermanentError);
  });
});
