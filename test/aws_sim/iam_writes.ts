// IAM write actions with AWS's ordering rules: DeleteUser fails with DeleteConflict (409) while ANY dependent
// remains, DeleteVirtualMFADevice fails while the device is still enabled for a user, a second delete of the same
// thing is NoSuchEntity (404). https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_remove.html
import type {CallContext, QueryHandler} from './context.js';
import {
  AwsSimError, deleteConflict, invalidInput, limitExceeded, malformedPolicy, noSuchEntity,
} from './errors.js';
import {findUser, targetUser} from './iam_reads.js';
import type {QueryParams} from './protocol.js';
import type {IamUser} from './state.js';

/** The first dependent that blocks DeleteUser, in the order of the IAM User Guide's CLI procedure. */
export function blockingDependent(user: IamUser): string | undefined {
  if (user.loginProfile) return 'must delete login profile first.';
  if (user.accessKeys.length > 0) return 'must delete access keys first.';
  if (user.signingCertificates.length > 0) return 'must delete signing certificates first.';
  if (user.sshPublicKeys.length > 0) return 'must delete SSH public keys first.';
  if (user.serviceCredentials.length > 0) return 'must delete service specific credentials first.';
  if (user.mfaSerials.length > 0) return 'must delete MFA device first.';
  if (user.inlinePolicies.size > 0) return 'must delete policies first.';
  if (user.attachedPolicies.size > 0) return 'must detach all policies first.';
  if (user.groups.size > 0) return 'must remove users from group first.';
  return undefined;
}

function status(ctx: CallContext<QueryParams>): 'Active' | 'Inactive' {
  const value = ctx.input.required('Status');
  if (value !== 'Active' && value !== 'Inactive') {
    throw new AwsSimError('ValidationError', 400, `1 validation error detected: Value '${value}' at 'status' failed ` +
      'to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]');
  }
  return value;
}

function findKey(user: IamUser, id: string) {
  const key = user.accessKeys.find((k) => k.id === id);
  if (!key) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
  return key;
}

export const iamWrites: Record<string, QueryHandler> = {
  CreateAccessKey: (ctx) => {
    const user = targetUser(ctx);
    if (user.accessKeys.length >= 2) throw limitExceeded('Cannot exceed quota for AccessKeysPerUser: 2');
    const key = {id: ctx.state.ids.next('AKIA', 20), secret: ctx.state.ids.secret(), status: 'Active' as const,
      createdAt: ctx.now};
    user.accessKeys.push(key);
    ctx.state.addPrincipal({accessKeyId: key.id, secretAccessKey: key.secret, accountId: ctx.account.id,
      kind: 'user', arn: user.arn, userName: user.name, issuedAt: ctx.now});
    return {AccessKey: {UserName: user.name, AccessKeyId: key.id, Status: key.status, SecretAccessKey: key.secret,
      CreateDate: new Date(key.createdAt)}};
  },

  UpdateAccessKey: (ctx) => {
    const user = targetUser(ctx);
    findKey(user, ctx.input.required('AccessKeyId')).status = status(ctx);
    return undefined;
  },

  DeleteAccessKey: (ctx) => {
    const user = targetUser(ctx);
    const key = findKey(user, ctx.input.required('AccessKeyId'));
    user.accessKeys = user.accessKeys.filter((k) => k !== key);
    ctx.state.principals.delete(key.id);
    return undefined;
  },

  DeleteLoginProfile: (ctx) => {
    const user = targetUser(ctx);
    if (!user.loginProfile) throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
    delete user.loginProfile;
    return undefined;
  },

  DeleteSigningCertificate: (ctx) => {
    const user = targetUser(ctx);
    const id = ctx.input.required('CertificateId');
    if (!user.signingCertificates.some((c) => c.id === id)) {
      throw noSuchEntity(`The Certificate with id ${id} cannot be found.`);
    }
    user.signingCertificates = user.signingCertificates.filter((c) => c.id !== id);
    return undefined;
  },

  DeleteSSHPublicKey: (ctx) => {
    const user = findUser(ctx, ctx.input.required('UserName'));
    const id = ctx.input.required('SSHPublicKeyId');
    if (!user.sshPublicKeys.some((k) => k.id === id)) {
      throw noSuchEntity(`The Public Key with id ${id} cannot be found.`);
    }
    user.sshPublicKeys = user.sshPublicKeys.filter((k) => k.id !== id);
    return undefined;
  },

  DeleteServiceSpecificCredential: (ctx) => {
    const user = targetUser(ctx);
    const id = ctx.input.required('ServiceSpecificCredentialId');
    if (!user.serviceCredentials.some((c) => c.id === id)) {
      throw noSuchEntity(`The Service Specific Credential with id ${id} cannot be found.`);
    }
    user.serviceCredentials = user.serviceCredentials.filter((c) => c.id !== id);
    return undefined;
  },

  DeactivateMFADevice: (ctx) => {
    const user = targetUser(ctx);
    const serial = ctx.input.required('SerialNumber');
    if (!user.mfaSerials.some((m) => m.serial === serial)) {
      throw noSuchEntity(`MFA Device with serial number ${serial} does not exist.`);
    }
    user.mfaSerials = user.mfaSerials.filter((m) => m.serial !== serial);
    const device = ctx.account.iam.virtualMfaDevices.get(serial);
    if (device) delete device.user;
    return undefined;
  },

  DeleteVirtualMFADevice: (ctx) => {
    const serial = ctx.input.required('SerialNumber');
    const device = ctx.account.iam.virtualMfaDevices.get(serial);
    if (!device) throw noSuchEntity(`VirtualMFADevice with serial ${serial} doesn't exist.`);
    if (device.user !== undefined) throw deleteConflict('MFA Device is already in use.');
    ctx.account.iam.virtualMfaDevices.delete(serial);
    return undefined;
  },

  PutUserPolicy: (ctx) => {
    const user = findUser(ctx, ctx.input.required('UserName'));
    const name = ctx.input.required('PolicyName');
    const document = ctx.input.required('PolicyDocument');
    try {
      const parsed = JSON.parse(document) as {Statement?: unknown};
      if (!parsed || typeof parsed !== 'object' || parsed.Statement === undefined) throw new Error('no Statement');
    } catch {
      throw malformedPolicy('Syntax errors in policy.');
    }
    if (!/^[\w+=,.@-]{1,128}$/.test(name)) throw invalidInput(`Invalid policy name ${name}.`);
    user.inlinePolicies.set(name, document);
    return undefined;
  },

  DeleteUserPolicy: (ctx) => {
    const user = findUser(ctx, ctx.input.required('UserName'));
    const name = ctx.input.required('PolicyName');
    if (!user.inlinePolicies.delete(name)) throw noSuchEntity(`The user policy with name ${name} cannot be found.`);
    return undefined;
  },

  DetachUserPolicy: (ctx) => {
    const user = findUser(ctx, ctx.input.required('UserName'));
    const arn = ctx.input.required('PolicyArn');
    if (!user.attachedPolicies.delete(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
    return undefined;
  },

  RemoveUserFromGroup: (ctx) => {
    const groupName = ctx.input.required('GroupName');
    const user = findUser(ctx, ctx.input.required('UserName'));
    if (!ctx.account.iam.groups.has(groupName.toLowerCase())) {
      throw noSuchEntity(`The group with name ${groupName} cannot be found.`);
    }
    const member = [...user.groups].find((g) => g.toLowerCase() === groupName.toLowerCase());
    if (member === undefined) {
      throw noSuchEntity(`The user with name ${user.name} cannot be found in group ${groupName}.`);
    }
    user.groups.delete(member);
    return undefined;
  },

  DeleteUser: (ctx) => {
    const user = findUser(ctx, ctx.input.required('UserName'));
    const blocking = blockingDependent(user);
    if (blocking) throw deleteConflict(`Cannot delete entity, ${blocking}`);
    ctx.account.iam.users.delete(user.name.toLowerCase());
    return undefined;
  },
};
