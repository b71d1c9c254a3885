// IAM Identity Center discovery: the user's account assignments (permission set per account) and group
// memberships, named for the admin. https://docs.aws.amazon.com/singlesignon/latest/userguide/howtodeleteuser.html
import type {Finding, Identity} from '../../engine/types.js';
import {type AwsApi, orMissing} from './client.js';
import {dataString, makeFinding} from './model.js';
import {tokenAll} from './reads.js';
import type {SsoAssignment} from './wire.js';

export async function discoverSsoUser(api: AwsApi, identity: Identity): Promise<Finding[]> {
  const d = identity.data;
  const userId = dataString(d, 'user_id');
  const storeId = dataString(d, 'identity_store_id');
  const instanceArn = dataString(d, 'instance_arn');
  const [assignments, memberships] = await Promise.all([
    tokenAll<SsoAssignment>((token) => api.ssoAdmin('ListAccountAssignmentsForPrincipal', {InstanceArn: instanceArn,
      PrincipalId: userId, PrincipalType: 'USER', MaxResults: 100, ...(token ? {NextToken: token} : {})}),
    'AccountAssignments'),
    tokenAll<{MembershipId?: string; GroupId?: string}>((token) => api.identityStore('ListGroupMembershipsForMember', {
      IdentityStoreId: storeId, MemberId: {UserId: userId}, MaxResults: 100, ...(token ? {NextToken: token} : {})}),
    'GroupMemberships'),
  ]);
  const permissionSets = [...new Set(assignments.map((a) => a.PermissionSetArn ?? ''))].filter(Boolean);
  const groupIds = [...new Set(memberships.map((m) => m.GroupId ?? ''))].filter(Boolean);
  const [psNames, groupNames] = await Promise.all([
    Promise.all(permissionSets.map(async (arn) => [arn, (await orMissing(api.ssoAdmin<{PermissionSet?: {Name?: string}}>(
      'DescribePermissionSet', {InstanceArn: instanceArn, PermissionSetArn: arn})))?.PermissionSet?.Name ?? arn] as const)),
    Promise.all(groupIds.map(async (id) => [id, (await orMissing(api.identityStore<{DisplayName?: string}>(
      'DescribeGroup', {IdentityStoreId: storeId, GroupId: id})))?.DisplayName ?? id] as const)),
  ]);
  const psName = new Map(psNames);
  const groupName = new Map(groupNames);
  const userName = dataString(d, 'user_name');
  const base = {user_id: userId, user_name: userName, identity_store_id: storeId, instance_arn: instanceArn};
  const out: Finding[] = [makeFinding(identity, 'sso_user', userId, `Identity Center user ${userName}`, 'high',
    {...base, deny_policy_name: dataString(d, 'deny_policy_name')})];
  for (const a of assignments) {
    const accountId = a.AccountId ?? '';
    const ps = a.PermissionSetArn ?? '';
    out.push(makeFinding(identity, 'sso_assignment', `${accountId}:${ps.split('/').pop() ?? ps}`,
      `${psName.get(ps) ?? ps} in account ${accountId} (Identity Center assignment)`, 'high',
      {...base, account_id: accountId, permission_set_arn: ps, permission_set_name: psName.get(ps) ?? ps}));
  }
  for (const m of memberships) {
    const groupId = m.GroupId ?? '';
    out.push(makeFinding(identity, 'sso_group_membership', m.MembershipId ?? '',
      `Member of Identity Center group ${groupName.get(groupId) ?? groupId}`, 'medium',
      {...base, membership_id: m.MembershipId ?? '', group_id: groupId, group_name: groupName.get(groupId) ?? groupId}));
  }
  out.push(makeFinding(identity, 'sso_sessions', userId, `Role sessions ${userName} started through Identity Center ` +
    'stay valid until they expire (up to 12 h) unless the deny SCP covers the account; SCPs never apply to the ' +
    'management account', 'medium', base, true));
  return out;
}
