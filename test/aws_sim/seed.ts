// seedAwsOrg: an organization where the departing person (Dana, as in the Mattermost seed) has IAM users with every
// kind of dependent in several accounts, made an access key for a service user, owns a sandbox account and has an
// Identity Center user with assignments. Used by `offboard sandbox`, the provider tests and the benchmark.
import type {Credentials} from './ops.js';
import type {AwsSim} from './sim.js';

export interface AwsSeedPerson {
  readonly username: string;
  readonly email: string;
  readonly displayName: string;
}

export interface AwsOrgSeedOptions {
  /** Accounts in the organization, management included, besides the owned sandboxes (default 6). */
  readonly accounts?: number;
  /** Member accounts where the person has an IAM user with a full set of dependents (default 3). */
  readonly personAccounts?: number;
  readonly person?: AwsSeedPerson;
  /** Colleagues' and service users per account (default 2). */
  readonly otherUsersPerAccount?: number;
  readonly identityCenter?: boolean;
  /** Member accounts tagged `owner=<email>` (default 1). */
  readonly ownedAccounts?: number;
  /** Access keys the person created for a service user, recorded in CloudTrail (default 1). */
  readonly serviceKeys?: number;
  /**
   * How the person's users are named: `mixed` (default) varies them so each resolution source shows up once
   * (name = username, tagged user with another name, name = email); `tagged` tags them all with the email.
   */
  readonly naming?: 'mixed' | 'tagged';
  readonly ownerTag?: string;
}

export interface SeededAwsOrg {
  readonly managementAccountId: string;
  readonly credentials: Credentials;
  readonly region: string;
  /** Every account id, management first. */
  readonly accounts: readonly string[];
  readonly person: AwsSeedPerson;
  readonly personUsers: readonly {accountId: string; userName: string}[];
  readonly ownedAccounts: readonly string[];
  readonly serviceKeys: readonly {accountId: string; userName: string; accessKeyId: string}[];
  readonly identityCenter?: {instanceArn: string; identityStoreId: string; userId: string};
  /**
   * The `providers.aws` section for this simulator. It holds the secret key inline: a caller writing a config file
   * should move it to `secret_access_key_file`.
   */
  readonly config: Record<string, unknown>;
}

export const DANA: AwsSeedPerson = {username: 'dana', email: 'dana@example.com', displayName: 'Dana Whitfield'};
const MANAGEMENT_ID = '100000000000';
const ACCOUNT_NAMES = ['prod', 'staging', 'dev', 'data', 'security', 'shared-services', 'logging', 'network'];
const COLLEAGUES = ['alice', 'bob', 'carol', 'erin', 'frank', 'grace'];

export function memberAccountId(index: number): string {
  return String(200000000000 + index);
}

/** Gives `userName` one of every dependent DeleteUser waits for, plus a permissions boundary. */
export function addFullDependents(sim: AwsSim, accountId: string, userName: string): void {
  sim.addLoginProfile(accountId, userName);
  sim.createAccessKey(accountId, userName, {lastUsed: {at: sim.state.now() - 3_600_000, service: 's3'}});
  sim.createAccessKey(accountId, userName);
  sim.uploadSigningCertificate(accountId, userName);
  sim.uploadSshPublicKey(accountId, userName);
  sim.createServiceCredential(accountId, userName);
  sim.enableVirtualMfa(accountId, userName);
  sim.putUserPolicy(accountId, userName, 'inline-s3-debug', {Version: '2012-10-17',
    Statement: [{Effect: 'Allow', Action: 's3:GetObject', Resource: '*'}]});
  sim.attachUserPolicy(accountId, userName, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
  sim.attachUserPolicy(accountId, userName, `arn:aws:iam::${accountId}:policy/DeployPipeline`);
  sim.addUserToGroup(accountId, userName, 'developers');
  sim.addUserToGroup(accountId, userName, 'oncall');
  sim.setPermissionsBoundary(accountId, userName, `arn:aws:iam::${accountId}:policy/DeveloperBoundary`);
}

function personUserName(person: AwsSeedPerson, index: number, naming: 'mixed' | 'tagged'): string {
  if (naming === 'tagged') return `${person.username}-${index}`;
  return [person.username, `${person.username}.admin`, person.email][index % 3] as string;
}

export function seedAwsOrg(sim: AwsSim, options: AwsOrgSeedOptions = {}): SeededAwsOrg {
  const person = options.person ?? DANA;
  const total = options.accounts ?? 6;
  const personAccounts = options.personAccounts ?? 3;
  const naming = options.naming ?? 'mixed';
  const ownerTag = options.ownerTag ?? 'owner';
  if (total < 2 || personAccounts > total - 1) throw new Error('aws sim seed: need more member accounts');
  const {credentials} = sim.createOrganization({managementAccountId: MANAGEMENT_ID, name: 'management',
    email: 'aws-root@example.com'});
  const accounts = [MANAGEMENT_ID];
  for (let i = 1; i < total; i++) {
    const name = ACCOUNT_NAMES[i - 1] ?? `workload-${i}`;
    accounts.push(sim.addMemberAccount({id: memberAccountId(i), name, email: `aws+${name}@example.com`}).id);
  }
  const others = options.otherUsersPerAccount ?? 2;
  const serviceUsers: {accountId: string; userName: string}[] = [];
  for (const accountId of accounts) {
    for (let j = 0; j < others; j++) {
      const colleague = COLLEAGUES[j % COLLEAGUES.length] as string;
      sim.createUser(accountId, {name: j === 0 ? 'ci-deploy' : colleague,
        tags: j === 0 ? {purpose: 'ci'} : {email: `${colleague}@example.com`}});
      if (j === 0) serviceUsers.push({accountId, userName: 'ci-deploy'});
    }
  }

  const personUsers: {accountId: string; userName: string}[] = [];
  for (let i = 0; i < personAccounts; i++) {
    const accountId = accounts[i + 1] as string;
    const userName = personUserName(person, i, naming);
    // The middle naming carries the email tag only; the others are found by their name.
    const tagged = naming === 'tagged' || i % 3 === 1;
    sim.createUser(accountId, {name: userName, tags: tagged ? {email: person.email, team: 'platform'} : {team: 'platform'}});
    addFullDependents(sim, accountId, userName);
    personUsers.push({accountId, userName});
  }

  const ownedAccounts: string[] = [];
  for (let i = 0; i < (options.ownedAccounts ?? 1); i++) {
    const id = memberAccountId(total + i);
    sim.addMemberAccount({id, name: `sandbox-${person.username}${i === 0 ? '' : `-${i}`}`,
      email: `aws+sandbox-${person.username}-${i}@example.com`, tags: {[ownerTag]: person.email}});
    accounts.push(id);
    ownedAccounts.push(id);
  }

  const firstPersonUser = personUsers[0];
  const serviceKeys: {accountId: string; userName: string; accessKeyId: string}[] = [];
  for (let i = 0; i < (options.serviceKeys ?? 1) && firstPersonUser; i++) {
    const target = serviceUsers.find((s) => s.accountId === firstPersonUser.accountId) ?? serviceUsers[0];
    if (!target) break;
    const key = sim.createAccessKey(target.accountId, target.userName);
    sim.recordCreateAccessKey(target.accountId, {actor: {kind: 'iam_user', userName: firstPersonUser.userName},
      userName: target.userName, accessKeyId: key.accessKeyId, at: sim.state.now() - 86_400_000 * (i + 3)});
    serviceKeys.push({...target, accessKeyId: key.accessKeyId});
  }

  let identityCenter: SeededAwsOrg['identityCenter'];
  if (options.identityCenter ?? true) {
    const idc = sim.enableIdentityCenter();
    const userId = sim.createSsoUser({userName: person.email, email: person.email, displayName: person.displayName});
    const admins = sim.createPermissionSet('AdministratorAccess');
    const readOnly = sim.createPermissionSet('ReadOnly');
    sim.assignSso(accounts[1] as string, admins, userId);
    sim.assignSso(accounts[2] as string, readOnly, userId);
    sim.addSsoMembership(sim.createSsoGroup('platform-team'), userId);
    sim.createSsoUser({userName: 'alice@example.com', email: 'alice@example.com', displayName: 'Alice Ng'});
    identityCenter = {...idc, userId};
  }

  return {
    managementAccountId: MANAGEMENT_ID, credentials, region: 'us-east-1', accounts, person, personUsers,
    ownedAccounts, serviceKeys, ...(identityCenter ? {identityCenter} : {}),
    config: {
      endpoint_url: sim.url, region: 'us-east-1',
      access_key_id: credentials.accessKeyId, secret_access_key: credentials.secretAccessKey,
      ...(identityCenter ? {identity_center: {instance_arn: identityCenter.instanceArn,
        identity_store_id: identityCenter.identityStoreId}} : {}),
    },
  };
}

/**
 * The `providers.aws` section for a config file next to a file holding the secret key (what `offboard sandbox`
 * writes): the same as `seeded.config`, with `secret_access_key_file` instead of the inline secret.
 */
export function awsSandboxSection(seeded: SeededAwsOrg, secretFile: string): Record<string, unknown> {
  const {secret_access_key: _secret, ...rest} = seeded.config;
  return {...rest, secret_access_key_file: secretFile};
}
