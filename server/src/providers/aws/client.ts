// The only file of this provider that imports the AWS SDK: builds clients (standard retry mode, endpoint overrides),
// reaches each account (the management account directly, member accounts through AssumeRole with cached
// credentials) and runs every request through the engine's limiter (IAM requests also through their account's cap).
import * as cloudtrail from '@aws-sdk/client-cloudtrail';
import * as iam from '@aws-sdk/client-iam';
import * as identitystore from '@aws-sdk/client-identitystore';
import * as orgs from '@aws-sdk/client-organizations';
import * as sso from '@aws-sdk/client-sso-admin';
import {AssumeRoleCommand, GetCallerIdentityCommand, STSClient} from '@aws-sdk/client-sts';
import {setMaxListeners} from 'node:events';
import {PermanentError} from '../../engine/errors.js';
import type {ProviderContext} from '../../engine/types.js';
import type {AwsConfig, AwsService} from './config.js';
import {awsCode, isExpiredToken, isNotFound, toOffboardError} from './errors.js';
import {type AwsSession, type Credentials, sessionFor} from './session.js';

export {clearAwsSessions} from './session.js';

/** IAM is a global service signed for us-east-1 (https://docs.aws.amazon.com/general/latest/gr/iam-service.html). */
const IAM_REGION = 'us-east-1';

interface Sendable {
  send(command: unknown, options?: {abortSignal?: AbortSignal}): Promise<unknown>;
}
type ClientClass = new (config: Record<string, unknown>) => Sendable;
type CommandClass = new (input: never) => unknown;

/** The actions this provider uses, by AWS action name. */
const IAM_COMMANDS = {
  GetUser: iam.GetUserCommand, GetAccountAuthorizationDetails: iam.GetAccountAuthorizationDetailsCommand,
  ListAccessKeys: iam.ListAccessKeysCommand, GetAccessKeyLastUsed: iam.GetAccessKeyLastUsedCommand,
  UpdateAccessKey: iam.UpdateAccessKeyCommand, DeleteAccessKey: iam.DeleteAccessKeyCommand,
  GetLoginProfile: iam.GetLoginProfileCommand, DeleteLoginProfile: iam.DeleteLoginProfileCommand,
  ListSigningCertificates: iam.ListSigningCertificatesCommand,
  DeleteSigningCertificate: iam.DeleteSigningCertificateCommand,
  ListSSHPublicKeys: iam.ListSSHPublicKeysCommand, DeleteSSHPublicKey: iam.DeleteSSHPublicKeyCommand,
  ListServiceSpecificCredentials: iam.ListServiceSpecificCredentialsCommand,
  DeleteServiceSpecificCredential: iam.DeleteServiceSpecificCredentialCommand,
  ListMFADevices: iam.ListMFADevicesCommand, DeactivateMFADevice: iam.DeactivateMFADeviceCommand,
  DeleteVirtualMFADevice: iam.DeleteVirtualMFADeviceCommand,
  ListUserPolicies: iam.ListUserPoliciesCommand, GetUserPolicy: iam.GetUserPolicyCommand,
  PutUserPolicy: iam.PutUserPolicyCommand, DeleteUserPolicy: iam.DeleteUserPolicyCommand,
  ListAttachedUserPolicies: iam.ListAttachedUserPoliciesCommand, DetachUserPolicy: iam.DetachUserPolicyCommand,
  ListGroupsForUser: iam.ListGroupsForUserCommand, RemoveUserFromGroup: iam.RemoveUserFromGroupCommand,
  DeleteUser: iam.DeleteUserCommand,
} satisfies Record<string, CommandClass>;

const ORGANIZATIONS_COMMANDS = {
  DescribeOrganization: orgs.DescribeOrganizationCommand, ListAccounts: orgs.ListAccountsCommand,
  DescribeAccount: orgs.DescribeAccountCommand, ListTagsForResource: orgs.ListTagsForResourceCommand,
  CloseAccount: orgs.CloseAccountCommand, ListRoots: orgs.ListRootsCommand, ListPolicies: orgs.ListPoliciesCommand,
  DescribePolicy: orgs.DescribePolicyCommand, CreatePolicy: orgs.CreatePolicyCommand,
  UpdatePolicy: orgs.UpdatePolicyCommand, AttachPolicy: orgs.AttachPolicyCommand,
  ListTargetsForPolicy: orgs.ListTargetsForPolicyCommand,
} satisfies Record<string, CommandClass>;

const IDENTITY_STORE_COMMANDS = {
  GetUserId: identitystore.GetUserIdCommand, DescribeUser: identitystore.DescribeUserCommand,
  DescribeGroup: identitystore.DescribeGroupCommand,
  ListGroupMembershipsForMember: identitystore.ListGroupMembershipsForMemberCommand,
  DeleteGroupMembership: identitystore.DeleteGroupMembershipCommand, DeleteUser: identitystore.DeleteUserCommand,
} satisfies Record<string, CommandClass>;

const SSO_ADMIN_COMMANDS = {
  ListInstances: sso.ListInstancesCommand, DescribePermissionSet: sso.DescribePermissionSetCommand,
  ListAccountAssignmentsForPrincipal: sso.ListAccountAssignmentsForPrincipalCommand,
  DeleteAccountAssignment: sso.DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentDeletionStatus: sso.DescribeAccountAssignmentDeletionStatusCommand,
} satisfies Record<string, CommandClass>;

export type IamAction = keyof typeof IAM_COMMANDS;
export type OrganizationsAction = keyof typeof ORGANIZATIONS_COMMANDS;
export type IdentityStoreAction = keyof typeof IDENTITY_STORE_COMMANDS;
export type SsoAdminAction = keyof typeof SSO_ADMIN_COMMANDS;
/** Inputs and outputs are the documented AWS shapes; wire.ts types the parts this provider reads. */
export type Input = Record<string, unknown>;

function command(table: Record<string, CommandClass>, action: string, input: Input): unknown {
  const Command = table[action] as unknown as new (i: Input) => unknown;
  return new Command(input);
}

const noAppId = (): Promise<undefined> => Promise.resolve(undefined);

/**
 * The request's outcome, or the abort reason as soon as `signal` fires. A request already on the wire is not
 * recalled (the SDK's own abort only closes the socket; AWS may have applied it either way), so the step's next
 * attempt reads before it writes, as every action does; requestTimeout bounds the orphan.
 */
function abortable<T>(request: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    request.catch(() => undefined);
    return Promise.reject(signal.reason ?? new Error('aborted'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      request.catch(() => undefined);
      reject(signal.reason ?? new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, {once: true});
    request.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** An account that could not be reached: the AssumeRole failure, mapped, with the account in its message. */
export class AccountUnreachableError extends PermanentError {}

export class AwsApi {
  constructor(readonly session: AwsSession, private readonly ctx: ProviderContext<unknown>) {}

  /** This call's configuration (the session keeps only what its cache key covers: the connection). */
  get config(): AwsConfig {
    return this.ctx.config as AwsConfig;
  }

  /** Waits on the context's clock, aborted with the step. */
  sleep(ms: number): Promise<void> {
    return this.ctx.clock.sleep(ms, this.ctx.signal);
  }

  /** The account the configured credentials belong to (management or delegated administrator). */
  async management(): Promise<{accountId: string; arn: string}> {
    return this.session.managementIdentity(async () => {
      const out = await this.send(this.baseClient(STSClient, 'sts', this.config.region), undefined,
        new GetCallerIdentityCommand({})) as {Account?: string; Arn?: string};
      return {accountId: out.Account ?? '', arn: out.Arn ?? ''};
    });
  }

  /** Credentials for a member account (AssumeRole, cached); undefined for the management account. */
  private async credentialsFor(accountId: string): Promise<Credentials | undefined> {
    const management = await this.management();
    if (accountId === management.accountId) return undefined;
    const roleArn = this.session.roleArn(accountId);
    try {
      return await this.session.assumed(accountId, async () => {
        const out = await this.send(this.baseClient(STSClient, 'sts', this.config.region), undefined,
          new AssumeRoleCommand({
            RoleArn: roleArn, RoleSessionName: this.config.session_name,
            DurationSeconds: this.config.session_duration_seconds,
            ...(this.config.external_id === undefined ? {} : {ExternalId: this.config.external_id}),
          })) as {Credentials?: {AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string;
            Expiration?: Date}};
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new PermanentError(`AssumeRole ${roleArn} returned no credentials.`);
        return {accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey,
          ...(c.SessionToken ? {sessionToken: c.SessionToken} : {}), ...(c.Expiration ? {expiration: c.Expiration} : {})};
      }, this.ctx.clock.now());
    } catch (e) {
      const mapped = toOffboardError(e, `AssumeRole into ${roleArn}`, 'sts:AssumeRole');
      if (mapped instanceof PermanentError) {
        throw new AccountUnreachableError(`Account ${accountId} is unreachable: cannot assume ${roleArn} ` +
          `(${awsCode(e) || 'error'}: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}).`,
        {cause: e, details: {...mapped.details, account_id: accountId, role_arn: roleArn}});
      }
      throw mapped;
    }
  }

  /**
   * Every setting the SDK would otherwise look up per client in the environment and ~/.aws files is given here: the
   * configuration is the one source of truth, and a client per assumed account then costs no provider-chain lookups.
   * cacheMiddleware builds each command's middleware chain once per client instead of once per request (measured:
   * ~20% of the SDK's CPU per request); it requires sending without per-request options (see `send`).
   */
  private clientConfig(service: AwsService, region: string): Record<string, unknown> {
    const endpoint = this.session.endpoint(service);
    return {
      region, maxAttempts: this.config.max_attempts, retryMode: 'standard', cacheMiddleware: true,
      defaultsMode: 'standard', useFipsEndpoint: false, useDualstackEndpoint: false, authSchemePreference: [],
      userAgentAppId: noAppId,
      requestHandler: {requestTimeout: this.config.request_timeout_ms, connectionTimeout: 5000,
        ...this.session.agents},
      ...(endpoint ? {endpoint} : {}),
    };
  }

  /** A client with the configured (or default-chain) management credentials. */
  private baseClient(Client: ClientClass, service: AwsService, region: string): Sendable {
    return this.session.client(`${service}@${region}`, 'management', () => new Client({
      ...this.clientConfig(service, region),
      ...(this.config.access_key_id && this.config.secret_access_key ? {credentials: {
        accessKeyId: this.config.access_key_id, secretAccessKey: this.config.secret_access_key,
        ...(this.config.session_token ? {sessionToken: this.config.session_token} : {}),
      }} : {}),
    }));
  }

  private async accountClient(Client: ClientClass, service: AwsService, region: string, accountId: string):
    Promise<Sendable> {
    const credentials = await this.credentialsFor(accountId);
    if (!credentials) return this.baseClient(Client, service, region);
    // Credentials are checked before every request and refreshed ahead of expiry; a refresh gets a new client.
    return this.session.client(`${service}@${region}`, accountId, () => new Client({
      ...this.clientConfig(service, region), credentials,
    }), credentials);
  }

  /**
   * Sends through the engine's limiter with the step's abort signal; IAM requests also through their account's
   * in-flight cap (IAM throttles per account). STS is called once per account and hour (credentials are cached) and
   * Organizations only from the management account: both rely on the limiter and the SDK's retries.
   */
  private async send(client: Sendable, iamAccount: string | undefined, command: unknown): Promise<unknown> {
    const signal = this.ctx.signal;
    const go = () => this.ctx.limiter.schedule(() => abortable(client.send(command), signal), signal);
    return iamAccount === undefined ? go() : this.session.gate(iamAccount).run(go);
  }

  private async inAccount(accountId: string, service: AwsService, Client: ClientClass, region: string,
    command: unknown): Promise<unknown> {
    const gate = service === 'iam' ? accountId : undefined;
    try {
      return await this.send(await this.accountClient(Client, service, region, accountId), gate, command);
    } catch (e) {
      if (!isExpiredToken(e)) throw e;
      // The cached session ended early (revoked, clock skew): assume the role again and resend once.
      this.session.invalidate(accountId);
      return this.send(await this.accountClient(Client, service, region, accountId), gate, command);
    }
  }

  /** An IAM action in `accountId` (management account directly, members through the assumed role). */
  iam<T>(accountId: string, action: IamAction, input: Input): Promise<T> {
    return this.inAccount(accountId, 'iam', iam.IAMClient as unknown as ClientClass, IAM_REGION,
      command(IAM_COMMANDS, action, input)) as Promise<T>;
  }

  /** Fails with AccountUnreachableError when the role cannot be assumed; resolves when the account is usable. */
  async reach(accountId: string): Promise<void> {
    await this.credentialsFor(accountId);
  }

  /** CloudTrail LookupEvents in `accountId`, in the configured CloudTrail region. */
  lookupEvents<T>(accountId: string, input: Input): Promise<T> {
    return this.session.trailPacer(accountId).run(() => this.inAccount(accountId, 'cloudtrail',
      cloudtrail.CloudTrailClient as unknown as ClientClass, this.config.cloudtrail.region,
      new cloudtrail.LookupEventsCommand(input as never))) as Promise<T>;
  }

  /** Organizations lives in us-east-1 and answers the management account (or a delegated administrator). */
  organizations<T>(action: OrganizationsAction, input: Input): Promise<T> {
    return this.send(this.baseClient(orgs.OrganizationsClient as unknown as ClientClass, 'organizations',
      IAM_REGION), undefined, command(ORGANIZATIONS_COMMANDS, action, input)) as Promise<T>;
  }

  identityStore<T>(action: IdentityStoreAction, input: Input): Promise<T> {
    const region = this.config.identity_center?.region ?? this.config.region;
    return this.session.identityCenter.run(() => this.send(this.baseClient(identitystore.IdentitystoreClient as
      unknown as ClientClass, 'identitystore', region), undefined,
    command(IDENTITY_STORE_COMMANDS, action, input))) as Promise<T>;
  }

  ssoAdmin<T>(action: SsoAdminAction, input: Input): Promise<T> {
    const region = this.config.identity_center?.region ?? this.config.region;
    return this.session.identityCenter.run(() => this.send(this.baseClient(sso.SSOAdminClient as unknown as
      ClientClass, 'sso_admin', region), undefined, command(SSO_ADMIN_COMMANDS, action, input))) as Promise<T>;
  }
}

/** A client for one provider call: paced by the context's limiter and aborted with its signal. */
export function connect(ctx: ProviderContext<unknown>): AwsApi {
  // One call fans out into hundreds of requests (one per account), each listening to the call's signal.
  setMaxListeners(0, ctx.signal);
  return new AwsApi(sessionFor(ctx.config as AwsConfig), ctx);
}

/** The value of `read`, or undefined when AWS says the thing does not exist (NoSuchEntity and kin). */
export async function orMissing<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
