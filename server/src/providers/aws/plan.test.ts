// plan() is pure: the safe order (contain → revoke → DeleteUser), manual steps for what needs an admin, closure only
// behind the option plus a typed confirmation and within the quota, and the same output for shuffled input.
import {describe, expect, it} from '@jest/globals';
import type {Finding, Identity, JsonObject} from '../../engine/types.js';
import {makeFinding, type FindingKind, PROVIDER_ID} from './model.js';
import {plan} from './plan.js';
import {closureQuota} from './plan_manual.js';

const ACCOUNT = '200000000001';
const org: Identity = {provider: PROVIDER_ID, id: 'org:100000000000', label: 'org', source: 'accounts of the organization',
  confidence: 'exact', data: {kind: 'organization', management_account_id: '100000000000', account_count: 40}};
const user: Identity = {provider: PROVIDER_ID, id: `iam:${ACCOUNT}:dana`, label: 'dana', source: 'tag', confidence: 'exact',
  data: {kind: 'iam_user', account_id: ACCOUNT, account_name: 'prod', user_name: 'dana'}};

function f(identity: Identity, kind: FindingKind, target: string, data: JsonObject, residual = false): Finding {
  return makeFinding(identity, kind, target, `${kind} ${target}`, 'high', data, residual);
}

const base = {account_id: ACCOUNT, account_name: 'prod', user_name: 'dana'};
const userFindings: Finding[] = [
  f(user, 'iam_user', `${ACCOUNT}:dana`, base),
  f(user, 'login_profile', `${ACCOUNT}:dana`, base),
  f(user, 'access_key', `${ACCOUNT}:dana/AKIA1`, {...base, access_key_id: 'AKIA1', status: 'Active'}),
  f(user, 'access_key', `${ACCOUNT}:dana/AKIA2`, {...base, access_key_id: 'AKIA2', status: 'Inactive'}),
  f(user, 'mfa_device', `${ACCOUNT}:dana/arn:aws:iam::${ACCOUNT}:mfa/dana`,
    {...base, serial: `arn:aws:iam::${ACCOUNT}:mfa/dana`, virtual: true}),
  f(user, 'group_membership', `${ACCOUNT}:dana/developers`, {...base, group_name: 'developers'}),
  f(user, 'attached_policy', `${ACCOUNT}:dana/arn:aws:iam::aws:policy/ReadOnlyAccess`,
    {...base, policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', policy_name: 'ReadOnlyAccess'}),
  f(user, 'permissions_boundary', `${ACCOUNT}:dana`, {...base, boundary_arn: 'arn:aws:iam::aws:policy/X'}),
  f(user, 'sts_sessions', `${ACCOUNT}:dana`, base, true),
];
const serviceKey = f(org, 'service_key', `${ACCOUNT}:ci-deploy/AKIASVC`, {account_id: ACCOUNT, account_name: 'prod',
  user_name: 'ci-deploy', access_key_id: 'AKIASVC', status: 'Active', created_by: 'IAM user dana',
  created_at: '2026-11-01T00:00:00.000Z', last_used_at: null});
const owned = (id: string, management = false) => f(org, 'owned_account', id, {account_id: id,
  account_name: `sandbox-${id.slice(-2)}`, owner: 'dana@example.com', management});

describe('aws plan', () => {
  it('contains first, revokes every dependent, and deletes the user last', () => {
    const steps = plan(userFindings, {}, [user, org]);
    const byId = new Map(steps.map((s) => [s.id, s]));
    expect(steps.filter((s) => s.phase === 'contain').map((s) => s.id)).toEqual([
      `aws:deny_user:${ACCOUNT}:dana`, `aws:deactivate_access_key:${ACCOUNT}:dana/AKIA1`,
    ]);
    const revoke = steps.filter((s) => s.phase === 'revoke').map((s) => s.action).sort();
    expect(revoke).toEqual(['delete_access_key', 'delete_access_key', 'delete_login_profile', 'delete_mfa_device',
      'detach_policy', 'remove_from_group']);
    const del = byId.get(`aws:delete_user:${ACCOUNT}:dana`);
    expect(del).toMatchObject({phase: 'cleanup', kind: 'auto', params: {policy_name: 'OffboardingDenyAll'}});
    expect([...(del?.dependsOn ?? [])].sort()).toEqual(steps.filter((s) => s.phase === 'revoke').map((s) => s.id).sort());
    expect(byId.get(`aws:delete_mfa_device:${ACCOUNT}:dana/arn:aws:iam::${ACCOUNT}:mfa/dana`)?.params)
      .toMatchObject({virtual: true});
    // The boundary and the residual session note plan nothing: the boundary goes with the user.
    expect(steps.some((s) => s.id.includes('boundary') || s.id.includes('sts_sessions'))).toBe(false);
    expect(steps.every((s) => s.id.startsWith(`aws:${s.action}:`))).toBe(true);
  });

  it('is deterministic for shuffled findings', () => {
    const all = [...userFindings, serviceKey, owned('200000000007')];
    expect(plan([...all].reverse(), {}, [org, user])).toEqual(plan(all, {}, [user, org]));
  });

  it('makes a manual rotation task for a service key, deactivating it only on opt-in', () => {
    const off = plan([serviceKey], {}, [org]);
    expect(off.map((s) => [s.id, s.kind, s.phase])).toEqual([
      [`aws:rotate_access_key:${ACCOUNT}:ci-deploy/AKIASVC`, 'manual', 'cleanup']]);
    expect(off[0]?.instructions).toContain('Create a new key');
    const on = plan([serviceKey], {deactivate_service_keys: true}, [org]);
    expect(on.map((s) => [s.action, s.kind, s.phase])).toEqual([
      ['deactivate_service_key', 'auto', 'contain'], ['rotate_access_key', 'manual', 'cleanup']]);
  });

  it('closes owned accounts only with the option on and the id confirmed, never the management account', () => {
    const findings = [owned('200000000007'), owned('200000000008'), owned('100000000000', true)];
    const kindsOf = (options: JsonObject) => plan(findings, options, [org]).map((s) => `${s.action}:${s.target}`);
    expect(kindsOf({})).toEqual(['review_owned_account:100000000000:100000000000',
      'review_owned_account:100000000000:200000000007', 'review_owned_account:100000000000:200000000008']);
    expect(kindsOf({close_owned_accounts: true, confirm_account_closure: '200000000008, 100000000000'})).toEqual([
      'review_owned_account:100000000000:100000000000', 'review_owned_account:100000000000:200000000007',
      'close_account:100000000000:200000000008']);
    expect(kindsOf({close_owned_accounts: false, confirm_account_closure: '200000000007'}))
      .not.toContain('close_account:100000000000:200000000007');
  });

  it('keeps automatic closures within the rolling 30-day quota', () => {
    expect([closureQuota(5), closureQuota(300), closureQuota(50_000)]).toEqual([10, 30, 1000]);
    const many = Array.from({length: 12}, (_, i) => owned(String(200000000100 + i)));
    const confirm = many.map((x) => x.data['account_id']).join(',');
    const steps = plan(many, {close_owned_accounts: true, confirm_account_closure: confirm}, [org]);
    expect(steps.filter((s) => s.action === 'close_account')).toHaveLength(10);
    const extra = steps.filter((s) => s.action === 'review_owned_account');
    expect(extra).toHaveLength(2);
    expect(extra[0]?.instructions).toContain('quota');
  });

  it('asks the admin about ambiguous, missing and unreachable identities', () => {
    const ambiguous: Identity = {provider: PROVIDER_ID, id: 'iam:200000000002:?', label: 'x', source: 'name patterns',
      confidence: 'ambiguous', data: {kind: 'iam_user', account_id: '200000000002', account_name: 'staging',
        candidates: ['dana', 'dana@example.com']}};
    const missing: Identity = {provider: PROVIDER_ID, id: 'iam:200000000003:dana-x', label: 'x', source: 'mapping',
      confidence: 'not_found', data: {kind: 'iam_user', account_id: '200000000003', account_name: 'dev',
        user_name: 'dana-x'}};
    const unchecked: Identity = {provider: PROVIDER_ID, id: 'account:200000000004', label: 'x', source: 'AccessDenied',
      confidence: 'not_found', data: {kind: 'unchecked_account', account_id: '200000000004', account_name: 'data',
        reason: 'cannot assume role'}};
    const steps = plan([], {}, [ambiguous, missing, unchecked, org]);
    expect(steps.map((s) => [s.id, s.kind])).toEqual([
      ['aws:review_account:200000000004:iam', 'manual'],
      ['aws:review_iam_users:200000000002:candidates', 'manual'],
      ['aws:review_iam_users:200000000003:dana-x', 'manual'],
    ]);
    expect(steps[0]?.instructions).toContain('cannot assume role');
    expect(steps[1]?.instructions).toContain('dana, dana@example.com');
  });

  it('plans Identity Center: deny SCP, assignments and memberships, then the user', () => {
    const sso: Identity = {provider: PROVIDER_ID, id: 'sso:u-1', label: 'x', source: 'email', confidence: 'exact',
      data: {kind: 'sso_user'}};
    const b = {user_id: 'u-1', user_name: 'dana@example.com', identity_store_id: 'd-1234567890',
      instance_arn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef'};
    const steps = plan([
      f(sso, 'sso_user', 'u-1', {...b, deny_policy_name: 'deny-offboarded'}),
      f(sso, 'sso_assignment', `${ACCOUNT}:ps-1`, {...b, account_id: ACCOUNT,
        permission_set_arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1', permission_set_name: 'Admin'}),
      f(sso, 'sso_group_membership', 'm-1', {...b, membership_id: 'm-1', group_id: 'g-1', group_name: 'team'}),
    ], {}, [sso, org]);
    expect(steps.map((s) => [s.action, s.phase])).toEqual([['deny_sso_user', 'contain'],
      ['delete_sso_assignment', 'revoke'], ['remove_sso_group_membership', 'revoke'], ['delete_sso_user', 'cleanup']]);
    expect(steps[3]?.dependsOn).toEqual([steps[1]?.id, steps[2]?.id]);
    const noDeny = plan([f(sso, 'sso_user', 'u-1', {...b, deny_policy_name: ''})], {}, [sso, org]);
    expect(noDeny.map((s) => s.action)).toEqual(['delete_sso_user']);
  });
});
