// Pure planning: which steps each finding becomes in remove and read-only mode, manual items for what needs a human
// (identity questions, deploy keys by default, shared secrets, residual access, coverage gaps), and determinism.
import {describe, expect, it} from '@jest/globals';
import {buildPlan} from '../../engine/plan.js';
import type {Finding, Identity, JsonObject, StepSpec} from '../../engine/types.js';
import {githubProvider} from './index.js';

const LOGIN = 'dwhitfield';

function identity(overrides: Partial<Identity> = {}, data: JsonObject = {}): Identity {
  return {
    provider: 'github', id: LOGIN, label: `@${LOGIN}`, source: 'SAML identity in acme', confidence: 'exact',
    data: {login: LOGIN, mattermost_username: 'dana', default_access: 'remove', shared_secrets: [], ...data}, ...overrides,
  };
}

function f(kind: string, target: string, data: JsonObject, residual = false): Finding {
  return {provider: 'github', kind, id: `${kind}:${target}`, label: `${kind} ${target}`, identityId: LOGIN, risk: 'medium', residual, data: {login: LOGIN, ...data}};
}

const FINDINGS: Finding[] = [
  f('org_membership', 'acme', {org: 'acme', role: 'admin', base_permission: 'write', teams: ['platform']}),
  f('team_membership', 'acme/platform', {org: 'acme', team: 'platform', role: 'maintainer'}),
  f('repo_access', 'acme/api', {org: 'acme', repo: 'api', permission: 'admin'}),
  f('repo_access', 'acme/docs', {org: 'acme', repo: 'docs', permission: 'pull'}),
  f('repo_invitation', 'acme/mobile', {org: 'acme', repo: 'mobile', permission: 'write'}),
  f('credential_authorization', 'acme/11', {org: 'acme', credential_id: 11, credential_type: 'SSH key', name: 'laptop'}),
  f('pat_grant', 'acme/12', {org: 'acme', grant_id: 12, token_name: 'ci'}),
  f('deploy_key', 'acme/api/13', {org: 'acme', repo: 'api', key_id: 13, title: 'deploy'}),
  f('outside_collaborator', 'labs', {org: 'labs', repos: 1}),
  f('repo_access', 'labs/proto', {org: 'labs', repo: 'proto', permission: 'push'}),
  f('org_invitation', 'labs/14', {org: 'labs', invitation_id: 14, via: 'email'}),
  f('fork', 'dwhitfield/api', {org: 'acme', fork: 'dwhitfield/api'}, true),
  f('coverage_gap', 'labs/pat_grants', {org: 'labs', what: 'pat_grants', reason: 'only a GitHub App can list them'}),
];

function planOf(findings: readonly Finding[], options: JsonObject = {}, id: Identity = identity()): StepSpec[] {
  return buildPlan({providers: [githubProvider], findings: new Map([['github', findings]]),
    identities: new Map([['github', [id]]]), options: {github: options}});
}

const summary = (steps: readonly StepSpec[]): string[] => steps.map((s) => `${s.phase} ${s.kind} ${s.id}`);

describe('github plan', () => {
  it('remove mode: contain the credentials, leave the organizations, sweep, and hand the rest to a human', () => {
    expect(summary(planOf(FINDINGS))).toEqual([
      'contain auto github:revoke_credential_authorization:acme/11',
      'contain auto github:revoke_pat_grant:acme/12',
      'revoke auto github:remove_from_org:acme/dwhitfield',
      'revoke auto github:cancel_repo_invitation:acme/mobile/dwhitfield',
      'revoke auto github:remove_outside_collaborator:labs/dwhitfield',
      'revoke auto github:cancel_org_invitation:labs/14',
      'cleanup auto github:remove_repo_access:acme/dwhitfield',
      'cleanup auto github:remove_repo_access:labs/dwhitfield',
      'cleanup manual github:rotate_deploy_key:acme/api/13',
      'cleanup manual github:review_residual_access:dwhitfield',
      'cleanup manual github:review_coverage_gap:labs/pat_grants',
    ]);
    const steps = planOf(FINDINGS);
    expect(steps.find((s) => s.action === 'remove_repo_access' && s.target.startsWith('acme'))?.params)
      .toEqual({org: 'acme', login: LOGIN, repos: ['api', 'docs']});
    expect(steps.find((s) => s.action === 'remove_outside_collaborator')?.params).toEqual({org: 'labs', login: LOGIN, repos: ['proto']});
    for (const s of steps.filter((x) => x.kind === 'manual')) expect(s.instructions).toEqual(expect.any(String));
  });

  it('asks for a residual review only when there is a fork to delete; local clones stay listed findings', () => {
    const clones = f('local_clones', 'acme', {org: 'acme', repos_readable: 9}, true);
    expect(planOf([clones]).some((s) => s.action === 'review_residual_access')).toBe(false);
    const review = planOf([clones, ...FINDINGS]).find((s) => s.action === 'review_residual_access');
    expect(review?.instructions).toContain('local_clones acme');
    expect(review?.instructions).toContain('fork dwhitfield/api');
  });

  it('is deterministic whatever order the findings come in', () => {
    expect(planOf([...FINDINGS].reverse())).toEqual(planOf(FINDINGS));
  });

  it('deletes deploy keys only when asked', () => {
    const steps = planOf(FINDINGS, {remove_deploy_keys: true});
    expect(steps.find((s) => s.id === 'github:remove_deploy_key:acme/api/13')).toMatchObject({kind: 'auto', phase: 'cleanup',
      params: {org: 'acme', repo: 'api', key_id: 13, login: LOGIN}});
    expect(steps.some((s) => s.action === 'rotate_deploy_key')).toBe(false);
  });

  it('read-only mode demotes, leaves teams, lowers grants above read and says what the base permission keeps', () => {
    const expected = [
      'contain auto github:revoke_credential_authorization:acme/11',
      'contain auto github:revoke_pat_grant:acme/12',
      'revoke auto github:demote_org_owner:acme/dwhitfield',
      'revoke auto github:remove_from_team:acme/platform/dwhitfield',
      'revoke auto github:set_repo_access_read:acme/dwhitfield',
      'revoke manual github:limit_base_permission:acme/dwhitfield',
      'revoke auto github:cancel_repo_invitation:acme/mobile/dwhitfield',
      'revoke auto github:set_repo_access_read:labs/dwhitfield',
      'revoke auto github:cancel_org_invitation:labs/14',
      'cleanup manual github:rotate_deploy_key:acme/api/13',
      'cleanup manual github:review_residual_access:dwhitfield',
      'cleanup manual github:review_coverage_gap:labs/pat_grants',
    ];
    expect(summary(planOf(FINDINGS, {access: 'read_only'}))).toEqual(expected);
    // The configured default applies unless the admin picks otherwise.
    expect(summary(planOf(FINDINGS, {}, identity({}, {default_access: 'read_only'})))).toEqual(expected);
    expect(planOf(FINDINGS, {access: 'remove'}, identity({}, {default_access: 'read_only'})).some((s) => s.action === 'remove_from_org')).toBe(true);
    const lower = planOf(FINDINGS, {access: 'read_only'}).find((s) => s.id === 'github:set_repo_access_read:acme/dwhitfield');
    expect(lower?.params).toEqual({org: 'acme', login: LOGIN, repos: ['api']});
  });

  it('turns configured shared secrets into rotation tasks with their owner', () => {
    const id = identity({}, {shared_secrets: [{name: "Mattermod's GitHub token", instructions: 'Regenerate it.', owner: 'it-admin'}]});
    const step = planOf([], {}, id).find((s) => s.action === 'rotate_shared_secret');
    expect(step).toMatchObject({id: 'github:rotate_shared_secret:mattermod-s-github-token', kind: 'manual', phase: 'cleanup',
      assignee: 'it-admin', title: "Rotate Mattermod's GitHub token"});
    expect(step?.instructions).toContain('Regenerate it.');
  });

  it('asks the admin instead of guessing when the account is ambiguous or not found', () => {
    const ambiguous = identity({id: 'dana', label: '@dana', confidence: 'ambiguous', source: 'several GitHub accounts match'},
      {login: null, candidates: [{login: 'dana1', source: 'SAML identity in acme'}, {login: 'dana2', source: 'SAML identity in labs'}]});
    const steps = planOf(FINDINGS, {}, ambiguous);
    expect(summary(steps)).toEqual(['contain manual github:confirm_identity:dana']);
    expect(steps[0]?.instructions).toContain('@dana1 (SAML identity in acme)');
    expect(steps[0]?.instructions).toContain('providers.github.mapping');
    const missing = planOf([], {}, identity({id: 'dana', confidence: 'not_found', source: 'nothing matches'}, {login: null}));
    expect(missing.map((s) => s.title)).toEqual(["Find @dana's GitHub account, if any"]);
  });
});
