// seedAwsOrg: the organization the sandbox, the provider tests and the benchmark start from.
import {afterEach, describe, expect, it} from '@jest/globals';
import {blockingDependent} from './iam_writes.js';
import {awsSandboxSection, seedAwsOrg} from './seed.js';
import {type AwsSim, startAwsSim} from './sim.js';

let sims: AwsSim[] = [];
afterEach(async () => {
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
});

describe('aws sim: seedAwsOrg', () => {
  it('seeds Dana\'s users with every dependent, a service key in CloudTrail, an owned account and Identity Center', async () => {
    const sim = await startAwsSim();
    sims.push(sim);
    const org = seedAwsOrg(sim);
    expect(org.accounts).toHaveLength(7);
    expect(org.personUsers.map((u) => u.userName)).toEqual(['dana', 'dana.admin', 'dana@example.com']);
    for (const {accountId, userName} of org.personUsers) {
      const user = sim.state.mustUser(accountId, userName);
      expect(blockingDependent(user)).toBe('must delete login profile first.');
      expect([user.accessKeys.length, user.mfaSerials.length, user.groups.size, user.attachedPolicies.size])
        .toEqual([2, 1, 2, 2]);
      expect(sim.state.mustAccount(accountId).iam.roles.has('organizationaccountaccessrole')).toBe(true);
    }
    const owned = sim.state.mustAccount(org.ownedAccounts[0] ?? '');
    expect(owned.tags).toEqual([{Key: 'owner', Value: 'dana@example.com'}]);
    const key = org.serviceKeys[0];
    expect(sim.state.mustAccount(key?.accountId ?? '').trail.map((e) => [e.eventName, e.requestParameters]))
      .toEqual([['CreateAccessKey', {userName: 'ci-deploy'}]]);
    expect(sim.state.identityCenter?.assignments).toHaveLength(2);
    const section = awsSandboxSection(org, 'aws_secret');
    expect(section).toMatchObject({endpoint_url: sim.url, secret_access_key_file: 'aws_secret'});
    expect(JSON.stringify(section)).not.toContain(org.credentials.secretAccessKey);
  });

  it('scales to the benchmark\'s organization with tagged users and nothing optional', async () => {
    const sim = await startAwsSim();
    sims.push(sim);
    const org = seedAwsOrg(sim, {accounts: 100, personAccounts: 10, naming: 'tagged', identityCenter: false,
      ownedAccounts: 0, serviceKeys: 0});
    expect([org.accounts.length, org.personUsers.length, org.identityCenter]).toEqual([100, 10, undefined]);
    expect(sim.state.mustUser(org.personUsers[9]?.accountId ?? '', 'dana-9').tags)
      .toContainEqual({Key: 'email', Value: 'dana@example.com'});
  });
});
