// IAM's deletion rules in the simulator, through the real SDK: DeleteUser answers DeleteConflict (409) while any
// single kind of dependent remains, and succeeds once none is left; repeated deletes are NoSuchEntity (404);
// a virtual MFA device must be deactivated before it can be deleted.
import {afterEach, describe, expect, it} from '@jest/globals';
import {
  DeactivateMFADeviceCommand, DeleteUserCommand, DeleteVirtualMFADeviceCommand, GetUserPolicyCommand,
  ListAccessKeysCommand, DeleteAccessKeyCommand,
} from '@aws-sdk/client-iam';
import {failure, MANAGEMENT, simFixture, type SimFixture} from './test_support.js';

let fixtures: SimFixture[] = [];
async function fixture(): Promise<SimFixture> {
  const f = await simFixture();
  fixtures.push(f);
  return f;
}
afterEach(async () => {
  await Promise.all(fixtures.map((f) => f.sim.close()));
  fixtures = [];
});

const DEPENDENTS: readonly [string, (f: SimFixture, user: string) => void, string][] = [
  ['login profile', (f, u) => f.sim.addLoginProfile(MANAGEMENT, u), 'must delete login profile first'],
  ['access key', (f, u) => f.sim.createAccessKey(MANAGEMENT, u), 'must delete access keys first'],
  ['signing certificate', (f, u) => f.sim.uploadSigningCertificate(MANAGEMENT, u),
    'must delete signing certificates first'],
  ['SSH public key', (f, u) => f.sim.uploadSshPublicKey(MANAGEMENT, u), 'must delete SSH public keys first'],
  ['service-specific credential', (f, u) => f.sim.createServiceCredential(MANAGEMENT, u),
    'must delete service specific credentials first'],
  ['virtual MFA device', (f, u) => f.sim.enableVirtualMfa(MANAGEMENT, u), 'must delete MFA device first'],
  ['hardware MFA device', (f, u) => f.sim.enableHardwareMfa(MANAGEMENT, u), 'must delete MFA device first'],
  ['inline policy', (f, u) => f.sim.putUserPolicy(MANAGEMENT, u, 'p', {Version: '2012-10-17',
    Statement: [{Effect: 'Allow', Action: 's3:*', Resource: '*'}]}), 'must delete policies first'],
  ['attached policy', (f, u) => f.sim.attachUserPolicy(MANAGEMENT, u, 'arn:aws:iam::aws:policy/ReadOnlyAccess'),
    'must detach all policies first'],
  ['group membership', (f, u) => f.sim.addUserToGroup(MANAGEMENT, u, 'developers'),
    'must remove users from group first'],
];

describe('aws sim: DeleteUser conflicts', () => {
  it.each(DEPENDENTS)('refuses DeleteUser while the user still has: %s (409 DeleteConflict)',
    async (_kind, add, message) => {
    const f = await fixture();
    f.sim.createUser(MANAGEMENT, {name: 'dana'});
    add(f, 'dana');
    const err = await failure(f.iam().send(new DeleteUserCommand({UserName: 'dana'})));
    expect(err).toMatchObject({name: 'DeleteConflictException', status: 409});
    expect(err.message).toContain(message);
    expect(f.sim.state.user(MANAGEMENT, 'dana')).toBeDefined();
  });

  it('deletes a user with only a permissions boundary, then answers NoSuchEntity (404)', async () => {
    const f = await fixture();
    f.sim.createUser(MANAGEMENT, {name: 'dana'});
    f.sim.setPermissionsBoundary(MANAGEMENT, 'dana', 'arn:aws:iam::aws:policy/PowerUserAccess');
    await f.iam().send(new DeleteUserCommand({UserName: 'dana'}));
    expect(f.sim.state.user(MANAGEMENT, 'dana')).toBeUndefined();
    expect(await failure(f.iam().send(new DeleteUserCommand({UserName: 'dana'})))).toMatchObject({
      name: 'NoSuchEntityException', status: 404, message: 'The user with name dana cannot be found.'});
  });

  it('keeps a virtual MFA device until it is deactivated, then deletes it once', async () => {
    const f = await fixture();
    f.sim.createUser(MANAGEMENT, {name: 'dana'});
    const serial = f.sim.enableVirtualMfa(MANAGEMENT, 'dana');
    const early = await failure(f.iam().send(new DeleteVirtualMFADeviceCommand({SerialNumber: serial})));
    expect(early).toMatchObject({name: 'DeleteConflictException', status: 409});
    await f.iam().send(new DeactivateMFADeviceCommand({UserName: 'dana', SerialNumber: serial}));
    await f.iam().send(new DeleteVirtualMFADeviceCommand({SerialNumber: serial}));
    expect(await failure(f.iam().send(new DeleteVirtualMFADeviceCommand({SerialNumber: serial}))))
      .toMatchObject({name: 'NoSuchEntityException', status: 404});
    await f.iam().send(new DeleteUserCommand({UserName: 'dana'}));
  });

  it('answers NoSuchEntity for a second delete of the same key and for a missing policy', async () => {
    const f = await fixture();
    f.sim.createUser(MANAGEMENT, {name: 'dana'});
    const key = f.sim.createAccessKey(MANAGEMENT, 'dana');
    await f.iam().send(new DeleteAccessKeyCommand({UserName: 'dana', AccessKeyId: key.accessKeyId}));
    expect(await failure(f.iam().send(new DeleteAccessKeyCommand({UserName: 'dana', AccessKeyId: key.accessKeyId}))))
      .toMatchObject({name: 'NoSuchEntityException', status: 404});
    expect((await f.iam().send(new ListAccessKeysCommand({UserName: 'dana'}))).AccessKeyMetadata).toEqual([]);
    expect(await failure(f.iam().send(new GetUserPolicyCommand({UserName: 'dana', PolicyName: 'nope'}))))
      .toMatchObject({name: 'NoSuchEntityException', message: 'The user policy with name nope cannot be found.'});
  });
});
