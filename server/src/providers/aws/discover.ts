// Read-only inventory per identity: an IAM user with every dependent DeleteUser waits for (keys with last use), the
// organization (keys the person made for other users, accounts they own) and the Identity Center user.
import type {Finding, Identity, JsonObject, ProviderContext} from '../../engine/types.js';
import {type AwsApi, connect, orMissing} from './client.js';
import {discoverOrganization} from './discover_org.js';
import {discoverSsoUser} from './discover_sso.js';
import {toOffboardError} from './errors.js';
import {CONTAIN_POLICY_NAME, dataString, dataStrings, type FindingKind, makeFinding, PROVIDER_ID} from './model.js';
import {iamAll} from './reads.js';
import type {AccessKeyLastUsed, AccessKeyMetadata, MfaDevice} from './wire.js';

type Risk = Finding['risk'];

export async function discover(ctx: ProviderContext<unknown>, identity: Identity): Promise<Finding[]> {
  if (identity.provider !== PROVIDER_ID || identity.confidence !== 'exact') return [];
  const api = connect(ctx);
  const kind = dataString(identity.data, 'kind');
  try {
    if (kind === 'iam_user') return await discoverIamUser(api, identity);
    if (kind === 'organization') return await discoverOrganization(api, identity, ctx.clock.now());
    if (kind === 'sso_user') return await discoverSsoUser(api, identity);
    return [];
  } catch (e) {
    throw toOffboardError(e, `discovering ${identity.label}`);
  }
}

function iso(d: Date | undefined): string | null {
  return d ? d.toISOString() : null;
}

async function discoverIamUser(api: AwsApi, identity: Identity): Promise<Finding[]> {
  const d = identity.data;
  const account = dataString(d, 'account_id');
  const accountName = dataString(d, 'account_name');
  const user = dataString(d, 'user_name');
  const u = {UserName: user};
  const where = `${accountName} (${account})`;
  const keysWithUse = async () => {
    const keys = await iamAll<AccessKeyMetadata>(api, account, 'ListAccessKeys', u, 'AccessKeyMetadata');
    return Promise.all(keys.map(async (k) => ({key: k, used: await orMissing(api.iam<AccessKeyLastUsed>(account,
      'GetAccessKeyLastUsed', {AccessKeyId: k.AccessKeyId}))})));
  };
  // The user vanishing between resolve and now makes every read fail with NoSuchEntity: nothing left to find.
  const reads = await orMissing(Promise.all([
    keysWithUse(),
    orMissing(api.iam<{LoginProfile?: {CreateDate?: Date}}>(account, 'GetLoginProfile', u)),
    iamAll<{CertificateId?: string; Status?: string}>(api, account, 'ListSigningCertificates', u, 'Certificates'),
    iamAll<{SSHPublicKeyId?: string; Status?: string}>(api, account, 'ListSSHPublicKeys', u, 'SSHPublicKeys'),
    api.iam<{ServiceSpecificCredentials?: {ServiceSpecificCredentialId?: string; ServiceName?: string;
      Status?: string}[]}>(account, 'ListServiceSpecificCredentials', u),
    iamAll<MfaDevice>(api, account, 'ListMFADevices', u, 'MFADevices'),
  ]));
  if (!reads) return [];
  const [keys, profile, certs, sshKeys, creds, mfa] = reads;
  const base = {account_id: account, account_name: accountName, user_name: user};
  const t = (suffix: string) => `${account}:${user}${suffix}`;
  const f = (kind: FindingKind, suffix: string, label: string, risk: Risk, data: JsonObject = {}, residual = false) =>
    makeFinding(identity, kind, t(suffix), label, risk, {...base, ...data}, residual);
  const out: Finding[] = [f('iam_user', '', `IAM user ${user} in ${where}`, 'high',
    {arn: dataString(d, 'arn'), management: d['management'] === true})];
  if (profile) out.push(f('login_profile', '', `Console password of ${user} in ${where}`, 'high'));
  for (const {key, used} of keys) {
    const id = key.AccessKeyId ?? '';
    const last = used?.AccessKeyLastUsed;
    const lastUsed = last?.LastUsedDate ? `last used ${last.LastUsedDate.toISOString().slice(0, 10)} ` +
      `(${last.ServiceName ?? '?'})` : 'never used';
    out.push(f('access_key', `/${id}`, `Access key ${id} of ${user} in ${where} (${key.Status ?? '?'}, ${lastUsed})`,
      'high', {access_key_id: id, status: key.Status ?? '', created_at: iso(key.CreateDate),
        last_used_at: iso(last?.LastUsedDate), last_used_service: last?.ServiceName ?? null}));
  }
  for (const c of certs) {
    out.push(f('signing_certificate', `/${c.CertificateId ?? ''}`, `Signing certificate ${c.CertificateId ?? ''} of ` +
      `${user} in ${where}`, 'high', {certificate_id: c.CertificateId ?? '', status: c.Status ?? ''}));
  }
  for (const k of sshKeys) {
    out.push(f('ssh_public_key', `/${k.SSHPublicKeyId ?? ''}`, `SSH public key ${k.SSHPublicKeyId ?? ''} of ${user} ` +
      `in ${where} (CodeCommit)`, 'high', {ssh_key_id: k.SSHPublicKeyId ?? '', status: k.Status ?? ''}));
  }
  for (const c of creds.ServiceSpecificCredentials ?? []) {
    out.push(f('service_credential', `/${c.ServiceSpecificCredentialId ?? ''}`, `${c.ServiceName ?? 'Service'} ` +
      `credential of ${user} in ${where}`, 'high',
    {credential_id: c.ServiceSpecificCredentialId ?? '', service_name: c.ServiceName ?? ''}));
  }
  for (const m of mfa) {
    const serial = m.SerialNumber ?? '';
    // Virtual devices are named by their ARN; hardware tokens by a plain serial number.
    const virtual = serial.startsWith('arn:');
    out.push(f('mfa_device', `/${serial}`, `${virtual ? 'Virtual' : 'Hardware'} MFA device ${serial} of ${user}`,
      'medium', {serial, virtual}));
  }
  for (const name of dataStrings(d, 'inline_policies').filter((p) => p !== CONTAIN_POLICY_NAME)) {
    out.push(f('inline_policy', `/${name}`, `Inline policy ${name} of ${user} in ${where}`, 'medium',
      {policy_name: name}));
  }
  const attached = Array.isArray(d['attached_policies']) ? d['attached_policies'] as JsonObject[] : [];
  for (const p of attached) {
    const arn = dataString(p, 'arn');
    out.push(f('attached_policy', `/${arn}`, `Managed policy ${dataString(p, 'name') || arn} attached to ${user}`,
      'medium', {policy_arn: arn, policy_name: dataString(p, 'name')}));
  }
  for (const g of dataStrings(d, 'groups')) {
    out.push(f('group_membership', `/${g}`, `Member of group ${g} in ${where}`, 'medium', {group_name: g}));
  }
  const boundary = dataString(d, 'permissions_boundary');
  if (boundary) {
    // Left in place: removing a boundary can widen permissions, and DeleteUser does not wait for it.
    out.push(f('permissions_boundary', '', `Permissions boundary ${boundary} (removed with the user)`, 'low',
      {boundary_arn: boundary}));
  }
  out.push(f('sts_sessions', '', `STS sessions of ${user}: sessions from its keys (GetSessionToken, up to 36 h) are ` +
    'cut off by the deny policy; role sessions it assumed (up to 12 h) follow the role\'s policies until they expire',
  'medium', {}, true));
  return out;
}
