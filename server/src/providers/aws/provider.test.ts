// The AWS provider against the simulator over HTTP: Dana's full offboarding across accounts (resolve → discover →
// plan → execute → verify), verify failing before and passing after, repeats as already_done, the contain step's
// effect on her own credentials, rotation tasks from CloudTrail, Identity Center, CloseAccount, and no secret leaking.
import {describe, expect, it} from '@jest/globals';
import {callAs} from '../../../../test/aws_sim/index.js';
import {awsProvider} from './index.js';
import {CONTAIN_POLICY_NAME, ssoDeniedUserIds} from './model.js';
import {executeAll, inventory, kinds, planFor, simSecrets, startFixture, verifyAll} from './test_support.js';
import {perTestFixtures} from '../../../../test/support/per_test.js';

const fixture = perTestFixtures(startFixture);

describe('aws provider: Dana across the organization', () => {
  it('finds her everywhere, tears everything down in order, verifies, and repeats as already_done', async () => {
    const {sim, org, ctx} = await fixture();
    const c = ctx();
    const secrets = simSecrets(sim);
    const inv = await inventory(c);
    expect(inv.identities.map((i) => [i.id, i.confidence, i.source])).toEqual([
      ['iam:200000000001:dana', 'exact', 'name pattern {username}'],
      ['iam:200000000002:dana.admin', 'exact', 'tag email = dana@example.com'],
      ['iam:200000000003:dana@example.com', 'exact', 'name pattern {email}'],
      [`sso:${org.identityCenter?.userId}`, 'exact', 'Identity Center emails.value = dana@example.com'],
      ['org:100000000000', 'exact', 'accounts of the organization'],
    ]);
    const count = (kind: string) => inv.findings.filter((f) => f.kind === kind).length;
    expect(['iam_user', 'login_profile', 'access_key', 'signing_certificate', 'ssh_public_key', 'service_credential',
      'mfa_device', 'inline_policy', 'attached_policy', 'group_membership', 'permissions_boundary', 'sts_sessions',
      'service_key', 'owned_account', 'sso_user', 'sso_assignment', 'sso_group_membership'].map(count))
      .toEqual([3, 3, 6, 3, 3, 3, 3, 3, 6, 6, 3, 3, 1, 1, 1, 2, 1]);
    expect(inv.findings.find((f) => f.kind === 'access_key' && f.data['last_used_at'] !== null)?.label)
      .toMatch(/last used \d{4}-\d{2}-\d{2} \(s3\)/);
    expect(sim.stats.log.filter((r) => !/^(Get|List|Describe|Lookup|AssumeRole)/.test(r.action))).toEqual([]);

    const steps = planFor(inv);
    const auto = steps.filter((s) => s.kind === 'auto');
    const before = await verifyAll(c, steps);
    expect([...before.values()].filter((v) => v.ok)).toEqual([]);

    const outcomes = await executeAll(c, steps);
    expect(new Set(Object.values(kinds(outcomes)))).toEqual(new Set(['done']));
    const after = await verifyAll(c, steps);
    expect([...after].filter(([, v]) => !v.ok)).toEqual([]);
    for (const {accountId, userName} of org.personUsers) expect(sim.state.user(accountId, userName)).toBeUndefined();
    expect([...sim.state.accounts.values()].flatMap((a) => [...a.iam.virtualMfaDevices.keys()])).toEqual([]);
    // The key she made for the CI user is a manual rotation task, untouched without the opt-in.
    expect(sim.state.user('200000000001', 'ci-deploy')?.accessKeys.map((k) => k.status)).toEqual(['Active']);
    expect(sim.state.identityCenter?.users.has(org.identityCenter?.userId ?? '')).toBe(false);
    const scp = [...(sim.state.organization?.policies.values() ?? [])][0];
    expect(ssoDeniedUserIds(scp?.content ?? '')).toEqual([org.identityCenter?.userId]);
    expect(scp?.targets.has(sim.state.organization?.rootId ?? '')).toBe(true);
    expect(steps.filter((s) => s.kind === 'manual').map((s) => s.action).sort())
      .toEqual(['review_owned_account', 'rotate_access_key']);

    const again = await executeAll(c, steps);
    expect(Object.values(kinds(again)).filter((k) => k !== 'already_done')).toEqual([]);
    expect(again.size).toBe(auto.length);
    const everything = JSON.stringify([inv, steps, [...outcomes.values()], [...after.values()], [...again.values()]]);
    expect(secrets.filter((s) => everything.includes(s))).toEqual([]);
  });

  it('contains first: her key stops working and sessions issued before containment are denied', async () => {
    const {sim, ctx} = await fixture({personAccounts: 1, identityCenter: false});
    const c = ctx();
    const user = sim.state.mustUser('200000000001', 'dana');
    const key = user.accessKeys[0];
    if (!key) throw new Error('seed has no key');
    const sessionXml = await (await fetch(sim.url, {method: 'POST', body: 'Action=GetSessionToken&Version=2011-06-15',
      headers: {'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=${key.id}/20260101/us-east-1/sts/aws4_request, Signature=0`}})).text();
    const session = {accessKeyId: /<AccessKeyId>([^<]+)</.exec(sessionXml)?.[1] ?? '',
      sessionToken: /<SessionToken>([^<]+)</.exec(sessionXml)?.[1] ?? ''};
    const probe = (creds: {accessKeyId: string; sessionToken?: string}) =>
      callAs(sim.url, creds, 'iam', {Action: 'GetUser'});
    expect((await probe(session)).status).toBe(200);

    const steps = planFor(await inventory(c)).filter((s) => s.phase === 'contain');
    expect(steps.map((s) => s.action).sort()).toEqual(['deactivate_access_key', 'deactivate_access_key', 'deny_user']);
    expect(Object.values(kinds(await executeAll(c, steps)))).toEqual(['done', 'done', 'done']);
    expect([...(await verifyAll(c, steps)).values()].every((v) => v.ok)).toBe(true);
    expect(await probe({accessKeyId: key.id})).toEqual({status: 403, code: 'InvalidClientTokenId'});
    expect(await probe(session)).toEqual({status: 403, code: 'AccessDenied'});
    const policy = JSON.parse(user.inlinePolicies.get(CONTAIN_POLICY_NAME) ?? '{}') as {Statement: unknown[]};
    expect(policy.Statement).toEqual([
      {Sid: 'OffboardingDenyAll', Effect: 'Deny', Action: '*', Resource: '*'},
      {Sid: 'OffboardingRevokeOlderSessions', Effect: 'Deny', Action: '*', Resource: '*',
        Condition: {DateLessThan: {'aws:TokenIssueTime': expect.stringMatching(/^\d{4}-\d\d-\d\dT/)}}},
    ]);
  });

  it('turns keys she created for service users into rotation tasks, deactivating them only on opt-in', async () => {
    const {sim, org, ctx} = await fixture({identityCenter: true});
    const ssoUserId = org.identityCenter?.userId ?? '';
    // Made through Identity Center (her role session), by a colleague, and one already rotated away.
    const bySso = sim.createAccessKey('200000000002', 'ci-deploy');
    sim.recordCreateAccessKey('200000000002', {actor: {kind: 'sso', sessionName: 'dana@example.com',
      userId: ssoUserId, permissionSet: 'AdministratorAccess'}, userName: 'ci-deploy', accessKeyId: bySso.accessKeyId});
    sim.recordCreateAccessKey('200000000003', {actor: {kind: 'iam_user', userName: 'alice'}, userName: 'ci-deploy',
      accessKeyId: sim.createAccessKey('200000000003', 'ci-deploy').accessKeyId});
    sim.recordCreateAccessKey('200000000004', {actor: {kind: 'iam_user', userName: 'dana'}, userName: 'ci-deploy',
      accessKeyId: 'AKIAGONE000000000000'});
    const c = ctx();
    const inv = await inventory(c);
    const keys = inv.findings.filter((f) => f.kind === 'service_key');
    expect(keys.map((f) => [f.data['account_id'], f.data['access_key_id'], f.data['created_by']]).sort()).toEqual([
      ['200000000001', org.serviceKeys[0]?.accessKeyId, 'IAM user dana'],
      ['200000000002', bySso.accessKeyId, expect.stringContaining('dana@example.com')],
    ]);
    const plain = planFor(inv).filter((s) => s.action.includes('service_key') || s.action === 'rotate_access_key');
    expect(plain.map((s) => [s.action, s.kind])).toEqual([['rotate_access_key', 'manual'], ['rotate_access_key', 'manual']]);
    const optIn = planFor(inv, {deactivate_service_keys: true}).filter((s) => s.action === 'deactivate_service_key');
    expect(optIn).toHaveLength(2);
    expect(Object.values(kinds(await executeAll(c, optIn)))).toEqual(['done', 'done']);
    expect(sim.state.user('200000000002', 'ci-deploy')?.accessKeys.find((k) => k.id === bySso.accessKeyId)?.status)
      .toBe('Inactive');
  });

  it('closes an owned account only behind the extra confirmation, then reports it already closing', async () => {
    const {sim, org, ctx} = await fixture({identityCenter: false});
    const c = ctx();
    const inv = await inventory(c);
    const owned = org.ownedAccounts[0] ?? '';
    expect(planFor(inv, {close_owned_accounts: true}).some((s) => s.action === 'close_account')).toBe(false);
    const steps = planFor(inv, {close_owned_accounts: true, confirm_account_closure: owned})
      .filter((s) => s.action === 'close_account');
    expect(steps.map((s) => s.id)).toEqual([`aws:close_account:100000000000:${owned}`]);
    expect((await awsProvider.verify(c, steps[0] as never)).ok).toBe(false);
    expect(kinds(await executeAll(c, steps))).toEqual({[`aws:close_account:100000000000:${owned}`]: 'done'});
    expect(sim.state.account(owned)?.state).toBe('PENDING_CLOSURE');
    expect((await verifyAll(c, steps)).get(steps[0]?.id ?? '')?.ok).toBe(true);
    expect(Object.values(kinds(await executeAll(c, steps)))).toEqual(['already_done']);
  });
});

describe('aws provider: Identity Center', () => {
  it('denies, unassigns (polling the asynchronous deletion) and deletes the Identity Center user', async () => {
    const {sim, org, ctx} = await fixture({personAccounts: 1}, {ssoDeletionPolls: 2});
    const c = ctx();
    const steps = planFor(await inventory(c)).filter((s) => s.action.includes('sso'));
    expect(steps.map((s) => s.action)).toEqual(['deny_sso_user', 'delete_sso_assignment', 'delete_sso_assignment',
      'remove_sso_group_membership', 'delete_sso_user']);
    expect(Object.values(kinds(await executeAll(c, steps)))).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(sim.count('sso-admin:DescribeAccountAssignmentDeletionStatus')).toBe(4);
    const idc = sim.state.identityCenter;
    expect([idc?.assignments.length, idc?.memberships.size, idc?.users.has(org.identityCenter?.userId ?? '')])
      .toEqual([0, 0, false]);
    expect([...(await verifyAll(c, steps)).values()].every((v) => v.ok)).toBe(true);
    expect(new Set(Object.values(kinds(await executeAll(c, steps))))).toEqual(new Set(['already_done']));
  });
});

describe('aws provider: check', () => {
  it('passes with management credentials, and says why not otherwise', async () => {
    const {sim, org, ctx} = await fixture({identityCenter: true});
    expect(await awsProvider.check(ctx())).toEqual({ok: true, detail: 'ok (7 accounts)'});
    const member = sim.createAccessKey('200000000001', 'ci-deploy');
    const notManagement = await awsProvider.check(ctx({access_key_id: member.accessKeyId,
      secret_access_key: member.secretAccessKey}));
    expect(notManagement.ok).toBe(false);
    expect(notManagement.detail).toContain('is not in the management account 100000000000');
    const wrong = await awsProvider.check(ctx({access_key_id: 'AKIAWRONGWRONGWRONG0'}));
    expect(wrong.ok).toBe(false);
    expect(wrong.detail).toContain('rejected the configured credentials');
    expect(wrong.detail).not.toContain(org.credentials.secretAccessKey);
    sim.breakRole('200000000001');
    expect((await awsProvider.check(ctx({session_name: 'other-session'}))).detail)
      .toContain('Account 200000000001 is unreachable');
  });
});
