// IAM user actions in the order AWS requires: contain (deny-all policy, key deactivation), then one delete per
// dependent, then DeleteUser — which first proves nothing but the contain policy is left, so containment is lifted
// only for the final call. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_remove.html
import {PermanentError, TransientError} from '../../engine/errors.js';
import type {StepSpec} from '../../engine/types.js';
import {already, type ActionHandler, done, seen} from './action_kit.js';
import {type AwsApi, orMissing} from './client.js';
import {isDeleteConflict, isNotFound} from './errors.js';
import {containPolicyDocument, deniesEverything, paramBoolean, paramString} from './model.js';
import {describeDependents, iamAll, readDependents} from './reads.js';
import type {AccessKeyMetadata, MfaDevice} from './wire.js';

const account = (s: StepSpec): string => paramString(s, 'account_id');
const userOf = (s: StepSpec): string => paramString(s, 'user_name');

async function containPolicy(api: AwsApi, step: StepSpec): Promise<string | undefined> {
  const out = await orMissing(api.iam<{PolicyDocument?: string}>(account(step), 'GetUserPolicy',
    {UserName: userOf(step), PolicyName: paramString(step, 'policy_name')}));
  // IAM returns policy documents URL-encoded.
  return out?.PolicyDocument === undefined ? undefined : decodeURIComponent(out.PolicyDocument);
}

async function userExists(api: AwsApi, step: StepSpec): Promise<boolean> {
  return (await orMissing(api.iam(account(step), 'GetUser', {UserName: userOf(step)}))) !== undefined;
}

async function keyStatus(api: AwsApi, step: StepSpec): Promise<string | undefined> {
  const keys = await orMissing(iamAll<AccessKeyMetadata>(api, account(step), 'ListAccessKeys',
    {UserName: userOf(step)}, 'AccessKeyMetadata'));
  return keys?.find((k) => k.AccessKeyId === paramString(step, 'access_key_id'))?.Status;
}

const deactivateKey: ActionHandler = {
  permission: 'iam:UpdateAccessKey',
  async act(api, step) {
    const status = await keyStatus(api, step);
    const key = paramString(step, 'access_key_id');
    if (status === undefined) return already({access_key_id: key, gone: true});
    if (status === 'Inactive') return already({access_key_id: key, status});
    await api.iam(account(step), 'UpdateAccessKey', {UserName: userOf(step), AccessKeyId: key, Status: 'Inactive'});
    return done({access_key_id: key, status: 'Inactive', was: status});
  },
  async read(api, step) {
    const status = await keyStatus(api, step);
    return seen(status !== 'Active', {access_key_id: paramString(step, 'access_key_id'), status: status ?? 'gone'},
      `access key ${paramString(step, 'access_key_id')} is still Active`);
  },
};

/** A delete whose target shows up in one list call: act deletes, read checks the list. */
function listedDelete(permission: string, action: Parameters<AwsApi['iam']>[1], idParam: string, idField: string,
  list: Parameters<AwsApi['iam']>[1], listKey: string, what: string): ActionHandler {
  return {
    permission,
    async act(api, step) {
      await api.iam(account(step), action, {UserName: userOf(step), [idField]: paramString(step, idParam)});
      return done({[idParam]: paramString(step, idParam), deleted: true});
    },
    async read(api, step) {
      const rows = await orMissing(iamAll<Record<string, unknown>>(api, account(step), list, {UserName: userOf(step)},
        listKey));
      const id = paramString(step, idParam);
      const present = (rows ?? []).some((r) => r[idField] === id);
      return seen(!present, {[idParam]: id, present, user_exists: rows !== undefined}, `${what} ${id} still exists`);
    },
  };
}

export const iamHandlers: Record<string, ActionHandler> = {
  deny_user: {
    permission: 'iam:PutUserPolicy',
    async act(api, step, now) {
      const existing = await containPolicy(api, step);
      const policy = paramString(step, 'policy_name');
      if (existing !== undefined && deniesEverything(existing)) return already({policy_name: policy});
      const issuedBefore = new Date(now).toISOString();
      await api.iam(account(step), 'PutUserPolicy', {UserName: userOf(step), PolicyName: policy,
        PolicyDocument: containPolicyDocument(issuedBefore)});
      return done({policy_name: policy, denies_tokens_issued_before: issuedBefore});
    },
    async read(api, step) {
      const document = await containPolicy(api, step);
      if (document !== undefined && deniesEverything(document)) {
        return seen(true, {policy_name: paramString(step, 'policy_name'), denies_all: true}, '');
      }
      const exists = await userExists(api, step);
      return seen(!exists, {policy_name: paramString(step, 'policy_name'), denies_all: false, user_exists: exists},
        `IAM user ${userOf(step)} has no deny-all policy`);
    },
  },
  deactivate_access_key: deactivateKey,
  deactivate_service_key: deactivateKey,
  delete_login_profile: {
    permission: 'iam:DeleteLoginProfile',
    async act(api, step) {
      await api.iam(account(step), 'DeleteLoginProfile', {UserName: userOf(step)});
      return done({login_profile: 'deleted'});
    },
    async read(api, step) {
      const profile = await orMissing(api.iam(account(step), 'GetLoginProfile', {UserName: userOf(step)}));
      return seen(profile === undefined, {login_profile: profile === undefined ? 'none' : 'present'},
        `${userOf(step)} still has a console password`);
    },
  },
  delete_access_key: listedDelete('iam:DeleteAccessKey', 'DeleteAccessKey', 'access_key_id', 'AccessKeyId',
    'ListAccessKeys', 'AccessKeyMetadata', 'access key'),
  delete_signing_certificate: listedDelete('iam:DeleteSigningCertificate', 'DeleteSigningCertificate',
    'certificate_id', 'CertificateId', 'ListSigningCertificates', 'Certificates', 'signing certificate'),
  delete_ssh_public_key: listedDelete('iam:DeleteSSHPublicKey', 'DeleteSSHPublicKey', 'ssh_key_id', 'SSHPublicKeyId',
    'ListSSHPublicKeys', 'SSHPublicKeys', 'SSH public key'),
  delete_service_credential: listedDelete('iam:DeleteServiceSpecificCredential', 'DeleteServiceSpecificCredential',
    'credential_id', 'ServiceSpecificCredentialId', 'ListServiceSpecificCredentials', 'ServiceSpecificCredentials',
    'service-specific credential'),
  delete_mfa_device: {
    permission: 'iam:DeactivateMFADevice',
    async act(api, step) {
      const serial = paramString(step, 'serial');
      // DeactivateMFADevice first: a virtual device still enabled for a user cannot be deleted (DeleteConflict).
      let deactivated = true;
      try {
        await api.iam(account(step), 'DeactivateMFADevice', {UserName: userOf(step), SerialNumber: serial});
      } catch (e) {
        if (!isNotFound(e) || !paramBoolean(step, 'virtual')) throw e;
        deactivated = false;
      }
      // Both gone (NoSuchEntity) reaches execute(), which confirms with read() and reports already_done.
      if (paramBoolean(step, 'virtual')) await api.iam(account(step), 'DeleteVirtualMFADevice', {SerialNumber: serial});
      return done({serial, deactivated, deleted_virtual_device: paramBoolean(step, 'virtual')});
    },
    async read(api, step) {
      const devices = await orMissing(iamAll<MfaDevice>(api, account(step), 'ListMFADevices', {UserName: userOf(step)},
        'MFADevices'));
      const serial = paramString(step, 'serial');
      const present = (devices ?? []).some((d) => d.SerialNumber === serial);
      return seen(!present, {serial, enabled: present}, `MFA device ${serial} is still enabled for ${userOf(step)}`);
    },
  },
  delete_inline_policy: {
    permission: 'iam:DeleteUserPolicy',
    async act(api, step) {
      await api.iam(account(step), 'DeleteUserPolicy', {UserName: userOf(step),
        PolicyName: paramString(step, 'policy_name')});
      return done({policy_name: paramString(step, 'policy_name'), deleted: true});
    },
    async read(api, step) {
      const names = await orMissing(iamAll<string>(api, account(step), 'ListUserPolicies', {UserName: userOf(step)},
        'PolicyNames'));
      const present = (names ?? []).includes(paramString(step, 'policy_name'));
      return seen(!present, {policy_name: paramString(step, 'policy_name'), present},
        `inline policy ${paramString(step, 'policy_name')} is still there`);
    },
  },
  detach_policy: {
    permission: 'iam:DetachUserPolicy',
    async act(api, step) {
      await api.iam(account(step), 'DetachUserPolicy', {UserName: userOf(step),
        PolicyArn: paramString(step, 'policy_arn')});
      return done({policy_arn: paramString(step, 'policy_arn'), detached: true});
    },
    async read(api, step) {
      const rows = await orMissing(iamAll<{PolicyArn?: string}>(api, account(step), 'ListAttachedUserPolicies',
        {UserName: userOf(step)}, 'AttachedPolicies'));
      const present = (rows ?? []).some((r) => r.PolicyArn === paramString(step, 'policy_arn'));
      return seen(!present, {policy_arn: paramString(step, 'policy_arn'), attached: present},
        `${paramString(step, 'policy_arn')} is still attached`);
    },
  },
  remove_from_group: {
    permission: 'iam:RemoveUserFromGroup',
    async act(api, step) {
      await api.iam(account(step), 'RemoveUserFromGroup', {UserName: userOf(step),
        GroupName: paramString(step, 'group_name')});
      return done({group_name: paramString(step, 'group_name'), removed: true});
    },
    async read(api, step) {
      const rows = await orMissing(iamAll<{GroupName?: string}>(api, account(step), 'ListGroupsForUser',
        {UserName: userOf(step)}, 'Groups'));
      const group = paramString(step, 'group_name').toLowerCase();
      const present = (rows ?? []).some((r) => (r.GroupName ?? '').toLowerCase() === group);
      return seen(!present, {group_name: paramString(step, 'group_name'), member: present},
        `${userOf(step)} is still in group ${paramString(step, 'group_name')}`);
    },
  },
  delete_user: {
    permission: 'iam:DeleteUser',
    async act(api, step, now) {
      const policy = paramString(step, 'policy_name');
      const before = await readDependents(api, account(step), userOf(step));
      if (!before.exists) return already({user_name: userOf(step), exists: false});
      const left = describeDependents(before, policy);
      if (left.length > 0) throw remainingError(step, left, 'before DeleteUser');
      if (before.inlinePolicies.includes(policy)) {
        await api.iam(account(step), 'DeleteUserPolicy', {UserName: userOf(step), PolicyName: policy});
      }
      try {
        await api.iam(account(step), 'DeleteUser', {UserName: userOf(step)});
      } catch (e) {
        if (!isDeleteConflict(e)) throw e;
        // Something was added since the check: put containment back before reporting what is left.
        await api.iam(account(step), 'PutUserPolicy', {UserName: userOf(step), PolicyName: policy,
          PolicyDocument: containPolicyDocument(new Date(now).toISOString())});
        const after = describeDependents(await readDependents(api, account(step), userOf(step)), policy);
        if (after.length > 0) throw remainingError(step, after, 'DeleteUser answered DeleteConflict');
        throw new TransientError(`DeleteUser ${userOf(step)} answered DeleteConflict though nothing is left ` +
          '(IAM is eventually consistent); retrying.', {cause: e});
      }
      return done({user_name: userOf(step), deleted: true, contain_policy_removed_last: true});
    },
    async read(api, step) {
      const exists = await userExists(api, step);
      return seen(!exists, {user_name: userOf(step), exists}, `IAM user ${userOf(step)} still exists`);
    },
  },
};

function remainingError(step: StepSpec, left: string[], when: string): PermanentError {
  return new PermanentError(`Cannot delete IAM user ${userOf(step)} in ${account(step)} (${when}): dependents ` +
    `remain: ${left.join('; ')}. They were added after the plan was made; run a new inventory to plan their removal.`,
  {details: {account_id: account(step), user_name: userOf(step), remaining: left}});
}
