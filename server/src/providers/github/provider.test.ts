// The GitHub provider against the simulator over HTTP: Dana's full offboarding as a GitHub App (discover → plan →
// verify fails → execute → verify → execute again as already_done), read-only mode with an owner's token, deploy
// keys deleted on request, and that no credential ever leaves the provider.
import {describe, expect, it} from '@jest/globals';
import {executeAll, inventory, kinds, planFor, startFixture, verifyAll} from './test_support.js';
import {perTestFixtures} from '../../../../test/support/per_test.js';

const fixture = perTestFixtures((manualItems: boolean = true) => startFixture({}, {manualItems}));

const count = (findings: readonly {kind: string}[]): Record<string, number> =>
  findings.reduce<Record<string, number>>((acc, f) => ({...acc, [f.kind]: (acc[f.kind] ?? 0) + 1}), {});

describe('github provider: Dana leaves, as a GitHub App', () => {
  it('discovers everything, verifies nothing early, executes, verifies, and repeats as already_done', async () => {
    const {sim, seed, ctx} = await fixture();
    const c = ctx();
    const inv = await inventory(c);
    expect(inv.identities).toEqual([expect.objectContaining({id: 'dwhitfield', confidence: 'exact',
      source: 'SAML identity in acme (NameID dana@example.com)'})]);
    expect(count(inv.findings)).toEqual({
      org_membership: 1, team_membership: 2, repo_access: 5, repo_invitation: 1, credential_authorization: 2, pat_grant: 1,
      deploy_key: 2, outside_collaborator: 1, org_invitation: 1, fork: 2, local_clones: 2,
    });
    expect(inv.findings.find((f) => f.id === 'team_membership:acme/platform')?.data).toMatchObject({role: 'maintainer'});
    expect(inv.findings.find((f) => f.id === 'repo_access:acme/deploy-tools')).toMatchObject({risk: 'high', data: {permission: 'admin'}});
    expect(inv.findings.filter((f) => f.residual).map((f) => f.kind).sort()).toEqual(['fork', 'fork', 'local_clones', 'local_clones']);
    expect(sim.mutations()).toEqual([]);

    const steps = planFor(inv);
    const auto = steps.filter((s) => s.kind === 'auto');
    expect(auto.map((s) => s.id)).toEqual([
      'github:revoke_credential_authorization:acme/1022', 'github:revoke_credential_authorization:acme/1023',
      'github:revoke_pat_grant:acme/1025', 'github:remove_from_org:acme/dwhitfield',
      'github:cancel_repo_invitation:acme/mobile/dwhitfield', 'github:remove_outside_collaborator:acme-labs/dwhitfield',
      'github:cancel_org_invitation:acme-labs/1036', 'github:remove_repo_access:acme/dwhitfield',
      'github:remove_repo_access:acme-labs/dwhitfield',
    ]);
    expect(steps.filter((s) => s.kind === 'manual').map((s) => s.action).sort())
      .toEqual(['review_residual_access', 'rotate_deploy_key', 'rotate_deploy_key']);

    const early = await verifyAll(c, steps);
    expect([...early].filter(([, v]) => v.ok).map(([id]) => id)).toEqual([]);

    const first = await executeAll(c, steps);
    expect(kinds(first)).toEqual(Object.fromEntries(auto.map((s) => [s.id,
      s.action === 'remove_repo_access' ? 'already_done' : 'done'])));
    const verified = await verifyAll(c, steps);
    expect([...verified].filter(([, v]) => !v.ok).map(([id, v]) => `${id}: ${v.reason}`)).toEqual([]);
    const again = await executeAll(c, steps);
    expect(new Set(Object.values(kinds(again)))).toEqual(new Set(['already_done']));

    // The simulator's own state agrees; other people keep what is theirs.
    const acme = sim.state.org('acme');
    const labs = sim.state.org('acme-labs');
    expect(acme?.members.has('dwhitfield')).toBe(false);
    expect([...(acme?.teams.values() ?? [])].some((t) => t.members.has('dwhitfield'))).toBe(false);
    expect([...(acme?.repoList ?? []), ...(labs?.repoList ?? [])].filter((r) => r.collaborators.has('dwhitfield'))).toEqual([]);
    expect(acme?.repos.get('mobile')?.invitations.size).toBe(0);
    expect(labs?.invitations.size).toBe(0);
    expect([...(acme?.credentialAuthorizations.values() ?? [])].map((a) => a.login)).toEqual(['alice-n']);
    expect([...(acme?.patGrants.values() ?? [])].map((g) => g.owner)).toEqual(['alice-n']);
    expect(acme?.repos.get('secrets-vault')?.collaborators.get('alice-n')).toBe('admin');
    // Leaving the organization deleted her private fork of a private repository; the public fork stays (residual).
    expect(sim.state.userRepos.get('dwhitfield')?.map((r) => r.name)).toEqual(['docs']);
    expect(sim.limits.secondaryHits + sim.limits.primaryHits).toBe(0);

    // No credential anywhere in what the provider produced.
    const everything = JSON.stringify({inv, steps, first: [...first], again: [...again], verified: [...verified], early: [...early]});
    const secrets = [seed.ownerToken, seed.app.privateKeyPem, ...sim.state.tokens.keys()];
    expect(secrets.filter((s) => everything.includes(s))).toEqual([]);
    expect(everything).not.toMatch(/gh[ps]_[A-Za-z0-9_-]{20,}/);
  });

  it('deletes the deploy keys she added when asked, and only those', async () => {
    const {sim, ctx} = await fixture();
    const c = ctx();
    const steps = planFor(await inventory(c), {remove_deploy_keys: true});
    const keySteps = steps.filter((s) => s.action === 'remove_deploy_key');
    expect(keySteps).toHaveLength(2);
    const out = await executeAll(c, keySteps);
    expect(new Set(Object.values(kinds(out)))).toEqual(new Set(['done']));
    expect(new Set(Object.values(kinds(await executeAll(c, keySteps))))).toEqual(new Set(['already_done']));
    const acme = sim.state.org('acme');
    expect([...(acme?.repos.get('deploy-tools')?.deployKeys.values() ?? [])]).toEqual([]);
    expect([...(acme?.repos.get('infra')?.deployKeys.values() ?? [])].map((k) => k.title)).toEqual(['terraform']);
  });
});

describe('github provider: read-only mode with an owner token', () => {
  it('keeps the membership, leaves the teams, lowers direct grants to read and says what a token cannot see', async () => {
    const {sim, ctx} = await fixture();
    const c = ctx({auth: 'token'});
    const inv = await inventory(c);
    // An owner's token cannot list fine-grained token grants: that becomes a manual check, never a silent gap.
    expect(inv.findings.filter((f) => f.kind === 'coverage_gap').map((f) => f.id))
      .toEqual(['coverage_gap:acme/pat_grants', 'coverage_gap:acme-labs/pat_grants']);
    const steps = planFor(inv, {access: 'read_only'});
    expect(steps.filter((s) => s.kind === 'auto').map((s) => s.id)).toEqual([
      'github:revoke_credential_authorization:acme/1022', 'github:revoke_credential_authorization:acme/1023',
      'github:remove_from_team:acme/backend/dwhitfield', 'github:remove_from_team:acme/platform/dwhitfield',
      'github:set_repo_access_read:acme/dwhitfield', 'github:cancel_repo_invitation:acme/mobile/dwhitfield',
      'github:set_repo_access_read:acme-labs/dwhitfield', 'github:cancel_org_invitation:acme-labs/1036',
    ]);
    expect(steps.filter((s) => s.action === 'review_coverage_gap')).toHaveLength(2);

    const first = await executeAll(c, steps);
    expect(new Set(Object.values(kinds(first)))).toEqual(new Set(['done']));
    const verified = await verifyAll(c, steps);
    expect([...verified.values()].every((v) => v.ok)).toBe(true);
    expect(new Set(Object.values(kinds(await executeAll(c, steps))))).toEqual(new Set(['already_done']));

    const acme = sim.state.org('acme');
    expect(acme?.members.get('dwhitfield')).toBe('member');
    expect([...(acme?.teams.values() ?? [])].some((t) => t.members.has('dwhitfield'))).toBe(false);
    const grants = (org: string): Record<string, string> => Object.fromEntries((sim.state.org(org)?.repoList ?? [])
      .filter((r) => r.collaborators.has('dwhitfield')).map((r) => [r.name, r.collaborators.get('dwhitfield') as string]));
    expect(grants('acme')).toEqual({'deploy-tools': 'pull', 'secrets-vault': 'pull', docs: 'pull'});
    expect(grants('acme-labs')).toEqual({prototype: 'pull', 'ml-experiments': 'pull'});
    expect(sim.limits.secondaryHits + sim.limits.primaryHits).toBe(0);
  });
});

describe('github provider: the sandbox without manual items', () => {
  it('plans only automatic steps, so a sandbox run can end verified on its own', async () => {
    const {ctx} = await fixture(false);
    const c = ctx();
    const steps = planFor(await inventory(c));
    expect(steps.filter((s) => s.kind === 'manual')).toEqual([]);
    await executeAll(c, steps);
    expect([...(await verifyAll(c, steps)).values()].every((v) => v.ok)).toBe(true);
  });
});
