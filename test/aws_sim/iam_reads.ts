// IAM read actions (Query protocol): users, their credentials, policies and groups, with Marker/IsTruncated/MaxItems
// pagination (https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAccessKeys.html and siblings).
import type {CallContext, QueryHandler} from './context.js';
import {AwsSimError, noSuchEntity} from './errors.js';
import {encodePolicyDocument, page, type QueryParams, type WireValue} from './protocol.js';
import type {IamUser} from './state.js';

/** IAM list actions: MaxItems 1..1000, 100 when absent. */
export function iamPage<T>(ctx: CallContext<QueryParams>, items: readonly T[]): {items: T[]; truncated: {
  IsTruncated: boolean; Marker?: string;
};} {
  const p = page(items, ctx.input.optional('Marker'), ctx.input.integer('MaxItems'),
    {max: 1000, fallback: 100, cap: ctx.knobs.pageCap}, false);
  return {items: p.items, truncated: p.next ? {IsTruncated: true, Marker: p.next} : {IsTruncated: false}};
}

export function findUser(ctx: CallContext<QueryParams>, name: string): IamUser {
  const user = ctx.account.iam.users.get(name.toLowerCase());
  if (!user) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return user;
}

/** `UserName` or, when absent, the calling IAM user (AWS: "defaults to the user making the request"). */
export function targetUser(ctx: CallContext<QueryParams>): IamUser {
  const name = ctx.input.optional('UserName');
  if (name !== undefined) return findUser(ctx, name);
  const own = ctx.caller.principal.userName;
  if (own === undefined) {
    throw new AwsSimError('ValidationError', 400, 'Must specify userName when calling with non-User credentials');
  }
  return findUser(ctx, own);
}

export function userShape(u: IamUser, withDetail: boolean): Record<string, WireValue> {
  const shape: Record<string, WireValue> = {
    Path: u.path, UserName: u.name, UserId: u.id, Arn: u.arn, CreateDate: new Date(u.createdAt),
  };
  if (withDetail && u.permissionsBoundary) {
    shape['PermissionsBoundary'] = {
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: u.permissionsBoundary,
    };
  }
  if (withDetail && u.tags.length > 0) shape['Tags'] = u.tags.map((t) => ({...t}));
  return shape;
}

function groupShape(ctx: CallContext<QueryParams>, name: string): Record<string, WireValue> {
  return {
    Path: '/', GroupName: name, GroupId: `AGPA${name.toUpperCase().replace(/[^A-Z0-9]/g, '').padEnd(17, 'X')
      .slice(0, 17)}`,
    Arn: `arn:aws:iam::${ctx.account.id}:group/${name}`, CreateDate: new Date(ctx.account.joinedAt),
  };
}

export const iamReads: Record<string, QueryHandler> = {
  GetUser: (ctx) => ({User: userShape(targetUser(ctx), true)}),

  ListUsers: (ctx) => {
    const users = [...ctx.account.iam.users.values()].sort((a, b) => a.name.localeCompare(b.name));
    const p = iamPage(ctx, users);
    return {Users: p.items.map((u) => userShape(u, false)), ...p.truncated};
  },

  ListUserTags: (ctx) => {
    const p = iamPage(ctx, findUser(ctx, ctx.input.required('UserName')).tags);
    return {Tags: p.items.map((t) => ({...t})), ...p.truncated};
  },

  /** Users only: the one filter offboarding asks for; other entity lists come back empty. */
  GetAccountAuthorizationDetails: (ctx) => {
    const filter = ctx.input.list('Filter');
    const wantUsers = filter.length === 0 || filter.includes('User');
    const users = wantUsers ? [...ctx.account.iam.users.values()].sort((a, b) => a.name.localeCompare(b.name)) : [];
    const p = iamPage(ctx, users);
    return {
      UserDetailList: p.items.map((u) => ({
        ...userShape(u, false),
        UserPolicyList: [...u.inlinePolicies].map(([PolicyName, doc]) => ({
          PolicyName, PolicyDocument: encodePolicyDocument(doc),
        })),
        GroupList: [...u.groups],
        AttachedManagedPolicies: [...u.attachedPolicies].map(([PolicyArn, PolicyName]) => ({PolicyName, PolicyArn})),
        PermissionsBoundary: u.permissionsBoundary
          ? {PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: u.permissionsBoundary}
          : undefined,
        Tags: u.tags.map((t) => ({...t})),
      })),
      GroupDetailList: [], RoleDetailList: [], Policies: [],
      ...p.truncated,
    };
  },

  ListAccessKeys: (ctx) => {
    const user = targetUser(ctx);
    const p = iamPage(ctx, user.accessKeys);
    return {
      AccessKeyMetadata: p.items.map((k) => ({
        UserName: user.name, AccessKeyId: k.id, Status: k.status, CreateDate: new Date(k.createdAt),
      })),
      ...p.truncated,
    };
  },

  GetAccessKeyLastUsed: (ctx) => {
    const id = ctx.input.required('AccessKeyId');
    for (const user of ctx.account.iam.users.values()) {
      const key = user.accessKeys.find((k) => k.id === id);
      if (!key) continue;
      return {
        UserName: user.name,
        AccessKeyLastUsed: key.lastUsed
          ? {LastUsedDate: new Date(key.lastUsed.at), ServiceName: key.lastUsed.service, Region: key.lastUsed.region}
          : {ServiceName: 'N/A', Region: 'N/A'},
      };
    }
    throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
  },

  GetLoginProfile: (ctx) => {
    const user = targetUser(ctx);
    if (!user.loginProfile) throw noSuchEntity(`Login Profile for User ${user.name} cannot be found.`);
    return {LoginProfile: {
      UserName: user.name, CreateDate: new Date(user.loginProfile.createdAt),
      PasswordResetRequired: user.loginProfile.passwordResetRequired,
    }};
  },

  ListSigningCertificates: (ctx) => {
    const user = targetUser(ctx);
    const p = iamPage(ctx, user.signingCertificates);
    return {
      Certificates: p.items.map((c) => ({
        UserName: user.name, CertificateId: c.id, CertificateBody: c.body, Status: c.status,
        UploadDate: new Date(c.uploadedAt),
      })),
      ...p.truncated,
    };
  },

  ListSSHPublicKeys: (ctx) => {
    const user = targetUser(ctx);
    const p = iamPage(ctx, user.sshPublicKeys);
    return {
      SSHPublicKeys: p.items.map((k) => ({
        UserName: user.name, SSHPublicKeyId: k.id, Status: k.status, UploadDate: new Date(k.uploadedAt),
      })),
      ...p.truncated,
    };
  },

  ListServiceSpecificCredentials: (ctx) => {
    const user = targetUser(ctx);
    const service = ctx.input.optional('ServiceName');
    return {
      ServiceSpecificCredentials: user.serviceCredentials.filter((c) => !service || c.serviceName === service)
        .map((c) => ({
          UserName: user.name, Status: c.status, ServiceUserName: c.serviceUserName, CreateDate: new Date(c.createdAt),
          ServiceSpecificCredentialId: c.id, ServiceName: c.serviceName,
        })),
    };
  },

  ListMFADevices: (ctx) => {
    const user = targetUser(ctx);
    const p = iamPage(ctx, user.mfaSerials);
    return {
      MFADevices: p.items.map((m) => ({UserName: user.name, SerialNumber: m.serial, EnableDate: new Date(m.enabledAt)})),
      ...p.truncated,
    };
  },

  ListUserPolicies: (ctx) => {
    const p = iamPage(ctx, [...findUser(ctx, ctx.input.required('UserName')).inlinePolicies.keys()]);
    return {PolicyNames: p.items, ...p.truncated};
  },

  GetUserPolicy: (ctx) => {
    const user = findUser(ctx, ctx.input.required('UserName'));
    const name = ctx.input.required('PolicyName');
    const doc = user.inlinePolicies.get(name);
    if (doc === undefined) throw noSuchEntity(`The user policy with name ${name} cannot be found.`);
    return {UserName: user.name, PolicyName: name, PolicyDocument: encodePolicyDocument(doc)};
  },

  ListAttachedUserPolicies: (ctx) => {
    const p = iamPage(ctx, [...findUser(ctx, ctx.input.required('UserName')).attachedPolicies]);
    return {AttachedPolicies: p.items.map(([PolicyArn, PolicyName]) => ({PolicyName, PolicyArn})), ...p.truncated};
  },

  ListGroupsForUser: (ctx) => {
    const p = iamPage(ctx, [...findUser(ctx, ctx.input.required('UserName')).groups]);
    return {Groups: p.items.map((g) => groupShape(ctx, g)), ...p.truncated};
  },
};
