// check(): the credentials work, belong to the management account and reach a member account.
// resolve(): the person's IAM users in every account (explicit mapping, then the user tag, then name patterns),
// their Identity Center user by email, and one organization identity that carries the account list for discovery.
import {ConfigError, errorMessage, isConfigError} from '../../engine/errors.js';
import type {CheckResult, Identity, JsonObject, ProviderContext, Subject} from '../../engine/types.js';
import type {AwsConfig} from './config.js';
import {connect, orMissing, type AwsApi} from './client.js';
import {toOffboardError} from './errors.js';
import {matchUsers, type UserMatch} from './matching.js';
import {PROVIDER_ID} from './model.js';
import {type AccountRef, iamAll, listAccounts} from './reads.js';
import type {UserDetail} from './wire.js';

export async function check(ctx: ProviderContext<AwsConfig>): Promise<CheckResult> {
  const api = connect(ctx);
  try {
    const me = await api.management();
    if (api.config.account_source === 'organization') {
      const org = await api.organizations<{Organization?: {MasterAccountId?: string}}>('DescribeOrganization', {});
      if (org.Organization?.MasterAccountId !== me.accountId) {
        return {ok: false, detail: `${me.arn} is not in the management account ` +
          `${org.Organization?.MasterAccountId ?? '?'}; use its credentials or account_source: list`};
      }
    }
    const accounts = await listAccounts(api);
    const member = accounts.find((a) => !a.management);
    if (member) await api.reach(member.id);
    if (api.config.identity_center) {
      const out = await api.ssoAdmin<{Instances?: {InstanceArn?: string}[]}>('ListInstances', {});
      if (!(out.Instances ?? []).some((i) => i.InstanceArn === api.config.identity_center?.instance_arn)) {
        return {ok: false, detail: `Identity Center instance ${api.config.identity_center.instance_arn} not found`};
      }
    }
    return {ok: true, detail: `ok (${accounts.length} accounts)`};
  } catch (e) {
    return {ok: false, detail: errorMessage(toOffboardError(e, 'the connection check'))};
  }
}

interface AccountResult {
  readonly account: AccountRef;
  readonly matches: UserMatch[];
  readonly error?: string;
}

async function resolveAccount(api: AwsApi, account: AccountRef, subject: Subject): Promise<AccountResult> {
  try {
    const users = await iamAll<UserDetail>(api, account.id, 'GetAccountAuthorizationDetails', {Filter: ['User']},
      'UserDetailList');
    return {account, matches: matchUsers(users, subject, api.config, account.id)};
  } catch (e) {
    const mapped = toOffboardError(e, `listing IAM users in ${account.id}`, 'iam:GetAccountAuthorizationDetails');
    if (isConfigError(mapped)) throw mapped;
    return {account, matches: [], error: errorMessage(mapped)};
  }
}

async function resolveIdentityCenter(api: AwsApi, subject: Subject): Promise<Identity | undefined> {
  const idc = api.config.identity_center;
  if (!idc) return undefined;
  const lookups: [string, string][] = [['emails.value', subject.email], ['userName', subject.email],
    ['userName', subject.username]];
  for (const [path, value] of lookups) {
    if (!value) continue;
    const found = await orMissing(api.identityStore<{UserId?: string}>('GetUserId', {
      IdentityStoreId: idc.identity_store_id, AlternateIdentifier: {UniqueAttribute: {AttributePath: path,
        AttributeValue: value}},
    }));
    if (!found?.UserId) continue;
    const user = await api.identityStore<{UserName?: string; DisplayName?: string}>('DescribeUser',
      {IdentityStoreId: idc.identity_store_id, UserId: found.UserId});
    return {
      provider: PROVIDER_ID, id: `sso:${found.UserId}`,
      label: `${user.UserName ?? value} (IAM Identity Center${user.DisplayName ? `, ${user.DisplayName}` : ''})`,
      source: `Identity Center ${path} = ${value}`, confidence: 'exact',
      data: {kind: 'sso_user', user_id: found.UserId, user_name: user.UserName ?? value,
        identity_store_id: idc.identity_store_id, instance_arn: idc.instance_arn,
        deny_policy_name: idc.deny_policy_name},
    };
  }
  return undefined;
}

function iamIdentity(account: AccountRef, m: UserMatch): Identity {
  const base = {account_id: account.id, account_name: account.name, management: account.management};
  if (m.kind === 'ambiguous') {
    return {provider: PROVIDER_ID, id: `iam:${account.id}:?`, label: `${m.candidates.length} possible IAM users in ` +
      `${account.name} (${account.id})`, source: m.source, confidence: 'ambiguous',
    data: {kind: 'iam_user', ...base, candidates: m.candidates}};
  }
  if (m.kind === 'missing') {
    return {provider: PROVIDER_ID, id: `iam:${account.id}:${m.userName}`, label: `IAM user ${m.userName} in ` +
      `${account.name} (${account.id})`, source: m.source, confidence: 'not_found',
    data: {kind: 'iam_user', ...base, user_name: m.userName}};
  }
  const u = m.user;
  return {
    provider: PROVIDER_ID, id: `iam:${account.id}:${u.UserName ?? ''}`,
    label: `IAM user ${u.UserName ?? ''} in ${account.name} (${account.id})`, source: m.source, confidence: 'exact',
    data: {
      kind: 'iam_user', ...base, user_name: u.UserName ?? '', user_id: u.UserId ?? '', arn: u.Arn ?? '',
      created_at: u.CreateDate ? u.CreateDate.toISOString() : null,
      inline_policies: (u.UserPolicyList ?? []).map((p) => p.PolicyName ?? '').filter(Boolean),
      attached_policies: (u.AttachedManagedPolicies ?? []).filter((p) => p.PolicyArn)
        .map((p) => ({arn: p.PolicyArn ?? '', name: p.PolicyName ?? ''})),
      groups: u.GroupList ?? [],
      permissions_boundary: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    },
  };
}

export async function resolve(ctx: ProviderContext<AwsConfig>, subject: Subject): Promise<Identity[]> {
  const api = connect(ctx);
  let accounts: AccountRef[];
  let management: {accountId: string};
  try {
    [management, accounts] = await Promise.all([api.management(), listAccounts(api)]);
  } catch (e) {
    throw toOffboardError(e, 'listing the AWS accounts', 'organizations:ListAccounts');
  }
  if (accounts.length === 0) throw new ConfigError('No AWS account to check: the account list is empty.');
  const [results, sso] = await Promise.all([
    Promise.all(accounts.map((a) => resolveAccount(api, a, subject))),
    resolveIdentityCenter(api, subject).catch((e: unknown): Identity => {
      const mapped = toOffboardError(e, 'looking up the Identity Center user', 'identitystore:GetUserId');
      if (isConfigError(mapped)) throw mapped;
      return {provider: PROVIDER_ID, id: 'sso:?', label: 'IAM Identity Center could not be searched',
        source: errorMessage(mapped), confidence: 'not_found',
        data: {kind: 'unchecked_identity_center', account_id: management.accountId, reason: errorMessage(mapped)}};
    }),
  ]);
  const identities: Identity[] = [];
  const personUsers: JsonObject[] = [];
  for (const r of results) {
    if (r.error !== undefined) {
      identities.push({provider: PROVIDER_ID, id: `account:${r.account.id}`,
        label: `Account ${r.account.name} (${r.account.id}) could not be checked`, source: r.error,
        confidence: 'not_found', data: {kind: 'unchecked_account', account_id: r.account.id,
          account_name: r.account.name, reason: r.error}});
      continue;
    }
    for (const m of r.matches) {
      const identity = iamIdentity(r.account, m);
      identities.push(identity);
      if (m.kind === 'user') personUsers.push({account_id: r.account.id, user_name: m.user.UserName ?? ''});
    }
  }
  if (sso) identities.push(sso);
  const accountList = results.map((r) => ({id: r.account.id, name: r.account.name, reachable: r.error === undefined}));
  identities.push({
    provider: PROVIDER_ID, id: `org:${management.accountId}`,
    label: `AWS organization: ${accounts.length} account${accounts.length === 1 ? '' : 's'} checked`,
    source: api.config.account_source === 'organization' ? 'accounts of the organization' : 'configured account list',
    confidence: 'exact',
    data: {
      kind: 'organization', management_account_id: management.accountId, accounts: accountList,
      account_count: accounts.length, email: subject.email, username: subject.username, person_users: personUsers,
      sso_user_id: sso ? sso.data['user_id'] ?? null : null,
      owner_tag: api.config.account_owner_tag, organization: api.config.account_source === 'organization',
    },
  });
  return identities;
}
