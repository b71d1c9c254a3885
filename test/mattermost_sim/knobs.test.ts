// Rate limiting with Mattermost's headers and 429 body, fault and latency knobs, and the request log.

import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {GcraLimiter} from './rate_limit.js';
import {seedWorkspace} from './seed.js';
import type {SeededWorkspace} from './seed.js';
import {startMattermostSim} from './sim.js';
import type {MattermostSim} from './sim.js';
import {call} from './test_support.js';

let sim: MattermostSim;
let seed: SeededWorkspace;

beforeAll(async () => {
  sim = await startMattermostSim({rateLimit: {perSec: 1, burst: 2}, seed: 7});
  seed = seedWorkspace(sim);
});

afterAll(async () => {
  await sim.close();
});

describe('rate limit', () => {
  it('counts down with X-RateLimit headers, then answers 429 text/plain "limit exceeded" with Retry-After', async () => {
    // Warm up the validator with another token's bucket, so the four calls below fall within one second.
    await call(sim, seed.botToken, 'GET', '/users/me');
    const results = [];
    for (let i = 0; i < 4; i += 1) results.push(await call(sim, seed.adminToken, 'GET', '/users/me'));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(results.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0']);
    for (const r of results) {
      expect(r.headers.get('x-ratelimit-limit')).toBe('3');
      expect(Number(r.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    }
    const limited = results[3];
    expect(limited?.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(limited?.text.trim()).toBe('limit exceeded');
    expect(Number(limited?.headers.get('retry-after'))).toBe(1);
    // Another token has its own bucket (VaryByUser).
    expect((await call(sim, seed.botToken, 'GET', '/users/me')).status).toBe(200);
  });

  it('can be switched off and on at runtime', async () => {
    sim.setRateLimit(null);
    const res = await call(sim, seed.adminToken, 'GET', '/users/me');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-limit')).toBeNull();
    sim.setRateLimit({perSec: 1000, burst: 0});
    expect((await call(sim, seed.adminToken, 'GET', '/users/me')).headers.get('x-ratelimit-limit')).toBe('1');
    sim.setRateLimit(null);
  });

  it('refills at perSec (GCRA)', () => {
    const limiter = new GcraLimiter({perSec: 10, burst: 0});
    expect(limiter.take('k', 1000).limited).toBe(false);
    const blocked = limiter.take('k', 1050);
    expect(blocked).toMatchObject({limited: true, retryAfterMs: 50});
    expect(limiter.take('k', 1100).limited).toBe(false);
  });
});

describe('faults and latency', () => {
  it('answers 503 for the configured share of requests, before any handler runs', async () => {
    sim.setFaults({status5xxRate: 1});
    const res = await call(sim, seed.adminToken, 'PUT', `/users/${seed.users.erin}/active`, {active: false});
    expect(res.status).toBe(503);
    expect(res.body.status_code).toBe(503);
    expect(sim.state.user(seed.users.erin)?.delete_at).toBe(0);
    sim.setFaults({});
  });

  it('leaves a share of requests unanswered', async () => {
    sim.setFaults({timeoutRate: 1});
    await expect(fetch(`${sim.url}/api/v4/users/me`, {headers: {Authorization: `Bearer ${seed.adminToken}`}, signal: AbortSignal.timeout(200)})).rejects.toThrow();
    sim.setFaults({});
    expect(sim.requests.at(-1)).toMatchObject({path: '/api/v4/users/me', status: 0});
  });

  it('adds latency to every API request', async () => {
    sim.setLatency(120);
    const started = Date.now();
    await call(sim, seed.adminToken, 'GET', '/system/ping');
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    sim.setLatency(0);
  });
});

describe('request log', () => {
  it('records method, path, query, status and user; mutations() keeps only the writes', async () => {
    sim.clearRequests();
    await call(sim, seed.adminToken, 'GET', `/users/${seed.users.bob}/teams?x=1`);
    await call(sim, seed.adminToken, 'POST', '/users/ids', [seed.users.bob]);
    await call(sim, undefined, 'GET', '/users/me');
    expect(sim.requests).toEqual([
      {method: 'GET', path: `/api/v4/users/${seed.users.bob}/teams`, query: {x: '1'}, status: 200, userId: seed.adminUserId, at: expect.any(Number)},
      expect.objectContaining({method: 'POST', path: '/api/v4/users/ids', status: 200}),
      expect.objectContaining({method: 'GET', status: 401, userId: null}),
    ]);
    expect(sim.mutations().map((r) => r.path)).toEqual(['/api/v4/users/ids']);
  });
});
