// A GitHub login an admin entered in the modal: it replaces the mapping, SAML and verified-email matching, is checked
// to exist (any case, with or without @), and a login GitHub does not know comes back as not found, planned as a question.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {ENTERED_BY_ADMIN} from '../../engine/types.js';
import {identityInput} from './identity.js';
import {githubProvider} from './index.js';
import {DANA, type Fixture, planFor, startFixture} from './test_support.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture();
});
afterAll(async () => {
  await f.sim.close();
});

describe('github resolve with an entered login', () => {
  it('uses the entered login instead of the mapping and SAML, and discovery follows it', async () => {
    const ctx = f.ctx({section: {mapping: {dana: 'bob-m'}}});
    const identities = await githubProvider.resolve(ctx, DANA, {ids: ['@Carol-O']});
    expect(identities).toEqual([expect.objectContaining({id: 'carol-o', label: '@carol-o', confidence: 'exact',
      source: ENTERED_BY_ADMIN, data: expect.objectContaining({login: 'carol-o', entered: '@Carol-O', email: 'dana@example.com'})})]);
    const findings = await githubProvider.discover(ctx, identities[0] as (typeof identities)[number]);
    expect(findings.length).toBeGreaterThan(0);
    expect(new Set(findings.map((x) => x.identityId))).toEqual(new Set(['carol-o']));
  });

  it('reports a login GitHub does not know as not found, which plans a question and no step', async () => {
    const identities = await githubProvider.resolve(f.ctx({auth: 'token'}), DANA, {ids: ['dwhitfeld']});
    expect(identities).toEqual([expect.objectContaining({id: 'dwhitfeld', confidence: 'not_found',
      label: '@dwhitfeld (no such GitHub account)', source: `${ENTERED_BY_ADMIN}: no GitHub account is called "dwhitfeld"`})]);
    expect(await githubProvider.discover(f.ctx(), identities[0] as (typeof identities)[number])).toEqual([]);
    const steps = planFor({identities, findings: []});
    expect(steps.map((s) => `${s.kind} ${s.id}`)).toEqual(['manual github:confirm_identity:dana']);
    expect(steps[0]?.instructions).toMatch(/no GitHub account is called "dwhitfeld"/);
  });

  it('falls back to automatic matching when the hint is empty', async () => {
    expect(await githubProvider.resolve(f.ctx(), DANA, {ids: []})).toEqual([expect.objectContaining({
      id: 'dwhitfield', source: 'SAML identity in acme (NameID dana@example.com)'})]);
  });

  it('describes the field: one login, GitHub\'s login characters', () => {
    expect(identityInput.maxIds).toBe(1);
    const pattern = new RegExp(identityInput.pattern ?? '', 'u');
    expect(['octocat', '@dwhitfield', 'a-b-c', 'x'.repeat(39), 'ldap_user']).toEqual(
      ['octocat', '@dwhitfield', 'a-b-c', 'x'.repeat(39), 'ldap_user'].filter((l) => pattern.test(l)));
    expect(['', '-lead', 'two words', 'x'.repeat(40), 'dana@example.com'].filter((l) => pattern.test(l))).toEqual([]);
  });
});
