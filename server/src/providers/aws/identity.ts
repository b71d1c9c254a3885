// check(): the credentials work, belong to the management account and reach a member account.
// resolve(): the person's IAM users in every account (explicit mapping, then the user tag, then name patterns),
// their Identity Center user by email, and one organization identity that carries the account list for discovery.
// IAM user names the admin entered in the modal replace mapping, tag and patterns: each is looked up in every account.
import {ConfigError, errorMessage, isConfigError} from '../../engine/errors.js';
import {ENTERED_BY_ADMIN} from '../../engine/types.js';
import type {
  CheckResult, Identity, IdentityInputSpec, JsonObject, ProviderContext, ResolveHint, Subject,
} from '../../engine/types.js';
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

/** The modal's identity field: IAM user names (letters, digits and +=,.@_-, at most 64; IAM's CreateUser rules). */
export const identityInput: IdentityInputSpec = {
  label: 'IAM user name',
  placeholder: 'dana.whitfield',
  pattern: '^[\\w+=,.@-]{1,64}$',
};

interface AccountResult {
  readonly account: AccountRef;
  readonly matches: UserMatch[];
  readonly error?: string;
}

/** The entered names that exist in this account (IAM user names are unique regardless of case). */
function enteredMatches(users: readonly UserDetail[], names: readonly string[]): UserMatch[] {
  const byName = new Map(users.map((u) => [(u.UserName ?? '').toLowerCase(), u]));
  return names.flatMap((name): UserMatch[] => {
    const user = byName.get(name.toLowerCase());
    return user ? [{kind: 'user', user, source: ENTERED_BY_ADMIN}] : [];
  });
}

async function resolveAccount(api: AwsApi, account: AccountRef, subject: Subject, entered?: readonly string[]):
  Promise<AccountResult> {
  try {
    const users = await iamAll<UserDetail>(api, account.id, 'GetAccountAuthorizationDetails', {Filter: ['User']},
      'UserDetailList');
    return {account, matches: entered ? enteredMatches(users, entered) : matchUsers(users, subject, api.config, account.id)};
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

/** An entered name found in no reachable account: kept as not found (the checklist asks the admin to look). */
function enteredNowhere(api: AwsApi, managementId: string, name: string, accounts: number): Identity {
  return {
    provider: PROVIDER_ID, id: `iam:*:${name}`,
    label: `IAM user ${name}: in none of the ${accounts} account${accounts === 1 ? '' : 's'} checked`,
    source: `${ENTERED_BY_ADMIN}: no account has this IAM user`, confidence: 'not_found',
    data: {kind: 'iam_user', account_id: managementId, management: true, user_name: name, entered: name,
      account_name: api.config.account_source === 'organization' ? 'the organization' : 'the configured accounts'},
  };
}

export async function resolve(ctx: ProviderContext<AwsConfig>, subject: Subject, hint?: ResolveHint):
  Promise<Identity[]> {
  const api = connect(ctx);
  const entered = hint && hint.ids.length > 0 ? hint.ids : undefined;
  // Each account is searched as soon as its ListAccounts page is in, while the next pages are still coming; the
  // Identity Center lookup needs no account at all.
  const pending = new Map<string, Promise<AccountResult>>();
  const sso = resolveIdentityCenter(api, subject).catch(async (e: unknown): Promise<Identity> => {
    const mapped = toOffboardError(e, 'looking up the Identity Center user', 'identitystore:GetUserId');
    if (isConfigError(mapped)) throw mapped;
    return {provider: PROVIDER_ID, id: 'sso:?', label: 'IAM Identity Center could not be searched',
      source: errorMessage(mapped), confidence: 'not_found',
      data: {kind: 'unchecked_identity_center', account_id: (await api.management()).accountId,
        reason: errorMessage(mapped)}};
  });
  sso.catch(() => undefined);
  let accounts: AccountRef[];
  let management: {accountId: string};
  try {
    accounts = await listAccounts(api, (account) => {
      const result = resolveAccount(api, account, subject, entered);
      // Awaited below, after the listing; a failure before then must not count as unhandled.
      result.catch(() => undefined);
      pending.set(account.id, result);
    });
    management = await api.management();
  } catch (e) {
    throw toOffboardError(e, 'listing the AWS accounts', 'organizations:ListAccounts');
  }
  if (accounts.length === 0) throw new ConfigError('No AWS account to check: the account list is empty.');
  const results = await Promise.all(accounts.map((a) => pending.get(a.id) as Promise<AccountResult>));
  const ssoIdentity = await sso;
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
  // Accounts that could not be listed already became their own checklist item; "none" counts the ones that were.
  const checked = results.filter((r) => r.error === undefined).length;
  for (const name of entered ?? []) {
    const found = results.some((r) => r.matches.some((m) => m.kind === 'user'
      && (m.user.UserName ?? '').toLowerCase() === name.toLowerCase()));
    if (!found) identities.push(enteredNowhere(api, management.accountId, name, checked));
  }
  if (ssoIdentity) identities.push(ssoIdentity);
  const accountList = results.map((r) => ({id: r.account.id, name: r.account.name, reachable: r.error === undefined}));
  identities.push({
    provider: PROVIDER_ID, id: `org:${management.accountId}`,
    label: `AWS organization: ${accounts.length} account${accounts.length === 1 ? '' : 's'} checked`,
    source: api.config.account_source === 'organization' ? 'accounts of the organization' : 'configured account list',
    confidence: 'exact',
    data: {
      kind: 'organization', management_account_id: management.accountId, accounts: accountList,
      account_count: accounts.length, email: subject.email, username: subject.username, person_users: personUsers,
      sso_user_id: ssoIdentity ? ssoIdentity.data['user_id'] ?? null : null,
      owner_tag: api.config.account_owner_tag, organization: api.config.account_source === 'organization',
    },
  });
  return identities;
}
