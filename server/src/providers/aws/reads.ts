// Read helpers over the API: complete pagination (IAM's Marker/IsTruncated, the JSON services' NextToken), the
// accounts to check, and everything that still hangs on an IAM user (what DeleteUser waits for).
import type {AwsApi, IamAction, Input} from './client.js';
import {orMissing} from './client.js';
import type {AccessKeyMetadata, MfaDevice, OrgAccount, Paged} from './wire.js';

/** Follows IAM's Marker until IsTruncated is false (pages may be shorter than MaxItems). */
export async function iamAll<T>(api: AwsApi, accountId: string, action: IamAction, input: Input, key: string):
  Promise<T[]> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const out = await api.iam<Paged & Record<string, unknown>>(accountId, action,
      {...input, MaxItems: 1000, ...(marker ? {Marker: marker} : {})});
    items.push(...((out[key] as T[] | undefined) ?? []));
    marker = out.IsTruncated ? out.Marker : undefined;
  } while (marker);
  return items;
}

/** Follows NextToken until the service stops returning one. */
export async function tokenAll<T>(fetch: (token: string | undefined) => Promise<Paged & Record<string, unknown>>,
  key: string): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const out = await fetch(token);
    items.push(...((out[key] as T[] | undefined) ?? []));
    token = out.NextToken || undefined;
  } while (token);
  return items;
}

export interface AccountRef {
  readonly id: string;
  readonly name: string;
  readonly management: boolean;
}

/**
 * The accounts to check: every ACTIVE account of the organization (ListAccounts, 20 per page; `State`, or `Status`
 * from older responses), or the configured list; `skip_account_ids` removed. The management account comes first.
 * `visit` sees each account as soon as its page is in, so per-account work overlaps the remaining pages (the pages
 * come one after the other: 100 accounts are 5 round trips).
 */
export async function listAccounts(api: AwsApi, visit?: (account: AccountRef) => void): Promise<AccountRef[]> {
  const skip = new Set(api.config.skip_account_ids);
  const accounts: AccountRef[] = [];
  const seen = new Set<string>();
  // GetCallerIdentity and the first ListAccounts page do not depend on each other.
  const management = api.management().then((m) => m.accountId);
  management.catch(() => undefined);
  const take = async (rows: {id: string; name: string}[]): Promise<void> => {
    const managementId = await management;
    for (const {id, name} of rows) {
      if (skip.has(id) || seen.has(id)) continue;
      seen.add(id);
      const account = {id, name, management: id === managementId};
      accounts.push(account);
      visit?.(account);
    }
  };
  if (api.config.account_source === 'list') {
    await take(api.config.account_ids.map((id) => ({id, name: id})));
  } else {
    type Page = Paged & {Accounts?: OrgAccount[]};
    const page = (token?: string): Promise<Page> => api.organizations<Page>('ListAccounts',
      {MaxResults: 20, ...(token ? {NextToken: token} : {})});
    const visits: Promise<void>[] = [];
    for (let next: Promise<Page> | undefined = page(); next;) {
      const out: Page = await next;
      // The pages are the longest chain of the whole run: the next request goes out before this page's accounts
      // start their work (on the next turn of the event loop, after the request is on the wire).
      next = out.NextToken ? page(out.NextToken) : undefined;
      const rows = (out.Accounts ?? []).filter((a) => (a.State ?? a.Status) === 'ACTIVE' && a.Id)
        .map((a) => ({id: a.Id as string, name: a.Name ?? (a.Id as string)}));
      const visiting = new Promise<void>((resolve) => setImmediate(resolve)).then(() => take(rows));
      // Awaited below, after the listing; a failure before then (a later page failing) must not count as unhandled.
      visiting.catch(() => undefined);
      visits.push(visiting);
    }
    await Promise.all(visits);
  }
  await management;
  return accounts.sort((a, b) => Number(b.management) - Number(a.management) || a.id.localeCompare(b.id));
}

export interface Dependents {
  readonly exists: boolean;
  readonly loginProfile: boolean;
  readonly accessKeys: {id: string; status: string; createdAt: string | null}[];
  readonly signingCertificates: string[];
  readonly sshPublicKeys: string[];
  readonly serviceCredentials: string[];
  readonly mfaDevices: string[];
  readonly inlinePolicies: string[];
  readonly attachedPolicies: string[];
  readonly groups: string[];
}

/** Every dependent of `user` that blocks DeleteUser, read in parallel; `exists: false` when the user is gone. */
export async function readDependents(api: AwsApi, accountId: string, user: string): Promise<Dependents> {
  const u = {UserName: user};
  const gone = Symbol('gone');
  // A user deleted in the meantime makes every list fail with NoSuchEntity.
  const list = async <T>(action: IamAction, key: string): Promise<T[] | typeof gone> =>
    (await orMissing(iamAll<T>(api, accountId, action, u, key))) ?? gone;
  const [profile, keys, certs, ssh, creds, mfa, inline, attached, groups] = await Promise.all([
    orMissing(api.iam(accountId, 'GetLoginProfile', u)),
    list<AccessKeyMetadata>('ListAccessKeys', 'AccessKeyMetadata'),
    list<{CertificateId?: string}>('ListSigningCertificates', 'Certificates'),
    list<{SSHPublicKeyId?: string}>('ListSSHPublicKeys', 'SSHPublicKeys'),
    orMissing(api.iam<{ServiceSpecificCredentials?: {ServiceSpecificCredentialId?: string}[]}>(accountId,
      'ListServiceSpecificCredentials', u)),
    list<MfaDevice>('ListMFADevices', 'MFADevices'),
    list<string>('ListUserPolicies', 'PolicyNames'),
    list<{PolicyArn?: string}>('ListAttachedUserPolicies', 'AttachedPolicies'),
    list<{GroupName?: string}>('ListGroupsForUser', 'Groups'),
  ]);
  if (keys === gone || certs === gone || ssh === gone || mfa === gone || inline === gone || attached === gone ||
    groups === gone || creds === undefined) {
    return {exists: false, loginProfile: false, accessKeys: [], signingCertificates: [], sshPublicKeys: [],
      serviceCredentials: [], mfaDevices: [], inlinePolicies: [], attachedPolicies: [], groups: []};
  }
  const ids = <T>(rows: T[], pick: (r: T) => string | undefined): string[] =>
    rows.map(pick).filter((v): v is string => typeof v === 'string');
  return {
    exists: true,
    loginProfile: profile !== undefined,
    accessKeys: keys.filter((k) => k.AccessKeyId).map((k) => ({id: k.AccessKeyId as string, status: k.Status ?? '',
      createdAt: k.CreateDate ? k.CreateDate.toISOString() : null})),
    signingCertificates: ids(certs, (c) => c.CertificateId),
    sshPublicKeys: ids(ssh, (k) => k.SSHPublicKeyId),
    serviceCredentials: ids(creds.ServiceSpecificCredentials ?? [], (c) => c.ServiceSpecificCredentialId),
    mfaDevices: ids(mfa, (m) => m.SerialNumber),
    inlinePolicies: inline,
    attachedPolicies: ids(attached, (p) => p.PolicyArn),
    groups: ids(groups, (g) => g.GroupName),
  };
}

/** The dependents left, as one line per kind (for errors and evidence); `ignorePolicy` is the contain policy. */
export function describeDependents(d: Dependents, ignorePolicy?: string): string[] {
  const out: string[] = [];
  if (d.loginProfile) out.push('login profile (console password)');
  if (d.accessKeys.length) out.push(`access keys ${d.accessKeys.map((k) => k.id).join(', ')}`);
  if (d.signingCertificates.length) out.push(`signing certificates ${d.signingCertificates.join(', ')}`);
  if (d.sshPublicKeys.length) out.push(`SSH public keys ${d.sshPublicKeys.join(', ')}`);
  if (d.serviceCredentials.length) out.push(`service-specific credentials ${d.serviceCredentials.join(', ')}`);
  if (d.mfaDevices.length) out.push(`MFA devices ${d.mfaDevices.join(', ')}`);
  const inline = d.inlinePolicies.filter((p) => p !== ignorePolicy);
  if (inline.length) out.push(`inline policies ${inline.join(', ')}`);
  if (d.attachedPolicies.length) out.push(`attached policies ${d.attachedPolicies.join(', ')}`);
  if (d.groups.length) out.push(`groups ${d.groups.join(', ')}`);
  return out;
}
