// The simulator's rate limits with GitHub's headers and bodies: the primary budget (x-ratelimit-*), and the secondary
// limits (concurrency, points per endpoint and window, content writes) answering 403 or 429 with retry-after; plus the
// latency, fault and scripted-failure knobs and the request log.
import {afterEach, describe, expect, it} from '@jest/globals';
import {ops, seedGithubOrg, startGithubSim, type GithubSim, type GithubSimOptions} from './index.js';
import {call} from './test_support.js';

let sims: GithubSim[] = [];
async function start(options: GithubSimOptions = {}): Promise<{sim: GithubSim; token: string}> {
  const sim = await startGithubSim(options);
  sims.push(sim);
  return {sim, token: seedGithubOrg(sim).ownerToken};
}
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

describe('github simulator: primary rate limit', () => {
  it('counts down x-ratelimit-remaining and refuses with 403 at zero', async () => {
    const {sim, token} = await start({limits: {coreLimit: 3}});
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push((await call(sim, token, 'GET', '/orgs/acme')).headers.get('x-ratelimit-remaining') ?? '');
    expect(seen).toEqual(['2', '1', '0']);
    const refused = await call(sim, token, 'GET', '/orgs/acme');
    expect(refused).toMatchObject({status: 403, body: {message: expect.stringMatching(/^API rate limit exceeded for user ID \d+\./)}});
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(refused.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(refused.headers.get('x-ratelimit-resource')).toBe('core');
    expect(sim.limits.primaryHits).toBe(1);
    // GET /rate_limit does not count.
    expect((await call(sim, token, 'GET', '/rate_limit')).body.resources.core).toMatchObject({limit: 3, remaining: 0, used: 3});
  });
});

describe('github simulator: secondary rate limits', () => {
  it('refuses more concurrent requests than allowed, with retry-after', async () => {
    const {sim, token} = await start({latencyMs: 150, limits: {maxConcurrent: 2}});
    const results = await Promise.all([0, 1, 2].map(() => call(sim, token, 'GET', '/orgs/acme')));
    const refused = results.filter((r) => r.status === 403);
    expect(refused).toHaveLength(1);
    expect(refused[0]?.body.message).toMatch(/^You have exceeded a secondary rate limit/);
    expect(refused[0]?.headers.get('retry-after')).toBe('1');
  });

  it('limits points per endpoint and window (writes cost 5) and lets requests through once the window moves', async () => {
    const {sim, token} = await start({limits: {restPointsPerWindow: 12, windowMs: 1000, secondaryStatus: 429}});
    expect((await call(sim, token, 'DELETE', '/orgs/acme/invitations/999999')).status).toBe(404);
    expect((await call(sim, token, 'DELETE', '/orgs/acme/invitations/999998')).status).toBe(404);
    const third = await call(sim, token, 'DELETE', '/orgs/acme/invitations/999997');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    // Another endpoint has its own points.
    expect((await call(sim, token, 'GET', '/orgs/acme')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1050));
    expect((await call(sim, token, 'DELETE', '/orgs/acme/invitations/999997')).status).toBe(404);
  });

  it('limits content-generating requests per window', async () => {
    const {sim, token} = await start({limits: {contentPerWindow: 2}});
    const put = () => call(sim, token, 'PUT', '/repos/acme/docs/collaborators/bob-m', {permission: 'push'});
    expect([(await put()).status, (await put()).status, (await put()).status]).toEqual([204, 204, 403]);
    expect(sim.limits.secondaryHits).toBe(1);
  });
});

describe('github simulator: knobs', () => {
  it('adds latency, injects scripted failures and faults, and logs every request without credentials', async () => {
    const {sim, token} = await start({latencyMs: 60});
    const t0 = Date.now();
    await call(sim, token, 'GET', '/orgs/acme');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(60);
    sim.setLatency(0);
    sim.scriptFailures({kind: 'secondary', retryAfterSeconds: 7, status: 429}, {kind: 'server_error'});
    const limited = await call(sim, token, 'GET', '/orgs/acme');
    expect(limited).toMatchObject({status: 429, body: {message: expect.stringContaining('secondary rate limit')}});
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await call(sim, token, 'GET', '/orgs/acme')).status).toBe(502);
    sim.setFaults({status5xxRate: 1});
    expect((await call(sim, token, 'GET', '/orgs/acme')).status).toBe(502);
    sim.setFaults({});
    expect((await call(sim, token, 'GET', '/orgs/acme')).status).toBe(200);
    expect(sim.requests.map((r) => r.status)).toEqual([200, 429, 502, 502, 200]);
    expect(sim.requests[0]).toMatchObject({endpoint: 'GET /orgs/{org}', operationId: 'orgs/get', principal: 'user:acme-admin'});
    expect(JSON.stringify(sim.requests)).not.toContain(token);
    ops.createUser(sim.state, {login: 'late'});
    expect(sim.mutations()).toEqual([]);
  });
});
