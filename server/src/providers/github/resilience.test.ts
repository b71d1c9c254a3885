// The provider when GitHub is not kind: lists longer than a page (and a lagging repository index), secondary limits
// answered 403 or 429 with Retry-After, a primary budget running out, a 502, and 404s that mean "gone" only when a
// read confirms it (a change racing the step) but not when the credential simply cannot see the target.
import {describe, expect, it} from '@jest/globals';
import {isPermanent, isTransient} from '../../engine/errors.js';
import type {StepSpec} from '../../engine/types.js';
import {ops, type GithubSim} from '../../../../test/github_sim/index.js';
import {githubProvider} from './index.js';
import {type Fixture, inventory, planFor, startFixture} from './test_support.js';
import {perTestFixtures} from '../../../../test/support/per_test.js';

const fixture = perTestFixtures(() => startFixture());

/** An organization where everything Dana has sits past the first page of each list. */
function seedWide(sim: GithubSim): void {
  const s = sim.state;
  ops.createOrg(s, {login: 'wide', enterpriseCloud: true, samlSso: true, basePermission: 'none'});
  ops.addMember(s, 'wide', 'acme-admin', 'admin');
  for (let i = 0; i < 250; i++) ops.createRepo(s, 'wide', {name: `r${String(i).padStart(3, '0')}`});
  for (let i = 0; i < 150; i++) {
    const login = `guest${i}`;
    ops.createUser(s, {login});
    ops.inviteToOrg(s, 'wide', {login, inviter: 'acme-admin'});
    ops.addCredentialAuthorization(s, 'wide', {login: 'alice-n', type: 'SSH key', title: `key ${i}`});
  }
  ops.inviteToOrg(s, 'wide', {email: 'dana@example.com', inviter: 'acme-admin'});
  ops.addCredentialAuthorization(s, 'wide', {login: 'dwhitfield', type: 'personal access token', note: 'late'});
  ops.addCollaborator(s, 'wide', 'r005', 'dwhitfield', 'push');
  ops.addCollaborator(s, 'wide', 'r249', 'dwhitfield', 'admin');
  for (let i = 0; i < 120; i++) ops.addDeployKey(s, 'wide', 'r249', {title: `k${i}`, addedBy: i === 119 ? 'dwhitfield' : 'carol-o'});
}

describe('github provider: pagination', () => {
  it('reads every page of repositories, invitations, authorizations and keys', async () => {
    const {sim, ctx} = await fixture();
    seedWide(sim);
    const c = ctx({auth: 'token', section: {orgs: ['wide'], mapping: {dana: 'dwhitfield'}, enterprise: undefined, repo_invitation_scan_limit: 0}});
    const {findings} = await inventory(c);
    expect(findings.filter((f) => ['repo_access', 'org_invitation', 'credential_authorization', 'deploy_key'].includes(f.kind))
      .map((f) => f.id).sort()).toEqual([
      expect.stringMatching(/^credential_authorization:wide\/\d+$/), 'deploy_key:wide/r249/' + String(findings.find((f) => f.kind === 'deploy_key')?.data['key_id']),
      expect.stringMatching(/^org_invitation:wide\/\d+$/), 'repo_access:wide/r005', 'repo_access:wide/r249',
    ]);
    const listed = sim.requests.filter((r) => r.operationId === 'orgs/custom-properties-for-repos-get-organization-values');
    expect(listed).toHaveLength(3);
    expect(sim.requests.some((r) => r.operationId === 'repos/list-for-org')).toBe(false);
    // Without enterprise and over the scan limit, repository invitations become a manual check.
    expect(findings.some((f) => f.id === 'coverage_gap:wide/repo_invitations')).toBe(true);
  });

  it('falls back to the full repository listing when the light one misses repositories', async () => {
    const {sim, ctx} = await fixture();
    seedWide(sim);
    sim.state.propertyIndexLag = 3;
    const c = ctx({auth: 'token', section: {orgs: ['wide'], mapping: {dana: 'dwhitfield'}, enterprise: undefined}});
    const {findings} = await inventory(c);
    expect(findings.filter((f) => f.kind === 'repo_access').map((f) => f.id).sort()).toEqual(['repo_access:wide/r005', 'repo_access:wide/r249']);
    expect(sim.requests.filter((r) => r.operationId === 'repos/list-for-org')).toHaveLength(3);
  });
});

/** The first automatic step of Dana's plan with this action. */
async function stepOf(f: Fixture, action: string): Promise<StepSpec> {
  const step = planFor(await inventory(f.ctx())).find((s) => s.action === action);
  if (!step) throw new Error(`no ${action} step`);
  return step;
}

describe('github provider: partial visibility', () => {
  it('keeps the inventory when the enterprise query is refused, and asks for a manual check instead', async () => {
    const {ctx} = await fixture();
    const {findings} = await inventory(ctx({section: {enterprise: 'someone-elses-enterprise'}}));
    expect(findings.filter((f) => f.kind === 'coverage_gap').map((f) => [f.id, f.data['reason']])).toEqual([
      ['coverage_gap:acme/repo_invitations', expect.stringContaining("Could not resolve to an Enterprise with the slug of 'someone-elses-enterprise'")],
      ['coverage_gap:acme-labs/repo_invitations', expect.stringContaining('someone-elses-enterprise')],
    ]);
    expect(findings.some((f) => f.kind === 'org_membership')).toBe(true);
  });
});

describe('github provider: rate limits', () => {
  it('waits out a secondary limit (403 or 429 with Retry-After) and carries on', async () => {
    const f = await fixture();
    const step = await stepOf(f, 'remove_from_org');
    f.sim.clearRequests();
    f.sim.scriptFailures({kind: 'secondary', graphql: false, status: 403, retryAfterSeconds: 1},
      {kind: 'secondary', graphql: false, status: 429, retryAfterSeconds: 1});
    const started = Date.now();
    await expect(githubProvider.execute(f.ctx(), step)).resolves.toMatchObject({kind: 'done'});
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(f.sim.requests.filter((r) => r.status === 403 || r.status === 429).map((r) => r.status).sort()).toEqual([403, 429]);
    expect(f.sim.state.org('acme')?.members.has('dwhitfield')).toBe(false);
  });

  it('retries GraphQL after a secondary limit too', async () => {
    const f = await fixture();
    f.sim.scriptFailures({kind: 'secondary', graphql: true, status: 403, retryAfterSeconds: 1});
    const {identities} = await inventory(f.ctx());
    expect(identities[0]?.id).toBe('dwhitfield');
    expect(f.sim.requests.some((r) => r.path === '/graphql' && r.status === 403)).toBe(true);
  });

  it('hands a long Retry-After back to the engine instead of sleeping through it', async () => {
    const f = await fixture();
    const step = await stepOf(f, 'cancel_org_invitation');
    f.sim.scriptFailures({kind: 'secondary', graphql: false, retryAfterSeconds: 120});
    const error = await githubProvider.execute(f.ctx(), step).catch((e: unknown) => e);
    expect(isTransient(error)).toBe(true);
    expect((error as {retryAfterMs?: number}).retryAfterMs).toBe(120_000);
    expect(String((error as Error).message)).toContain('secondary rate limit');
  });

  it('stops short of the primary limit: a budget at its reserve is a retry-later, never a 403 from GitHub', async () => {
    const f = await fixture();
    const step = await stepOf(f, 'remove_from_org');
    f.sim.setLimits({coreLimit: 12});
    const c = f.ctx();
    const error = await githubProvider.execute(c, step).catch((e: unknown) => e);
    expect(isTransient(error)).toBe(true);
    expect((error as {retryAfterMs?: number}).retryAfterMs).toBeGreaterThan(3_000_000);
    expect(f.sim.limits.primaryHits).toBe(0);
  });

  it('retries a 502 once GitHub answers again', async () => {
    const f = await fixture();
    const step = await stepOf(f, 'cancel_org_invitation');
    f.sim.scriptFailures({kind: 'server_error', graphql: false});
    await expect(githubProvider.execute(f.ctx(), step)).resolves.toMatchObject({kind: 'done'});
    expect(f.sim.requests.some((r) => r.status === 502)).toBe(true);
  });
});

describe('github provider: 404 is only "gone" when a read confirms it', () => {
  it('a membership removed while the step runs is already_done, confirmed by a fresh read', async () => {
    const f = await fixture();
    const step = await stepOf(f, 'remove_from_org');
    f.sim.beforeHandle((info) => {
      if (info.operationId === 'orgs/remove-membership-for-user') f.sim.state.org('acme')?.members.delete('dwhitfield');
    });
    const outcome = await githubProvider.execute(f.ctx(), step);
    expect(outcome).toMatchObject({kind: 'already_done', evidence: {gone_during_change: true, membership: 'none'}});
    expect(f.sim.requests.filter((r) => r.operationId === 'orgs/remove-membership-for-user').map((r) => r.status)).toEqual([404]);
  });

  it('a 404 for a credential that cannot see the organization is a failure, never already_done', async () => {
    const f = await fixture();
    const step = await stepOf(f, 'remove_from_org');
    ops.createUser(f.sim.state, {login: 'outsider'});
    const token = ops.issueUserToken(f.sim.state, 'outsider');
    const c = f.ctx({auth: 'token', section: {token}});
    for (const run of [() => githubProvider.execute(c, step), () => githubProvider.verify(c, step)]) {
      const error = await run().catch((e: unknown) => e);
      expect(isPermanent(error)).toBe(true);
      expect(String((error as Error).message)).toContain('does not administer the organization');
    }
    expect(f.sim.state.org('acme')?.members.has('dwhitfield')).toBe(true);
  });
});
