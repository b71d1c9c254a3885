// The simulator's REST front: every request is matched and validated against @octokit/openapi's description (and
// ghec.json for the Enterprise Cloud-only paths), authenticated like GitHub, paged with Link headers, and answers
// GitHub's error bodies; plus GitHub's access rules (base permission floor, member removal, outside collaborators).
import {describe, expect, it} from '@jest/globals';
import {createPrivateKey, createSign} from 'node:crypto';
import type {GithubSim, SeededGithub} from './index.js';
import {call, useSeededGithubSim} from './test_support.js';

let sim: GithubSim;
let seed: SeededGithub;
useSeededGithubSim((s, seeded) => {
  sim = s;
  seed = seeded;
});

/** A GitHub App JWT (RS256, iss = app id) signed with the seeded App's key. */
function appJwt(appId: number, pem: string, lifetimeS = 600): string {
  const now = Math.floor(Date.now() / 1000) - 30;
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({alg: 'RS256', typ: 'JWT'})}.${part({iat: now, exp: now + lifetimeS, iss: appId})}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(createPrivateKey(pem)).toString('base64url');
  return `${unsigned}.${signature}`;
}

describe('github simulator: validation against the OpenAPI description', () => {
  it('rejects parameters and bodies the description does not allow, with GitHub\'s 422 body', async () => {
    const t = seed.ownerToken;
    const badPage = await call(sim, t, 'GET', '/orgs/acme/repos?per_page=abc');
    expect(badPage).toMatchObject({status: 422, body: {message: expect.stringContaining('per_page'), status: '422',
      documentation_url: expect.stringContaining('docs.github.com')}});
    expect((await call(sim, t, 'GET', '/orgs/acme/repos?type=bogus')).status).toBe(422);
    const badBody = await call(sim, t, 'PUT', '/repos/acme/docs/collaborators/bob-m', {permission: 5});
    expect(badBody).toMatchObject({status: 422, body: {message: expect.stringContaining('permission')}});
    expect((await call(sim, t, 'POST', '/orgs/acme/personal-access-tokens', {action: 'revoke', pat_ids: []})).status).toBe(422);
    expect((await call(sim, t, 'PUT', '/repos/acme/docs/collaborators/bob-m', '{"permission":')).body).toMatchObject({message: 'Problems parsing JSON'});
    // Nothing changed.
    expect(sim.state.org('acme')?.repos.get('docs')?.collaborators.has('bob-m')).toBe(false);
  });

  it('answers 404 for paths and methods GitHub does not have', async () => {
    expect(await call(sim, seed.ownerToken, 'GET', '/orgs/acme/nonsense/path')).toMatchObject({status: 404, body: {message: 'Not Found'}});
    expect((await call(sim, seed.ownerToken, 'PATCH', '/orgs/acme/memberships/dwhitfield')).status).toBe(404);
  });

  it('validates the Enterprise Cloud credential authorizations against ghec.json', async () => {
    const list = await call(sim, seed.ownerToken, 'GET', '/orgs/acme/credential-authorizations?login=dwhitfield');
    expect(list.status).toBe(200);
    expect(list.body.map((c: {credential_type: string}) => c.credential_type).sort()).toEqual(['SSH key', 'personal access token']);
    expect(list.body[0]).not.toHaveProperty('token');
    expect((await call(sim, seed.ownerToken, 'DELETE', '/orgs/acme/credential-authorizations/not-a-number')).status).toBe(422);
    // acme-labs has no SAML SSO: there is nothing to list.
    expect((await call(sim, seed.ownerToken, 'GET', '/orgs/acme-labs/credential-authorizations')).status).toBe(404);
  });
});

describe('github simulator: authentication', () => {
  it('wants a known token, as `token` or `Bearer`', async () => {
    expect(await call(sim, undefined, 'GET', '/orgs/acme')).toMatchObject({status: 401, body: {message: 'Requires authentication'}});
    expect(await call(sim, 'ghp_wrong', 'GET', '/orgs/acme')).toMatchObject({status: 401, body: {message: 'Bad credentials'}});
    expect((await call(sim, seed.ownerToken, 'GET', '/orgs/acme', undefined, 'Bearer')).status).toBe(200);
  });

  it('mints installation tokens for a correctly signed App JWT, and only for it', async () => {
    const jwt = appJwt(seed.app.appId, seed.app.privateKeyPem);
    const installation = await call(sim, jwt, 'GET', '/orgs/acme/installation', undefined, 'Bearer');
    expect(installation).toMatchObject({status: 200, body: {id: seed.app.installations['acme'], app_id: seed.app.appId}});
    const minted = await call(sim, jwt, 'POST', `/app/installations/${seed.app.installations['acme']}/access_tokens`, undefined, 'Bearer');
    expect(minted).toMatchObject({status: 201, body: {token: expect.stringMatching(/^ghs_/)}});
    const asApp = await call(sim, minted.body.token, 'GET', '/orgs/acme');
    expect(asApp.body).toHaveProperty('default_repository_permission', 'read');
    expect(asApp.headers.get('x-ratelimit-limit')).toBe('15000');
    // A JWT is only good for the /app endpoints, a token never for them; a too-long JWT is refused.
    expect((await call(sim, jwt, 'GET', '/orgs/acme', undefined, 'Bearer')).status).toBe(401);
    expect((await call(sim, seed.ownerToken, 'GET', '/orgs/acme/installation')).status).toBe(401);
    expect((await call(sim, appJwt(seed.app.appId, seed.app.privateKeyPem, 3600), 'GET', '/orgs/acme/installation', undefined, 'Bearer')).status).toBe(401);
    // Fine-grained token grants are for Apps only.
    expect((await call(sim, seed.ownerToken, 'GET', '/orgs/acme/personal-access-tokens')).status).toBe(403);
    expect((await call(sim, minted.body.token, 'GET', '/orgs/acme/personal-access-tokens?owner=dwhitfield')).body).toHaveLength(1);
  });
});

describe('github simulator: paging and access rules', () => {
  it('pages with GitHub\'s Link header', async () => {
    const first = await call(sim, seed.ownerToken, 'GET', '/orgs/acme/repos?per_page=4');
    expect(first.body).toHaveLength(4);
    const link = first.headers.get('link') ?? '';
    expect(link).toContain('rel="next"');
    expect(link).toMatch(/[?&]page=3[^>]*>; rel="last"/);
    const last = await call(sim, seed.ownerToken, 'GET', '/orgs/acme/repos?per_page=4&page=3');
    expect(last.body).toHaveLength(1);
    expect(last.headers.get('link')).toContain('rel="first"');
  });

  it('refuses a direct grant below the base permission for members, like GitHub', async () => {
    sim.state.org('acme-labs')?.members.set('bob-m', 'member');
    const labs = sim.state.org('acme-labs');
    if (labs) labs.basePermission = 'write';
    const refused = await call(sim, seed.ownerToken, 'PUT', '/repos/acme-labs/website/collaborators/bob-m', {permission: 'pull'});
    expect(refused).toMatchObject({status: 422, body: {message: 'Cannot assign bob-m permission of pull'}});
    expect((await call(sim, seed.ownerToken, 'PUT', '/repos/acme-labs/website/collaborators/bob-m', {permission: 'admin'})).status).toBe(204);
    // An outsider gets an invitation instead of access.
    const invited = await call(sim, seed.ownerToken, 'PUT', '/repos/acme-labs/website/collaborators/carol-o', {permission: 'push'});
    expect(invited).toMatchObject({status: 201, body: {invitee: {login: 'carol-o'}, permissions: 'write'}});
    if (labs) labs.basePermission = 'none';
  });

  it('hides private repositories from those who cannot see them, and refuses non-admins', async () => {
    const alice = ((): string => {
      const t = 'ghp_alice_for_tests_0000000000';
      sim.state.tokens.set(t, {principal: {kind: 'user', login: 'alice-n'}, coreLimit: 5000, graphqlLimit: 5000, expiresAt: null});
      return t;
    })();
    expect((await call(sim, alice, 'GET', '/repos/acme/infra/collaborators/dwhitfield')).status).toBe(204);
    expect((await call(sim, alice, 'DELETE', '/repos/acme/secrets-vault/collaborators/dwhitfield')).status).toBe(204);
    expect(await call(sim, alice, 'DELETE', '/repos/acme/infra/collaborators/dwhitfield')).toMatchObject({status: 403,
      body: {message: 'Must have admin rights to Repository.'}});
    expect((await call(sim, alice, 'DELETE', '/orgs/acme/memberships/dwhitfield')).status).toBe(403);
    expect((await call(sim, alice, 'GET', '/repos/acme-labs/prototype/invitations')).status).toBe(404);
  });

  it('takes teams, direct grants and private forks away with the membership; outside collaborators leave every repository', async () => {
    const acme = sim.state.org('acme');
    expect((await call(sim, seed.ownerToken, 'DELETE', '/orgs/acme/outside_collaborators/dwhitfield')).status).toBe(422);
    expect((await call(sim, seed.ownerToken, 'DELETE', '/orgs/acme/memberships/dwhitfield')).status).toBe(204);
    expect(acme?.members.has('dwhitfield')).toBe(false);
    expect([...(acme?.teams.values() ?? [])].some((t) => t.members.has('dwhitfield'))).toBe(false);
    expect(acme?.repoList.some((r) => r.collaborators.has('dwhitfield'))).toBe(false);
    expect(sim.state.userRepos.get('dwhitfield')?.map((r) => `${r.name}:${r.private}`)).toEqual(['docs:false']);
    expect((await call(sim, seed.ownerToken, 'DELETE', '/orgs/acme/memberships/dwhitfield')).status).toBe(404);
    expect((await call(sim, seed.ownerToken, 'DELETE', '/orgs/acme-labs/outside_collaborators/dwhitfield')).status).toBe(204);
    expect(sim.state.org('acme-labs')?.repoList.some((r) => r.collaborators.has('dwhitfield'))).toBe(false);
  });
});
