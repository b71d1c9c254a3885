// The simulator's GraphQL endpoint: queries are validated against @octokit/graphql-schema and answered from the same
// state as REST; invalid ones come back in GitHub's error shape; GitHub's paging rules, NOT_FOUND / FORBIDDEN, and the
// cost formula behind `rateLimit` and the x-ratelimit headers.
import {describe, expect, it} from '@jest/globals';
import type {GithubSim, SeededGithub} from './index.js';
import {gql, useSeededGithubSim} from './test_support.js';

let sim: GithubSim;
let seed: SeededGithub;
useSeededGithubSim((s, seeded) => {
  sim = s;
  seed = seeded;
});

describe('github simulator: GraphQL validation', () => {
  it('refuses a field the schema does not have, in GitHub\'s words', async () => {
    const res = await gql(sim, seed.ownerToken, '{ organization(login: "acme") { outsideCollaborators { totalCount } } }');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({errors: [{
      message: "Field 'outsideCollaborators' doesn't exist on type 'Organization'", locations: [{line: 1, column: 33}],
      extensions: {code: 'undefinedField', typeName: 'Organization', fieldName: 'outsideCollaborators'},
    }]});
  });

  it('refuses valid fields the simulator does not answer, naming them, before running anything', async () => {
    const res = await gql(sim, seed.ownerToken, '{ organization(login: "acme") { login description } }');
    expect(res.body.errors).toEqual([expect.objectContaining({message: "Field 'description' on type 'Organization' is not answered by the GitHub simulator"})]);
    expect(res.body.data).toBeUndefined();
  });

  it('reports parse errors, wrong argument types and missing variables', async () => {
    expect((await gql(sim, seed.ownerToken, '{ organization(login: "acme") { login ')).body.errors[0].message).toMatch(/^Parse error: .* at \[1, \d+\]$/);
    expect((await gql(sim, seed.ownerToken, '{ organization(login: 5) { login } }')).body.errors).toHaveLength(1);
    const missing = await gql(sim, seed.ownerToken, 'query($org: String!) { organization(login: $org) { login } }');
    expect(missing.body.errors[0].message).toContain('$org');
    expect((await gql(sim, undefined, '{ viewer { login } }')).status).toBe(401);
  });

  it('enforces GitHub\'s paging boundaries on connections', async () => {
    const none = await gql(sim, seed.ownerToken, '{ organization(login: "acme") { teams { totalCount } } }');
    expect(none.body.errors[0]).toMatchObject({type: 'MISSING_PAGINATION_BOUNDARIES', path: ['organization', 'teams']});
    const tooMany = await gql(sim, seed.ownerToken, '{ organization(login: "acme") { teams(first: 101) { totalCount } } }');
    expect(tooMany.body.errors[0].message).toBe('Requesting 101 records on the `teams` connection exceeds the `first` limit of 100 records.');
  });

  it('pages with opaque cursors: every member once, forwards and back, and refuses a made-up cursor', async () => {
    const page = async (args: string) => (await gql(sim, seed.ownerToken, `{ organization(login: "acme") {
      membersWithRole(${args}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { role node { login } } } } }`)).body;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const body = await page(`first: 2${after ? `, after: "${after}"` : ''}`);
      const conn = body.data.organization.membersWithRole;
      seen.push(...conn.edges.map((e: {role: string; node: {login: string}}) => e.node.login));
      expect(conn.edges.every((e: {role: string}) => e.role === 'ADMIN' || e.role === 'MEMBER')).toBe(true);
      expect(conn.pageInfo.hasPreviousPage).toBe(pages > 0);
      pages++;
      if (!conn.pageInfo.hasNextPage) {
        expect(seen).toHaveLength(conn.totalCount);
        break;
      }
      expect(conn.pageInfo.endCursor).not.toBe(conn.pageInfo.startCursor);
      after = conn.pageInfo.endCursor;
    }
    expect(pages).toBeGreaterThan(1);
    expect(new Set(seen).size).toBe(seen.length);
    // The first page's last member, read back from the second page's start.
    const second = (await page(`first: 2, after: "${(await page('first: 2')).data.organization.membersWithRole.pageInfo.endCursor}"`))
      .data.organization.membersWithRole;
    const back = (await page(`last: 1, before: "${second.pageInfo.startCursor}"`)).data.organization.membersWithRole;
    expect(back.edges.map((e: {node: {login: string}}) => e.node.login)).toEqual(seen.slice(1, 2));
    expect(back.pageInfo).toMatchObject({hasPreviousPage: true, hasNextPage: true});
    const bad = await page('first: 2, after: "bm90IGEgY3Vyc29y"');
    expect(bad.errors[0]).toMatchObject({type: 'INVALID_CURSOR_ARGUMENTS'});
  });
});

describe('github simulator: GraphQL answers', () => {
  it('answers from the same state as REST: teams with roles, direct grants by source, SAML identities', async () => {
    const res = await gql(sim, seed.ownerToken, `query($login: String!) {
      organization(login: "acme") {
        samlIdentityProvider { externalIdentities(first: 5, userName: "dana@example.com") { nodes { user { login } samlIdentity { nameId } } } }
        teams(first: 10, userLogins: [$login]) { nodes { slug members(first: 5, query: $login, membership: IMMEDIATE) { edges { role node { login } } } } }
      }
      repository(owner: "acme", name: "deploy-tools") {
        collaborators(login: $login, first: 1) { edges { permission permissionSources { permission source { __typename } } } }
      }
      rateLimit { cost remaining }
    }`, {login: 'dwhitfield'});
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.organization.samlIdentityProvider.externalIdentities.nodes).toEqual([{user: {login: 'dwhitfield'}, samlIdentity: {nameId: 'dana@example.com'}}]);
    expect(res.body.data.organization.teams.nodes).toEqual([
      {slug: 'backend', members: {edges: [{role: 'MEMBER', node: {login: 'dwhitfield'}}]}},
      {slug: 'platform', members: {edges: [{role: 'MAINTAINER', node: {login: 'dwhitfield'}}]}},
    ]);
    expect(res.body.data.repository.collaborators.edges).toEqual([{permission: 'ADMIN', permissionSources: [
      {permission: 'READ', source: {__typename: 'Organization'}}, {permission: 'ADMIN', source: {__typename: 'Repository'}},
    ]}]);
    expect(res.body.data.rateLimit.cost).toBe(1);
    expect(res.headers.get('x-ratelimit-resource')).toBe('graphql');
  });

  it('answers NOT_FOUND and FORBIDDEN as GitHub does, next to the data it can give', async () => {
    const alice = 'ghp_alice_graphql_000000000000';
    sim.state.tokens.set(alice, {principal: {kind: 'user', login: 'alice-n'}, coreLimit: 5000, graphqlLimit: 5000, expiresAt: null});
    const res = await gql(sim, alice, `{
      a: repository(owner: "acme", name: "nope") { name }
      b: repository(owner: "acme", name: "api") { name collaborators(first: 5) { totalCount } }
    }`);
    expect(res.body.data).toEqual({a: null, b: {name: 'api', collaborators: null}});
    expect(res.body.errors).toEqual([
      expect.objectContaining({type: 'NOT_FOUND', path: ['a'], message: "Could not resolve to a Repository with the name 'acme/nope'."}),
      expect.objectContaining({type: 'FORBIDDEN', path: ['b', 'collaborators']}),
    ]);
  });

  it('costs a 100-repository batch 2 points (200 connection requests / 100)', async () => {
    const fields = Array.from({length: 100}, (_, i) => `r${i}: repository(owner: "acme", name: "api") { collaborators(first: 1) { totalCount } deployKeys(first: 1) { totalCount } }`);
    const res = await gql(sim, seed.ownerToken, `{ ${fields.join('\n')} rateLimit { cost } }`);
    expect(res.body.data.rateLimit.cost).toBe(2);
    expect(res.body.data.r99.deployKeys.totalCount).toBe(1);
  });
});
