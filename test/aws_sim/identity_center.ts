// IAM Identity Center: the Identity Store (`AWSIdentityStore.*`) and SSO Admin (`SWBExternalService.*`) actions
// offboarding uses, JSON 1.1, answered to the management account only. Account assignment deletion is asynchronous
// as in AWS: a request id whose status moves from IN_PROGRESS to SUCCEEDED.
// https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_DeleteAccountAssignment.html
import {type CallContext, type JsonHandler, requireManagement} from './context.js';
import {AwsSimError} from './errors.js';
import {type JsonInput, page, type WireValue} from './protocol.js';
import type {IdentityCenter, SsoDeletion, SsoUser} from './state.js';

function notFound(type: string, id: string): AwsSimError {
  return new AwsSimError('ResourceNotFoundException', 400, `${type} not found.`, {ResourceType: type, ResourceId: id});
}

function store(ctx: CallContext<JsonInput>): IdentityCenter {
  requireManagement(ctx);
  const idc = ctx.state.identityCenter;
  const id = ctx.input.required('IdentityStoreId');
  if (!idc || idc.identityStoreId !== id) throw notFound('IDENTITY_STORE', id);
  return idc;
}

function instance(ctx: CallContext<JsonInput>): IdentityCenter {
  requireManagement(ctx);
  const idc = ctx.state.identityCenter;
  const arn = ctx.input.required('InstanceArn');
  if (!idc || idc.instanceArn !== arn) {
    throw new AwsSimError('ResourceNotFoundException', 400, `Instance ${arn} does not exist.`);
  }
  return idc;
}

function userShape(idc: IdentityCenter, u: SsoUser): Record<string, WireValue> {
  return {IdentityStoreId: idc.identityStoreId, UserId: u.UserId, UserName: u.UserName, DisplayName: u.DisplayName,
    Name: {...u.Name}, Emails: u.Emails.map((e) => ({...e}))};
}

function deletionShape(d: SsoDeletion): Record<string, WireValue> {
  return {
    Status: d.Status, RequestId: d.RequestId, TargetId: d.assignment.AccountId, TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: d.assignment.PermissionSetArn, PrincipalType: d.assignment.PrincipalType,
    PrincipalId: d.assignment.PrincipalId, CreatedDate: new Date(d.createdAt),
  };
}

const polls = new WeakMap<SsoDeletion, number>();

export const identityStoreHandlers: Record<string, JsonHandler> = {
  GetUserId: (ctx) => {
    const idc = store(ctx);
    const unique = (ctx.input.object('AlternateIdentifier')?.['UniqueAttribute'] ?? {}) as
      {AttributePath?: string; AttributeValue?: unknown};
    const value = String(unique.AttributeValue ?? '').toLowerCase();
    const path = unique.AttributePath;
    if (path !== 'userName' && path !== 'emails.value') {
      throw new AwsSimError('ValidationException', 400, 'Invalid AttributePath: only userName and emails.value are supported.');
    }
    const user = [...idc.users.values()].find((u) => path === 'userName'
      ? u.UserName.toLowerCase() === value : u.Emails.some((e) => e.Value.toLowerCase() === value));
    if (!user) throw notFound('USER', value);
    return {IdentityStoreId: idc.identityStoreId, UserId: user.UserId};
  },

  DescribeUser: (ctx) => {
    const idc = store(ctx);
    const id = ctx.input.required('UserId');
    const user = idc.users.get(id);
    if (!user) throw notFound('USER', id);
    return userShape(idc, user);
  },

  DeleteUser: (ctx) => {
    const idc = store(ctx);
    const id = ctx.input.required('UserId');
    if (!idc.users.delete(id)) throw notFound('USER', id);
    for (const [mid, m] of idc.memberships) if (m.UserId === id) idc.memberships.delete(mid);
    return {};
  },

  DescribeGroup: (ctx) => {
    const idc = store(ctx);
    const id = ctx.input.required('GroupId');
    const group = idc.groups.get(id);
    if (!group) throw notFound('GROUP', id);
    return {IdentityStoreId: idc.identityStoreId, GroupId: group.GroupId, DisplayName: group.DisplayName};
  },

  ListGroupMembershipsForMember: (ctx) => {
    const idc = store(ctx);
    const userId = String((ctx.input.object('MemberId') ?? {})['UserId'] ?? '');
    const rows = [...idc.memberships.values()].filter((m) => m.UserId === userId);
    const p = page(rows, ctx.input.optional('NextToken'), ctx.input.integer('MaxResults'),
      {max: 100, fallback: 100, cap: ctx.knobs.pageCap}, true);
    return {
      GroupMemberships: p.items.map((m) => ({IdentityStoreId: idc.identityStoreId, MembershipId: m.MembershipId,
        GroupId: m.GroupId, MemberId: {UserId: m.UserId}})),
      NextToken: p.next,
    };
  },

  DeleteGroupMembership: (ctx) => {
    const idc = store(ctx);
    const id = ctx.input.required('MembershipId');
    if (!idc.memberships.delete(id)) throw notFound('GROUP_MEMBERSHIP', id);
    return {};
  },
};

export const ssoAdminHandlers: Record<string, JsonHandler> = {
  ListInstances: (ctx) => {
    requireManagement(ctx);
    const idc = ctx.state.identityCenter;
    return {Instances: idc ? [{InstanceArn: idc.instanceArn, IdentityStoreId: idc.identityStoreId, Status: 'ACTIVE',
      OwnerAccountId: ctx.account.id}] : []};
  },

  DescribePermissionSet: (ctx) => {
    const idc = instance(ctx);
    const arn = ctx.input.required('PermissionSetArn');
    const ps = idc.permissionSets.get(arn);
    if (!ps) throw new AwsSimError('ResourceNotFoundException', 400, `PermissionSet ${arn} does not exist.`);
    return {PermissionSet: {Name: ps.Name, Description: ps.Description, PermissionSetArn: arn, SessionDuration: 'PT8H'}};
  },

  ListAccountAssignmentsForPrincipal: (ctx) => {
    const idc = instance(ctx);
    const principal = ctx.input.required('PrincipalId');
    const type = ctx.input.required('PrincipalType');
    const rows = idc.assignments.filter((a) => a.PrincipalId === principal && a.PrincipalType === type);
    const p = page(rows, ctx.input.optional('NextToken'), ctx.input.integer('MaxResults'),
      {max: 100, fallback: 100, cap: ctx.knobs.pageCap}, true);
    return {AccountAssignments: p.items.map((a) => ({...a})), NextToken: p.next};
  },

  DeleteAccountAssignment: (ctx) => {
    const idc = instance(ctx);
    const wanted = {
      AccountId: ctx.input.required('TargetId'), PermissionSetArn: ctx.input.required('PermissionSetArn'),
      PrincipalType: ctx.input.required('PrincipalType'), PrincipalId: ctx.input.required('PrincipalId'),
    };
    const assignment = idc.assignments.find((a) => a.AccountId === wanted.AccountId &&
      a.PermissionSetArn === wanted.PermissionSetArn && a.PrincipalType === wanted.PrincipalType &&
      a.PrincipalId === wanted.PrincipalId);
    if (!assignment) throw new AwsSimError('ResourceNotFoundException', 400, 'AccountAssignment does not exist.');
    const deletion: SsoDeletion = {RequestId: ctx.state.ids.uuid(), Status: 'IN_PROGRESS', assignment,
      createdAt: ctx.now};
    idc.deletions.set(deletion.RequestId, deletion);
    polls.set(deletion, 0);
    // With no polls configured the assignment goes at once; the answer still says IN_PROGRESS, as AWS's does.
    if (ctx.knobs.ssoDeletionPolls <= 0) idc.assignments = idc.assignments.filter((a) => a !== assignment);
    const answer = deletionShape(deletion);
    if (ctx.knobs.ssoDeletionPolls <= 0) deletion.Status = 'SUCCEEDED';
    return {AccountAssignmentDeletionStatus: answer};
  },

  DescribeAccountAssignmentDeletionStatus: (ctx) => {
    const idc = instance(ctx);
    const id = ctx.input.required('AccountAssignmentDeletionRequestId');
    const deletion = idc.deletions.get(id);
    if (!deletion) throw new AwsSimError('ResourceNotFoundException', 400, `Request ${id} does not exist.`);
    const seen = (polls.get(deletion) ?? 0) + 1;
    polls.set(deletion, seen);
    if (deletion.Status === 'IN_PROGRESS' && seen >= ctx.knobs.ssoDeletionPolls) {
      deletion.Status = 'SUCCEEDED';
      idc.assignments = idc.assignments.filter((a) => a !== deletion.assignment);
    }
    return {AccountAssignmentDeletionStatus: deletionShape(deletion)};
  },
};
