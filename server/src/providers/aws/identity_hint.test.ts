// IAM user names an admin entered in the modal: they replace mapping, tag and name patterns, each is looked up in
// every account, a name no account has comes back as not found (and becomes a checklist question), never dropped.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {ENTERED_BY_ADMIN} from '../../engine/types.js';
import {identityInput} from './identity.js';
import {awsProvider} from './index.js';
import {type Fixture, planFor, startFixture} from './test_support.js';

let f: Fixture;
beforeAll(async () => {
  f = await startFixture({accounts: 4, personAccounts: 3, serviceKeys: 0, ownedAccounts: 0, identityCenter: false});
});
afterAll(async () => {
  await f.sim.close();
});

const iam = (identities: Awaited<ReturnType<typeof awsProvider.resolve>>) =>
  identities.filter((i) => i.data['kind'] === 'iam_user').map((i) => [i.id, i.confidence, i.source]);

describe('aws resolve with entered IAM user names', () => {
  it('uses exactly the entered name, in whichever account has it, instead of tag and patterns', async () => {
    const c = f.ctx();
    expect(iam(await awsProvider.resolve(c, f.subject))).toEqual([
      ['iam:200000000001:dana', 'exact', 'name pattern {username}'],
      ['iam:200000000002:dana.admin', 'exact', 'tag email = dana@example.com'],
      ['iam:200000000003:dana@example.com', 'exact', 'name pattern {email}'],
    ]);
    const identities = await awsProvider.resolve(c, f.subject, {ids: ['DANA.admin']});
    expect(iam(identities)).toEqual([['iam:200000000002:dana.admin', 'exact', ENTERED_BY_ADMIN]]);
    const org = identities.find((i) => i.data['kind'] === 'organization');
    expect(org?.data['person_users']).toEqual([{account_id: '200000000002', user_name: 'dana.admin'}]);
    const findings = (await Promise.all(identities.filter((i) => i.confidence === 'exact')
      .map((i) => awsProvider.discover(c, i)))).flat();
    expect(findings.filter((x) => x.kind === 'iam_user').map((x) => x.identityId)).toEqual(['iam:200000000002:dana.admin']);
  });

  it('finds a name in every account that has it, and reports a name no account has as not found', async () => {
    const identities = await awsProvider.resolve(f.ctx(), f.subject, {ids: ['ci-deploy', 'dana-old']});
    expect(iam(identities)).toEqual([
      ['iam:100000000000:ci-deploy', 'exact', ENTERED_BY_ADMIN],
      ['iam:200000000001:ci-deploy', 'exact', ENTERED_BY_ADMIN],
      ['iam:200000000002:ci-deploy', 'exact', ENTERED_BY_ADMIN],
      ['iam:200000000003:ci-deploy', 'exact', ENTERED_BY_ADMIN],
      ['iam:*:dana-old', 'not_found', `${ENTERED_BY_ADMIN}: no account has this IAM user`],
    ]);
    expect(identities.find((i) => i.id === 'iam:*:dana-old')?.label).toBe('IAM user dana-old: in none of the 4 accounts checked');
    const manual = planFor({identities: identities.filter((i) => i.confidence !== 'exact'), findings: []});
    expect(manual.map((s) => [s.kind, s.action, s.title])).toEqual([
      ['manual', 'review_iam_users', 'Find IAM user dana-old in the organization (100000000000)'],
    ]);
  });

  it('resolves automatically when the hint is empty', async () => {
    const identities = await awsProvider.resolve(f.ctx(), f.subject, {ids: []});
    expect(iam(identities).map(([, , source]) => source)).not.toContain(ENTERED_BY_ADMIN);
    expect(iam(identities)).toHaveLength(3);
  });

  it('describes the field: IAM user names only', () => {
    const pattern = new RegExp(identityInput.pattern ?? '', 'u');
    expect(['dana', 'dana.admin', 'dana@example.com', 'svc+ci=1,a_b-c'].every((n) => pattern.test(n))).toBe(true);
    expect(['', 'dana whitfield', 'dana/ops', 'x'.repeat(65)].some((n) => pattern.test(n))).toBe(false);
  });
});
