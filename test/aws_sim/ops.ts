// Seeding and test set-up on the simulator's state (no HTTP): the organization and its accounts, IAM users with
// every kind of dependent, roles, CloudTrail history and IAM Identity Center. Typos throw: they are test bugs.
import {createHash} from 'node:crypto';
import {IAM_EVENT_REGION, recordEvent} from './cloudtrail.js';
import type {IamUser, SimAccount, SimState, TrailEvent} from './state.js';

export const DEFAULT_ROLE = 'OrganizationAccountAccessRole';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Who created a key, as CloudTrail shows it: an IAM user, or an Identity Center (SSO) role session. */
export type TrailActor =
  | {readonly kind: 'iam_user'; readonly userName: string}
  | {readonly kind: 'sso'; readonly sessionName: string; readonly userId: string; readonly permissionSet: string};

export class SimOps {
  constructor(readonly state: SimState) {}

  /** The management account, the organization, and an admin IAM user whose key the service is configured with. */
  createOrganization(input: {managementAccountId: string; name?: string; email: string; adminUser?: string}):
    {credentials: Credentials; account: SimAccount} {
    const account = this.state.addAccount({id: input.managementAccountId, name: input.name ?? 'management',
      email: input.email});
    const orgId = `o-${this.state.ids.hex(10)}`;
    this.state.organization = {
      id: orgId, arn: `arn:aws:organizations::${account.id}:organization/${orgId}`,
      managementAccountId: account.id, managementEmail: input.email, rootId: `r-${this.state.ids.hex(4)}`,
      policies: new Map(), closures: [],
    };
    const admin = this.createUser(account.id, {name: input.adminUser ?? 'offboarding-service'});
    admin.attachedPolicies.set('arn:aws:iam::aws:policy/AdministratorAccess', 'AdministratorAccess');
    return {credentials: this.createAccessKey(account.id, admin.name), account};
  }

  /** A member account created through Organizations, so it has OrganizationAccountAccessRole trusting management. */
  addMemberAccount(input: {id: string; name: string; email: string; tags?: Record<string, string>;
    roleName?: string | null; externalId?: string; joinedMethod?: 'CREATED' | 'INVITED'}): SimAccount {
    const management = this.state.organization?.managementAccountId;
    if (!management) throw new Error('aws sim: createOrganization first');
    const account = this.state.addAccount(input);
    if (input.roleName !== null) {
      this.createRole(account.id, input.roleName ?? DEFAULT_ROLE, {trustedAccounts: [management],
        ...(input.externalId === undefined ? {} : {externalId: input.externalId})});
    }
    return account;
  }

  createRole(accountId: string, name: string, opts: {trustedAccounts: string[]; externalId?: string;
    maxSessionSeconds?: number}): void {
    const account = this.state.mustAccount(accountId);
    account.iam.roles.set(name.toLowerCase(), {
      name, id: this.state.ids.next('AROA', 21), arn: `arn:aws:iam::${accountId}:role/${name}`,
      trustedAccounts: new Set(opts.trustedAccounts), maxSessionSeconds: opts.maxSessionSeconds ?? 3600,
      ...(opts.externalId === undefined ? {} : {externalId: opts.externalId}),
    });
  }

  /** Deletes the role, so AssumeRole into the account is refused (AccessDenied), as after a broken trust policy. */
  breakRole(accountId: string, name = DEFAULT_ROLE): void {
    this.state.mustAccount(accountId).iam.roles.delete(name.toLowerCase());
  }

  /** Ends every STS session at once: later calls with them get ExpiredToken. */
  revokeSessions(): void {
    const now = this.state.now();
    for (const [id, p] of this.state.principals) {
      if (p.sessionToken !== undefined) this.state.principals.set(id, {...p, expiresAt: now});
    }
  }

  setAccountTag(accountId: string, key: string, value: string): void {
    const account = this.state.mustAccount(accountId);
    account.tags = [...account.tags.filter((t) => t.Key !== key), {Key: key, Value: value}];
  }

  createUser(accountId: string, input: {name: string; path?: string; tags?: Record<string, string>}): IamUser {
    const account = this.state.mustAccount(accountId);
    if (account.iam.users.has(input.name.toLowerCase())) throw new Error(`aws sim: user ${input.name} exists`);
    const path = input.path ?? '/';
    const user: IamUser = {
      name: input.name, id: this.state.ids.next('AIDA', 21), arn: `arn:aws:iam::${accountId}:user${path}${input.name}`,
      path, createdAt: this.state.now(), tags: Object.entries(input.tags ?? {}).map(([Key, Value]) => ({Key, Value})),
      accessKeys: [], signingCertificates: [], sshPublicKeys: [], serviceCredentials: [], mfaSerials: [],
      inlinePolicies: new Map(), attachedPolicies: new Map(), groups: new Set(),
    };
    account.iam.users.set(input.name.toLowerCase(), user);
    return user;
  }

  addLoginProfile(accountId: string, userName: string): void {
    this.state.mustUser(accountId, userName).loginProfile = {createdAt: this.state.now(), passwordResetRequired: false};
  }

  createAccessKey(accountId: string, userName: string, opts: {lastUsed?: {at: number; service: string}} = {}):
    Credentials {
    const user = this.state.mustUser(accountId, userName);
    if (user.accessKeys.length >= 2) throw new Error(`aws sim: ${userName} already has two access keys`);
    const id = this.state.ids.next('AKIA', 20);
    const secret = this.state.ids.secret();
    user.accessKeys.push({id, secret, status: 'Active', createdAt: this.state.now(),
      ...(opts.lastUsed ? {lastUsed: {...opts.lastUsed, region: 'us-east-1'}} : {})});
    this.state.addPrincipal({accessKeyId: id, secretAccessKey: secret, accountId, kind: 'user', arn: user.arn,
      userName: user.name, issuedAt: this.state.now()});
    return {accessKeyId: id, secretAccessKey: secret};
  }

  uploadSigningCertificate(accountId: string, userName: string): string {
    const id = this.state.ids.next('', 32);
    this.state.mustUser(accountId, userName).signingCertificates.push({id,
      body: `-----BEGIN CERTIFICATE-----\n${id}\n-----END CERTIFICATE-----`, status: 'Active',
      uploadedAt: this.state.now()});
    return id;
  }

  uploadSshPublicKey(accountId: string, userName: string): string {
    const id = this.state.ids.next('APKA', 20);
    const body = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${id} ${userName}`;
    this.state.mustUser(accountId, userName).sshPublicKeys.push({id, body, status: 'Active',
      fingerprint: createHash('md5').update(body).digest('hex').replace(/(..)(?=.)/g, '$1:'),
      uploadedAt: this.state.now()});
    return id;
  }

  createServiceCredential(accountId: string, userName: string, serviceName = 'codecommit.amazonaws.com'): string {
    const id = this.state.ids.next('ACCA', 21);
    this.state.mustUser(accountId, userName).serviceCredentials.push({id, serviceName,
      serviceUserName: `${userName}-at-${accountId}`, status: 'Active', createdAt: this.state.now()});
    return id;
  }

  /** A virtual MFA device enabled for the user; its serial is the device ARN. */
  enableVirtualMfa(accountId: string, userName: string): string {
    const account = this.state.mustAccount(accountId);
    const user = this.state.mustUser(accountId, userName);
    const serial = `arn:aws:iam::${accountId}:mfa/${user.name}`;
    account.iam.virtualMfaDevices.set(serial, {serial, user: user.name.toLowerCase(), createdAt: this.state.now()});
    user.mfaSerials.push({serial, enabledAt: this.state.now()});
    return serial;
  }

  /** A hardware token: a plain serial number, no virtual device to delete. */
  enableHardwareMfa(accountId: string, userName: string): string {
    const serial = `GAHT${this.state.ids.next('', 8)}`;
    this.state.mustUser(accountId, userName).mfaSerials.push({serial, enabledAt: this.state.now()});
    return serial;
  }

  putUserPolicy(accountId: string, userName: string, name: string, document: object): void {
    this.state.mustUser(accountId, userName).inlinePolicies.set(name, JSON.stringify(document));
  }

  attachUserPolicy(accountId: string, userName: string, arn: string): void {
    this.state.mustUser(accountId, userName).attachedPolicies.set(arn, arn.split('/').pop() ?? arn);
  }

  addUserToGroup(accountId: string, userName: string, group: string): void {
    this.state.mustAccount(accountId).iam.groups.set(group.toLowerCase(), group);
    this.state.mustUser(accountId, userName).groups.add(group);
  }

  setPermissionsBoundary(accountId: string, userName: string, arn: string): void {
    this.state.mustUser(accountId, userName).permissionsBoundary = arn;
  }

  /** A CreateAccessKey record in the account's event history, as if `actor` had made the key for `userName`. */
  recordCreateAccessKey(accountId: string, input: {actor: TrailActor; userName: string; accessKeyId: string;
    at?: number}): TrailEvent {
    const account = this.state.mustAccount(accountId);
    const at = input.at ?? this.state.now();
    const actor = input.actor;
    const userIdentity: Record<string, unknown> = actor.kind === 'iam_user'
      ? {type: 'IAMUser', principalId: this.state.user(accountId, actor.userName)?.id ?? 'AIDAUNKNOWN',
        arn: `arn:aws:iam::${accountId}:user/${actor.userName}`, accountId, userName: actor.userName}
      : {type: 'AssumedRole', principalId: `AROASSO${actor.permissionSet.toUpperCase()}:${actor.sessionName}`,
        arn: `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_${actor.permissionSet}_0123456789abcdef/` +
          actor.sessionName,
        accountId, onBehalfOf: {userId: actor.userId,
          identityStoreArn: `arn:aws:identitystore::${this.state.organization?.managementAccountId ?? accountId}:` +
            `identitystore/${this.state.identityCenter?.identityStoreId ?? 'd-0000000000'}`},
        sessionContext: {sessionIssuer: {type: 'Role', userName: `AWSReservedSSO_${actor.permissionSet}_0123456789abcdef`}}};
    return recordEvent(account, this.state, {
      eventName: 'CreateAccessKey', eventSource: 'iam.amazonaws.com', eventTime: at, region: IAM_EVENT_REGION,
      userIdentity, requestParameters: {userName: input.userName},
      responseElements: {accessKey: {accessKeyId: input.accessKeyId, status: 'Active', userName: input.userName,
        createDate: new Date(at).toISOString()}},
      resources: [{ResourceType: 'AWS::IAM::AccessKey', ResourceName: input.accessKeyId},
        {ResourceType: 'AWS::IAM::User', ResourceName: input.userName}],
      readOnly: false, username: actor.kind === 'iam_user' ? actor.userName : actor.sessionName,
    });
  }

  enableIdentityCenter(): {instanceArn: string; identityStoreId: string} {
    const instanceArn = `arn:aws:sso:::instance/ssoins-${this.state.ids.hex(16)}`;
    const identityStoreId = `d-${this.state.ids.hex(10)}`;
    this.state.identityCenter = {instanceArn, identityStoreId, users: new Map(), groups: new Map(),
      memberships: new Map(), permissionSets: new Map(), assignments: [], deletions: new Map()};
    return {instanceArn, identityStoreId};
  }

  private idc() {
    const idc = this.state.identityCenter;
    if (!idc) throw new Error('aws sim: enableIdentityCenter first');
    return idc;
  }

  createSsoUser(input: {userName: string; email: string; displayName: string}): string {
    const id = this.state.ids.uuid();
    const [given = '', family = ''] = input.displayName.split(' ');
    this.idc().users.set(id, {UserId: id, UserName: input.userName, DisplayName: input.displayName,
      Emails: [{Value: input.email, Type: 'work', Primary: true}], Name: {GivenName: given, FamilyName: family}});
    return id;
  }

  createSsoGroup(displayName: string): string {
    const id = this.state.ids.uuid();
    this.idc().groups.set(id, {GroupId: id, DisplayName: displayName});
    return id;
  }

  addSsoMembership(groupId: string, userId: string): string {
    const id = this.state.ids.uuid();
    this.idc().memberships.set(id, {MembershipId: id, GroupId: groupId, UserId: userId});
    return id;
  }

  createPermissionSet(name: string): string {
    const idc = this.idc();
    const arn = `${idc.instanceArn.replace(':instance/', ':permissionSet/')}/ps-${this.state.ids.hex(16)}`;
    idc.permissionSets.set(arn, {Name: name, Description: `${name} access`});
    return arn;
  }

  assignSso(accountId: string, permissionSetArn: string, userId: string): void {
    this.idc().assignments.push({AccountId: accountId, PermissionSetArn: permissionSetArn, PrincipalType: 'USER',
      PrincipalId: userId});
  }
}
