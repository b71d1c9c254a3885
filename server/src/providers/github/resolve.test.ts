// Who the person is on GitHub, in order: the explicit mapping, SAML identities by email, members' verified-domain
// emails, and a same-named account only as a candidate to confirm. Ambiguous or not found plans a question, not steps.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import type {Subject} from '../../engine/types.js';
import {ops} from '../../../../test/github_sim/index.js';
import {githubProvider} from './index.js';
import {DANA, type Fixture, planFor, startFixture} from './test_support.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
  const s = f.sim.state;
  // Carol has no SAML identity, only an address on acme's verified domain.
  // Erin has two accounts linked to the same address in different organizations.
  ops.createUser(s, {login: 'erin-work', emails: ['erin@example.com']});
  ops.createUser(s, {login: 'erin-labs', emails: ['erin@example.com']});
  ops.addMember(s, 'acme', 'erin-work');
  ops.addExternalIdentity(s, 'acme', {nameId: 'erin@example.com', emails: ['erin@example.com'], username: 'erin', login: 'erin-work'});
  ops.createOrg(s, {login: 'erin-corp', enterpriseCloud: true, samlSso: true});
  ops.addMember(s, 'erin-corp', 'acme-admin', 'admin');
  ops.addMember(s, 'erin-corp', 'erin-labs');
  ops.addExternalIdentity(s, 'erin-corp', {nameId: 'erin@example.com', emails: ['erin@example.com'], username: 'erin', login: 'erin-labs'});
});
afterAll(async () => {
  await f.sim.close();
});

const person = (username: string, email: string): Subject => ({...DANA, userId: `${username}-id`, username, email});
const resolve = (subject: Subject, section: Record<string, unknown> = {}, auth: 'app' | 'token' = 'token') =>
  githubProvider.resolve(f.ctx({auth, section}), subject);

describe('github check', () => {
  it('passes for the App and for an owner token, and says why a member token is not enough', async () => {
    expect(await githubProvider.check(f.ctx())).toEqual({ok: true, detail: 'ok'});
    expect(await githubProvider.check(f.ctx({auth: 'token'}))).toEqual({ok: true, detail: 'ok'});
    const alice = ops.issueUserToken(f.sim.state, 'alice-n');
    expect(await githubProvider.check(f.ctx({auth: 'token', section: {token: alice}}))).toEqual({ok: false,
      detail: 'acme: the credential does not administer the organization; acme-labs: the credential does not administer the organization'});
    expect(await githubProvider.check(f.ctx({auth: 'token', section: {token: 'ghp_revoked_or_mistyped'}})))
      .toMatchObject({ok: false, detail: expect.stringContaining('acme: credentials rejected (401)')});
  });
});

describe('github resolve', () => {
  it('prefers the explicit mapping, and checks that the account exists', async () => {
    expect(await resolve(DANA, {mapping: {dana: 'bob-m'}})).toEqual([expect.objectContaining({
      id: 'bob-m', confidence: 'exact', source: 'explicit mapping (providers.github.mapping)'})]);
    const typo = await resolve(DANA, {mapping: {dana: 'dwhitfeld'}});
    expect(typo).toEqual([expect.objectContaining({confidence: 'not_found', source: 'explicit mapping names "dwhitfeld", which is no GitHub account'})]);
    expect(planFor({identities: typo, findings: []}).map((s) => s.id)).toEqual(['github:confirm_identity:dana']);
  });

  it('finds the login through the SAML identity of the email, as the App or with a token', async () => {
    for (const auth of ['app', 'token'] as const) {
      const [identity] = await resolve(DANA, {}, auth);
      expect(identity).toMatchObject({id: 'dwhitfield', label: '@dwhitfield', confidence: 'exact',
        source: 'SAML identity in acme (NameID dana@example.com)', data: {login: 'dwhitfield', email: 'dana@example.com', auth}});
    }
  });

  it('falls back to members whose verified-domain emails match', async () => {
    expect(await resolve(person('carol', 'carol@example.com'))).toEqual([expect.objectContaining({
      id: 'carol-o', confidence: 'exact', source: 'verified acme domain email carol@example.com'})]);
  });

  it('reports two matching accounts as ambiguous, with both candidates, and plans only a question', async () => {
    const identities = await resolve(person('erin', 'erin@example.com'), {orgs: ['acme', 'erin-corp'], enterprise: undefined});
    expect(identities).toEqual([expect.objectContaining({id: 'erin', confidence: 'ambiguous', data: expect.objectContaining({
      candidates: [{login: 'erin-work', source: 'SAML identity in acme (NameID erin@example.com)'},
        {login: 'erin-labs', source: 'SAML identity in erin-corp (NameID erin@example.com)'}]})})]);
    const steps = planFor({identities, findings: []});
    expect(steps.map((s) => `${s.kind} ${s.id}`)).toEqual(['manual github:confirm_identity:erin']);
    expect(await githubProvider.discover(f.ctx(), identities[0] as (typeof identities)[number])).toEqual([]);
  });

  it('treats a same-named account as a candidate to confirm, and nothing at all as not found', async () => {
    expect(await resolve(person('bob-m', 'bob@elsewhere.example'))).toEqual([expect.objectContaining({
      confidence: 'ambiguous', data: expect.objectContaining({candidates: [{login: 'bob-m', source: 'same username as in Mattermost'}]})})]);
    expect(await resolve(person('zed', 'zed@nowhere.example'))).toEqual([expect.objectContaining({
      id: 'zed', confidence: 'not_found', label: '@zed (no GitHub account found)'})]);
  });
});
