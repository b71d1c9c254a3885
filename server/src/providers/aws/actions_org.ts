// Organization-level actions: CloseAccount (asynchronous, quota-bound), and IAM Identity Center — a deny SCP on
// `identitystore:userId` (https://docs.aws.amazon.com/singlesignon/latest/userguide/authconcept-revoke-access.html),
// assignment deletion (asynchronous, polled), group memberships and the user itself.
import {PermanentError, TransientError} from '../../engine/errors.js';
import type {StepSpec} from '../../engine/types.js';
import {already, type ActionHandler, done, seen} from './action_kit.js';
import {type AwsApi, orMissing} from './client.js';
import {awsCode} from './errors.js';
import {paramString, ssoDeniedUserIds, ssoDenyPolicyContent} from './model.js';
import {tokenAll} from './reads.js';
import type {ScpSummary, SsoAssignment, SsoDeletionStatus} from './wire.js';

const CLOSED_STATES = new Set(['PENDING_CLOSURE', 'SUSPENDED', 'CLOSED']);
/** Waits between DescribeAccountAssignmentDeletionStatus polls within one attempt. */
const DELETION_POLLS_MS = [0, 500, 1000, 2000, 4000];

async function accountState(api: AwsApi, step: StepSpec): Promise<string> {
  const out = await api.organizations<{Account?: {State?: string; Status?: string}}>('DescribeAccount',
    {AccountId: paramString(step, 'account_id')});
  return out.Account?.State ?? out.Account?.Status ?? 'UNKNOWN';
}

interface ScpState {
  readonly id?: string;
  readonly content?: string;
  readonly attachedToRoot: boolean;
  readonly rootId: string;
}

async function readScp(api: AwsApi, name: string): Promise<ScpState> {
  const [policies, roots] = await Promise.all([
    tokenAll<ScpSummary>((token) => api.organizations('ListPolicies', {Filter: 'SERVICE_CONTROL_POLICY',
      ...(token ? {NextToken: token} : {})}), 'Policies'),
    api.organizations<{Roots?: {Id?: string}[]}>('ListRoots', {}),
  ]);
  const rootId = roots.Roots?.[0]?.Id ?? '';
  const id = policies.find((p) => p.Name === name)?.Id;
  if (!id) return {attachedToRoot: false, rootId};
  const [described, targets] = await Promise.all([
    api.organizations<{Policy?: {Content?: string}}>('DescribePolicy', {PolicyId: id}),
    tokenAll<{TargetId?: string}>((token) => api.organizations('ListTargetsForPolicy', {PolicyId: id,
      ...(token ? {NextToken: token} : {})}), 'Targets'),
  ]);
  return {id, content: described.Policy?.Content ?? '', rootId,
    attachedToRoot: targets.some((t) => t.TargetId === rootId)};
}

async function assignmentPresent(api: AwsApi, step: StepSpec): Promise<boolean> {
  const rows = await orMissing(tokenAll<SsoAssignment>((token) => api.ssoAdmin('ListAccountAssignmentsForPrincipal', {
    InstanceArn: paramString(step, 'instance_arn'), PrincipalId: paramString(step, 'user_id'), PrincipalType: 'USER',
    MaxResults: 100, ...(token ? {NextToken: token} : {})}), 'AccountAssignments'));
  return (rows ?? []).some((a) => a.AccountId === paramString(step, 'account_id') &&
    a.PermissionSetArn === paramString(step, 'permission_set_arn'));
}

export const orgHandlers: Record<string, ActionHandler> = {
  close_account: {
    permission: 'organizations:CloseAccount',
    async act(api, step) {
      const state = await accountState(api, step);
      if (CLOSED_STATES.has(state)) return already({account_id: paramString(step, 'account_id'), state});
      try {
        await api.organizations('CloseAccount', {AccountId: paramString(step, 'account_id')});
      } catch (e) {
        const reason = (e as {Reason?: string}).Reason;
        if (awsCode(e) === 'AccountAlreadyClosed') {
          return already({account_id: paramString(step, 'account_id'), state: 'closed'});
        }
        if (reason === 'CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED') {
          throw new TransientError('Too many accounts are closing at once (CLOSE_ACCOUNT_REQUESTS_LIMIT_EXCEEDED); ' +
            'retrying later.', {cause: e});
        }
        if (reason === 'CLOSE_ACCOUNT_QUOTA_EXCEEDED') {
          throw new PermanentError('The organization used up its account closure quota for the last 30 days ' +
            '(CLOSE_ACCOUNT_QUOTA_EXCEEDED): close this account later or through AWS Support.', {cause: e});
        }
        throw e;
      }
      return done({account_id: paramString(step, 'account_id'), state: 'PENDING_CLOSURE', requested: true});
    },
    async read(api, step) {
      const state = await accountState(api, step);
      return seen(CLOSED_STATES.has(state), {account_id: paramString(step, 'account_id'), state},
        `account ${paramString(step, 'account_id')} is ${state}`);
    },
  },
  deny_sso_user: {
    permission: 'organizations:UpdatePolicy',
    async act(api, step) {
      const name = paramString(step, 'policy_name');
      const userId = paramString(step, 'user_id');
      const scp = await readScp(api, name);
      let id = scp.id;
      const covered = scp.content !== undefined && ssoDeniedUserIds(scp.content).includes(userId);
      if (covered && scp.attachedToRoot) return already({policy_name: name, policy_id: id ?? '', user_id: userId});
      if (!id) {
        const created = await api.organizations<{Policy?: {PolicySummary?: {Id?: string}}}>('CreatePolicy', {
          Name: name, Type: 'SERVICE_CONTROL_POLICY', Content: ssoDenyPolicyContent(undefined, userId),
          Description: 'Offboarding: denies Identity Center users that were offboarded (identitystore:userId)'});
        id = created.Policy?.PolicySummary?.Id ?? '';
      } else if (!covered) {
        await api.organizations('UpdatePolicy', {PolicyId: id, Content: ssoDenyPolicyContent(scp.content, userId)});
      }
      if (!scp.attachedToRoot) await api.organizations('AttachPolicy', {PolicyId: id, TargetId: scp.rootId});
      return done({policy_name: name, policy_id: id, user_id: userId, attached_to: scp.rootId});
    },
    async read(api, step) {
      const scp = await readScp(api, paramString(step, 'policy_name'));
      const covered = scp.content !== undefined && ssoDeniedUserIds(scp.content).includes(paramString(step, 'user_id'));
      return seen(covered && scp.attachedToRoot, {policy_id: scp.id ?? null, covers_user: covered,
        attached_to_root: scp.attachedToRoot}, `SCP ${paramString(step, 'policy_name')} does not deny the user yet`);
    },
  },
  delete_sso_assignment: {
    permission: 'sso:DeleteAccountAssignment',
    async act(api, step) {
      const instance = paramString(step, 'instance_arn');
      const out = await api.ssoAdmin<{AccountAssignmentDeletionStatus?: SsoDeletionStatus}>('DeleteAccountAssignment', {
        InstanceArn: instance, TargetId: paramString(step, 'account_id'), TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: paramString(step, 'permission_set_arn'), PrincipalType: 'USER',
        PrincipalId: paramString(step, 'user_id')});
      let status = out.AccountAssignmentDeletionStatus;
      for (const wait of DELETION_POLLS_MS) {
        if (status?.Status !== 'IN_PROGRESS') break;
        if (wait > 0) await api.sleep(wait);
        status = (await api.ssoAdmin<{AccountAssignmentDeletionStatus?: SsoDeletionStatus}>(
          'DescribeAccountAssignmentDeletionStatus', {InstanceArn: instance,
            AccountAssignmentDeletionRequestId: status.RequestId})).AccountAssignmentDeletionStatus;
      }
      if (status?.Status === 'FAILED') {
        throw new PermanentError(`Identity Center could not delete the assignment: ${status.FailureReason ?? '?'}`);
      }
      if (status?.Status !== 'SUCCEEDED') {
        throw new TransientError('The assignment deletion is still in progress; checking again later.');
      }
      return done({account_id: paramString(step, 'account_id'), request_id: status.RequestId ?? '',
        status: status.Status});
    },
    async read(api, step) {
      const present = await assignmentPresent(api, step);
      return seen(!present, {account_id: paramString(step, 'account_id'), assigned: present},
        `the assignment in ${paramString(step, 'account_id')} is still there`);
    },
  },
  remove_sso_group_membership: {
    permission: 'identitystore:DeleteGroupMembership',
    async act(api, step) {
      await api.identityStore('DeleteGroupMembership', {IdentityStoreId: paramString(step, 'identity_store_id'),
        MembershipId: paramString(step, 'membership_id')});
      return done({membership_id: paramString(step, 'membership_id'), removed: true});
    },
    async read(api, step) {
      const rows = await orMissing(tokenAll<{MembershipId?: string}>((token) => api.identityStore(
        'ListGroupMembershipsForMember', {IdentityStoreId: paramString(step, 'identity_store_id'),
          MemberId: {UserId: paramString(step, 'user_id')}, ...(token ? {NextToken: token} : {})}), 'GroupMemberships'));
      const present = (rows ?? []).some((m) => m.MembershipId === paramString(step, 'membership_id'));
      return seen(!present, {membership_id: paramString(step, 'membership_id'), member: present},
        'the group membership is still there');
    },
  },
  delete_sso_user: {
    permission: 'identitystore:DeleteUser',
    async act(api, step) {
      await api.identityStore('DeleteUser', {IdentityStoreId: paramString(step, 'identity_store_id'),
        UserId: paramString(step, 'user_id')});
      return done({user_id: paramString(step, 'user_id'), deleted: true});
    },
    async read(api, step) {
      const user = await orMissing(api.identityStore('DescribeUser', {
        IdentityStoreId: paramString(step, 'identity_store_id'), UserId: paramString(step, 'user_id')}));
      return seen(user === undefined, {user_id: paramString(step, 'user_id'), exists: user !== undefined},
        `Identity Center user ${paramString(step, 'user_name')} still exists`);
    },
  },
};
