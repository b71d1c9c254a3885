// Organization-wide discovery: access keys the person created for other (service) users, from CloudTrail
// CreateAccessKey events within retention, and accounts whose owner tag names the person (closure candidates).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
import {errorMessage} from '../../engine/errors.js';
import type {Finding, Identity, JsonObject} from '../../engine/types.js';
import {type AwsApi, orMissing} from './client.js';
import {toOffboardError} from './errors.js';
import {dataString, makeFinding} from './model.js';
import {iamAll, tokenAll} from './reads.js';
import type {AccessKeyLastUsed, AccessKeyMetadata, Tag, TrailEventRow} from './wire.js';

const DAY_MS = 86_400_000;

interface KeyEvent {
  readonly accountId: string;
  readonly userName: string;
  readonly accessKeyId: string;
  readonly createdBy: string;
  readonly createdAt: string | null;
}

interface PersonIds {
  readonly names: ReadonlySet<string>;
  readonly usersByAccount: ReadonlyMap<string, ReadonlySet<string>>;
  readonly ssoUserId: string;
}

/** The creator of a CloudTrail record when it is the person, else undefined. */
export function personActor(record: Record<string, unknown>, accountId: string, who: PersonIds): string | undefined {
  const identity = (record['userIdentity'] ?? {}) as Record<string, unknown>;
  const type = identity['type'];
  if (type === 'IAMUser') {
    const name = String(identity['userName'] ?? '').toLowerCase();
    return who.usersByAccount.get(accountId)?.has(name) ? `IAM user ${String(identity['userName'])}` : undefined;
  }
  if (type === 'AssumedRole') {
    const session = String(identity['arn'] ?? '').split('/').pop()?.toLowerCase() ?? '';
    const onBehalfOf = (identity['onBehalfOf'] ?? {}) as Record<string, unknown>;
    if (who.names.has(session) || (who.ssoUserId !== '' && onBehalfOf['userId'] === who.ssoUserId)) {
      return `role session ${String(identity['arn'] ?? '').split('/').slice(-2).join('/')}`;
    }
  }
  return undefined;
}

async function keysCreatedIn(api: AwsApi, accountId: string, since: number, who: PersonIds): Promise<KeyEvent[]> {
  const rows = await tokenAll<TrailEventRow>((token) => api.lookupEvents(accountId, {
    LookupAttributes: [{AttributeKey: 'EventName', AttributeValue: 'CreateAccessKey'}],
    StartTime: new Date(since), MaxResults: 50, ...(token ? {NextToken: token} : {}),
  }), 'Events');
  const own = who.usersByAccount.get(accountId) ?? new Set<string>();
  const found: KeyEvent[] = [];
  for (const row of rows) {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(row.CloudTrailEvent ?? '{}') as Record<string, unknown>;
    } catch {
      continue;
    }
    const actor = personActor(record, accountId, who);
    const target = String((record['requestParameters'] as Record<string, unknown> | null)?.['userName'] ?? '');
    const key = (record['responseElements'] as {accessKey?: {accessKeyId?: string}} | null)?.accessKey?.accessKeyId;
    // Keys for their own users are deleted with those users; a missing userName means the caller's own key.
    if (!actor || !target || !key || own.has(target.toLowerCase())) continue;
    found.push({accountId, userName: target, accessKeyId: key, createdBy: actor,
      createdAt: row.EventTime ? row.EventTime.toISOString() : null});
  }
  return found;
}

export async function discoverOrganization(api: AwsApi, identity: Identity, now: number): Promise<Finding[]> {
  const d = identity.data;
  const accounts = (Array.isArray(d['accounts']) ? d['accounts'] : []) as JsonObject[];
  const personUsers = (Array.isArray(d['person_users']) ? d['person_users'] : []) as JsonObject[];
  const usersByAccount = new Map<string, Set<string>>();
  for (const p of personUsers) {
    const set = usersByAccount.get(dataString(p, 'account_id')) ?? new Set<string>();
    set.add(dataString(p, 'user_name').toLowerCase());
    usersByAccount.set(dataString(p, 'account_id'), set);
  }
  const who: PersonIds = {
    names: new Set([dataString(d, 'email'), dataString(d, 'username')].filter(Boolean).map((n) => n.toLowerCase())),
    usersByAccount, ssoUserId: dataString(d, 'sso_user_id'),
  };
  const names = new Map(accounts.map((a) => [dataString(a, 'id'), dataString(a, 'name')]));
  const reachable = accounts.filter((a) => a['reachable'] !== false);
  const [keys, owned] = await Promise.all([
    api.config.cloudtrail.enabled ? serviceKeys(api, identity, reachable, now, who, names) : Promise.resolve([]),
    d['organization'] === true && dataString(d, 'owner_tag') !== ''
      ? ownedAccounts(api, identity, accounts, who, dataString(d, 'owner_tag'), dataString(d, 'management_account_id'))
      : Promise.resolve([]),
  ]);
  return [...keys, ...owned];
}

async function serviceKeys(api: AwsApi, identity: Identity, accounts: JsonObject[], now: number, who: PersonIds,
  names: Map<string, string>): Promise<Finding[]> {
  const since = now - api.config.cloudtrail.lookback_days * DAY_MS;
  const perAccount = await Promise.all(accounts.map(async (a): Promise<Finding[]> => {
    const accountId = dataString(a, 'id');
    const where = `${names.get(accountId) ?? accountId} (${accountId})`;
    try {
      const events = await keysCreatedIn(api, accountId, since, who);
      const findings = await Promise.all(events.map(async (e) => {
        const [keys, used] = await Promise.all([
          orMissing(iamAll<AccessKeyMetadata>(api, accountId, 'ListAccessKeys', {UserName: e.userName},
            'AccessKeyMetadata')),
          orMissing(api.iam<AccessKeyLastUsed>(accountId, 'GetAccessKeyLastUsed', {AccessKeyId: e.accessKeyId})),
        ]);
        const key = keys?.find((k) => k.AccessKeyId === e.accessKeyId);
        // Already deleted (rotated): nothing to do.
        if (!key) return undefined;
        const last = used?.AccessKeyLastUsed?.LastUsedDate;
        return makeFinding(identity, 'service_key', `${accountId}:${e.userName}/${e.accessKeyId}`,
          `Access key ${e.accessKeyId} of ${e.userName} in ${where}, created by the person (${e.createdBy})`, 'high', {
            account_id: accountId, account_name: names.get(accountId) ?? accountId, user_name: e.userName,
            access_key_id: e.accessKeyId, status: key.Status ?? '', created_by: e.createdBy, created_at: e.createdAt,
            last_used_at: last ? last.toISOString() : null,
          });
      }));
      return findings.filter((f): f is Finding => f !== undefined);
    } catch (e) {
      const reason = errorMessage(toOffboardError(e, `CloudTrail LookupEvents in ${accountId}`,
        'cloudtrail:LookupEvents'));
      return [makeFinding(identity, 'unsearched_trail', accountId, `CloudTrail of ${where} could not be searched: ` +
        'access keys the person created there are unknown', 'medium',
      {account_id: accountId, account_name: names.get(accountId) ?? accountId, reason}, true)];
    }
  }));
  return perAccount.flat();
}

async function ownedAccounts(api: AwsApi, identity: Identity, accounts: JsonObject[], who: PersonIds,
  tagKey: string, managementId: string): Promise<Finding[]> {
  const found = await Promise.all(accounts.map(async (a) => {
    const accountId = dataString(a, 'id');
    const tags = await tokenAll<Tag>((token) => api.organizations('ListTagsForResource',
      {ResourceId: accountId, ...(token ? {NextToken: token} : {})}), 'Tags');
    const owner = tags.find((t) => (t.Key ?? '').toLowerCase() === tagKey.toLowerCase())?.Value ?? '';
    if (!who.names.has(owner.toLowerCase())) return undefined;
    const name = dataString(a, 'name');
    return makeFinding(identity, 'owned_account', accountId, `Account ${name} (${accountId}) is owned by the person ` +
      `(${tagKey} = ${owner})`, 'medium', {account_id: accountId, account_name: name, owner,
      management: accountId === managementId});
  }));
  return found.filter((f): f is Finding => f !== undefined);
}
