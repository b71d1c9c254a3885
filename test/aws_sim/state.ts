// The simulator's data: one IAM namespace per account, the organization, credentials (long-term keys and STS
// sessions, each naming its account), CloudTrail event history per account and region, and IAM Identity Center.
import {createHash} from 'node:crypto';

/** Who signs a request: found from the access key id in the SigV4 credential scope. */
export interface Principal {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
  /** Long-term key of an IAM user, an assumed-role session, or a GetSessionToken session of an IAM user. */
  readonly kind: 'user' | 'role_session' | 'user_session';
  readonly arn: string;
  /** IAM user name for `user` and `user_session`. */
  readonly userName?: string;
  readonly roleName?: string;
  readonly sessionName?: string;
  readonly sessionToken?: string;
  readonly issuedAt: number;
  readonly expiresAt?: number;
}

export interface AccessKey {
  readonly id: string;
  readonly secret: string;
  status: 'Active' | 'Inactive';
  readonly createdAt: number;
  lastUsed?: {at: number; service: string; region: string};
}

export interface SigningCertificate {
  readonly id: string;
  readonly body: string;
  status: 'Active' | 'Inactive';
  readonly uploadedAt: number;
}

export interface SshPublicKey {
  readonly id: string;
  readonly body: string;
  readonly fingerprint: string;
  status: 'Active' | 'Inactive';
  readonly uploadedAt: number;
}

export interface ServiceCredential {
  readonly id: string;
  readonly serviceName: string;
  readonly serviceUserName: string;
  status: 'Active' | 'Inactive';
  readonly createdAt: number;
}

export interface IamUser {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  readonly path: string;
  readonly createdAt: number;
  tags: {Key: string; Value: string}[];
  loginProfile?: {createdAt: number; passwordResetRequired: boolean};
  accessKeys: AccessKey[];
  signingCertificates: SigningCertificate[];
  sshPublicKeys: SshPublicKey[];
  serviceCredentials: ServiceCredential[];
  /** Serial numbers of the MFA devices enabled for the user (virtual device ARN or hardware serial). */
  mfaSerials: {serial: string; enabledAt: number}[];
  /** Inline policies: name → JSON document (plain, not URL-encoded). */
  inlinePolicies: Map<string, string>;
  /** Attached managed policies: ARN → name. */
  attachedPolicies: Map<string, string>;
  /** Group names (as created, case preserved). */
  groups: Set<string>;
  permissionsBoundary?: string;
}

export interface IamRole {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  /** Accounts whose principals the trust policy lets assume the role. */
  trustedAccounts: Set<string>;
  /** Required sts:ExternalId, when the trust policy has that condition. */
  externalId?: string;
  readonly maxSessionSeconds: number;
}

export interface VirtualMfaDevice {
  readonly serial: string;
  /** Lower-cased name of the user it is enabled for, if any. */
  user?: string;
  readonly createdAt: number;
}

export interface IamNamespace {
  /** Keyed by lower-cased name: IAM names are unique case-insensitively. */
  readonly users: Map<string, IamUser>;
  readonly roles: Map<string, IamRole>;
  /** Group name (lower-cased) → display name. */
  readonly groups: Map<string, string>;
  readonly virtualMfaDevices: Map<string, VirtualMfaDevice>;
}

export interface TrailEvent {
  readonly eventId: string;
  readonly eventName: string;
  readonly eventSource: string;
  readonly eventTime: number;
  readonly region: string;
  /** The `userIdentity` of the record as CloudTrail writes it. */
  readonly userIdentity: Record<string, unknown>;
  readonly requestParameters: Record<string, unknown> | null;
  readonly responseElements: Record<string, unknown> | null;
  readonly resources: {ResourceType: string; ResourceName: string}[];
  readonly readOnly: boolean;
  /** CloudTrail's `Username` column (the IAM user name or the role session name). */
  readonly username: string;
  readonly accessKeyId?: string;
}

export type AccountState = 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';

export interface SimAccount {
  readonly id: string;
  name: string;
  email: string;
  state: AccountState;
  readonly joinedMethod: 'CREATED' | 'INVITED';
  readonly joinedAt: number;
  closedAt?: number;
  tags: {Key: string; Value: string}[];
  readonly iam: IamNamespace;
  readonly trail: TrailEvent[];
}

export interface ScpPolicy {
  readonly id: string;
  readonly arn: string;
  name: string;
  description: string;
  content: string;
  readonly targets: Set<string>;
}

export interface Organization {
  readonly id: string;
  readonly arn: string;
  readonly managementAccountId: string;
  readonly managementEmail: string;
  readonly rootId: string;
  readonly policies: Map<string, ScpPolicy>;
  /** Times of CloseAccount calls, for the rolling 30-day quota. */
  readonly closures: number[];
}

export interface SsoUser {
  readonly UserId: string;
  UserName: string;
  DisplayName: string;
  Emails: {Value: string; Type: string; Primary: boolean}[];
  Name: {GivenName: string; FamilyName: string};
}

export interface SsoAssignment {
  readonly AccountId: string;
  readonly PermissionSetArn: string;
  readonly PrincipalType: 'USER' | 'GROUP';
  readonly PrincipalId: string;
}

export interface SsoDeletion {
  readonly RequestId: string;
  Status: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED';
  readonly assignment: SsoAssignment;
  readonly createdAt: number;
}

export interface IdentityCenter {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly users: Map<string, SsoUser>;
  readonly groups: Map<string, {GroupId: string; DisplayName: string}>;
  readonly memberships: Map<string, {MembershipId: string; GroupId: string; UserId: string}>;
  readonly permissionSets: Map<string, {Name: string; Description: string}>;
  assignments: SsoAssignment[];
  readonly deletions: Map<string, SsoDeletion>;
}

/** Deterministic, realistic-looking identifiers (same seed order → same ids). */
export class IdGen {
  private counter = 0;

  private digest(): string {
    this.counter += 1;
    return createHash('sha256').update(`aws-sim:${this.counter}`).digest('hex');
  }

  /** `prefix` followed by upper-case base-32 characters, `length` in total; unique per generator. */
  next(prefix: string, length: number): string {
    const hash = this.digest();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    // The counter's own six base-32 digits keep ids unique; the hashed filler only makes them look random.
    let unique = '';
    for (let n = this.counter, i = 0; i < 6; i++, n = Math.floor(n / 32)) unique = alphabet[n % 32] + unique;
    let filler = '';
    for (let i = 0; filler.length < length - prefix.length - 6; i++) {
      filler += alphabet[parseInt(hash.slice((i * 2) % 64, (i * 2) % 64 + 2), 16) % 32];
    }
    return `${prefix}${filler}${unique}`;
  }

  /** Lower-case hex, unique per generator (the counter is folded into the last eight digits). */
  hex(length: number): string {
    const hash = this.digest();
    const counter = this.counter.toString(16).padStart(8, '0');
    return `${hash.repeat(Math.ceil(length / 64) + 1).slice(0, Math.max(0, length - 8))}${counter}`.slice(-length);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  secret(): string {
    return `${this.hex(20)}${this.hex(20)}`;
  }
}

export class SimState {
  readonly accounts = new Map<string, SimAccount>();
  /** Every access key id the simulator knows, long-term or temporary. */
  readonly principals = new Map<string, Principal>();
  organization: Organization | undefined;
  identityCenter: IdentityCenter | undefined;
  readonly ids = new IdGen();

  constructor(readonly now: () => number) {}

  account(id: string): SimAccount | undefined {
    return this.accounts.get(id);
  }

  /** The account or a thrown Error: for seeding code, where a typo is a bug in the test. */
  mustAccount(id: string): SimAccount {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`aws sim: no account ${id}`);
    return account;
  }

  addAccount(input: {id: string; name: string; email: string; joinedMethod?: 'CREATED' | 'INVITED';
    tags?: Record<string, string>}): SimAccount {
    if (!/^\d{12}$/.test(input.id)) throw new Error(`aws sim: account id must be 12 digits, got ${input.id}`);
    if (this.accounts.has(input.id)) throw new Error(`aws sim: account ${input.id} exists`);
    const account: SimAccount = {
      id: input.id, name: input.name, email: input.email, state: 'ACTIVE',
      joinedMethod: input.joinedMethod ?? 'CREATED', joinedAt: this.now(),
      tags: Object.entries(input.tags ?? {}).map(([Key, Value]) => ({Key, Value})),
      iam: {users: new Map(), roles: new Map(), groups: new Map(), virtualMfaDevices: new Map()},
      trail: [],
    };
    this.accounts.set(account.id, account);
    return account;
  }

  user(accountId: string, name: string): IamUser | undefined {
    return this.accounts.get(accountId)?.iam.users.get(name.toLowerCase());
  }

  mustUser(accountId: string, name: string): IamUser {
    const user = this.user(accountId, name);
    if (!user) throw new Error(`aws sim: no user ${name} in ${accountId}`);
    return user;
  }

  /** Registers credentials so requests signed with them are accepted. */
  addPrincipal(p: Principal): Principal {
    this.principals.set(p.accessKeyId, p);
    return p;
  }
}
