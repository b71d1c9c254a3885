// The parts of the plan an admin decides: identities that are ambiguous or not found, accounts that could not be
// checked, and accounts the person owns — closed automatically only with the option on, the account id typed into
// the confirmation, and within the rolling 30-day closure quota (https://docs.aws.amazon.com/organizations/latest/
// APIReference/API_CloseAccount.html).
import type {Finding, Identity, JsonObject} from '../../engine/types.js';
import {dataString, dataStrings, PROVIDER_ID} from './model.js';
import type {Planner} from './plan.js';

/** Member accounts closable in a rolling 30 days: 10 % of them, at least 10, at most 1000. */
export function closureQuota(memberAccounts: number): number {
  return Math.max(10, Math.min(1000, Math.floor(memberAccounts * 0.1)));
}

function confirmedIds(options: JsonObject): Set<string> {
  const raw = typeof options['confirm_account_closure'] === 'string' ? options['confirm_account_closure'] : '';
  return new Set(raw.split(/[\s,]+/).filter((id) => /^\d{12}$/.test(id)));
}

export function planManual(p: Planner, own: readonly Finding[], options: JsonObject, identities: readonly Identity[],
  management: string): void {
  const mine = identities.filter((i) => i.provider === PROVIDER_ID).slice().sort((a, b) => a.id.localeCompare(b.id));
  for (const i of mine) {
    const account = dataString(i.data, 'account_id');
    const where = `${dataString(i.data, 'account_name') || account} (${account})`;
    if (dataString(i.data, 'kind') === 'unchecked_account') {
      p.manual({phase: 'cleanup', action: 'review_account', account, target: 'iam', params: {account_id: account},
        title: `Check account ${where} by hand: it could not be reached`,
        instructions: `Account ${where} could not be checked (${dataString(i.data, 'reason')}). Sign in to it, look ` +
          'for IAM users, access keys and console passwords of the person, delete them, and note what you found.'});
    } else if (dataString(i.data, 'kind') === 'unchecked_identity_center') {
      p.manual({phase: 'cleanup', action: 'review_account', account, target: 'identity-center',
        params: {account_id: account}, title: 'Check IAM Identity Center by hand: it could not be searched',
        instructions: `Identity Center could not be searched (${dataString(i.data, 'reason')}). Look up the person's ` +
          'user there, remove their account assignments and group memberships, and delete the user.'});
    } else if (i.confidence === 'ambiguous') {
      const candidates = dataStrings(i.data, 'candidates');
      p.manual({phase: 'cleanup', action: 'review_iam_users', account, target: 'candidates',
        params: {account_id: account, candidates}, title: `Decide which IAM users in ${where} are the person's`,
        instructions: `Several IAM users in ${where} match the person (${candidates.join(', ')}; ${i.source}). ` +
          'Delete the ones that are theirs (IAM console → Users → Delete removes every dependent), or map them in ' +
          'providers.aws.user_mapping and plan again.'});
    } else if (i.confidence === 'not_found' && dataString(i.data, 'kind') === 'iam_user') {
      const user = dataString(i.data, 'user_name');
      p.manual({phase: 'cleanup', action: 'review_iam_users', account, target: user,
        params: {account_id: account, user_name: user}, title: `Find IAM user ${user} in ${where}`,
        instructions: typeof i.data['entered'] === 'string'
          ? `An admin entered IAM user name ${user}, but no checked account has such a user. Check the spelling ` +
            'and whether it lives in an account the service does not reach (skip_account_ids, an unreachable role).'
          : `The explicit mapping names IAM user ${user} in ${where}, but there is no such user. Check ` +
            'whether it was renamed or lives in another account, and fix providers.aws.user_mapping.'});
    }
  }
  for (const f of own.filter((x) => x.kind === 'unsearched_trail')) {
    const account = dataString(f.data, 'account_id');
    p.manual({phase: 'cleanup', action: 'review_account', account, target: 'cloudtrail', params: {account_id: account},
      title: `Search CloudTrail of account ${account} for access keys the person created`,
      instructions: `CloudTrail could not be searched in ${account} (${dataString(f.data, 'reason')}). Look up ` +
        'CreateAccessKey events made by the person in the last 90 days and rotate the keys they created.'});
  }
  planOwnedAccounts(p, own, options, identities, management);
}

function planOwnedAccounts(p: Planner, own: readonly Finding[], options: JsonObject, identities: readonly Identity[],
  management: string): void {
  const org = identities.find((i) => i.provider === PROVIDER_ID && dataString(i.data, 'kind') === 'organization');
  const members = Math.max(0, (typeof org?.data['account_count'] === 'number' ? org.data['account_count'] : 0) - 1);
  const quota = closureQuota(members);
  const confirmed = confirmedIds(options);
  const closing = options['close_owned_accounts'] === true;
  let planned = 0;
  for (const f of own.filter((x) => x.kind === 'owned_account')) {
    const account = dataString(f.data, 'account_id');
    const where = `${dataString(f.data, 'account_name')} (${account})`;
    const params = {account_id: account, account_name: dataString(f.data, 'account_name')};
    const auto = closing && confirmed.has(account) && f.data['management'] !== true && planned < quota;
    if (auto) {
      planned += 1;
      p.add({phase: 'cleanup', action: 'close_account', account: management, target: account, params,
        title: `Close account ${where}, owned by the person`});
      continue;
    }
    const why = f.data['management'] === true ? 'It is the management account: it cannot be closed by API.'
      : !closing ? 'Closing is off: turn on "Close AWS accounts the person owns" and type the id to confirm.'
        : !confirmed.has(account) ? `Type ${account} into the closure confirmation to close it automatically.`
          : `The plan already closes ${quota} accounts, the rolling 30-day quota for ${members} member accounts.`;
    p.manual({phase: 'cleanup', action: 'review_owned_account', account: management, target: account, params,
      title: `Decide about account ${where}, owned by the person`,
      instructions: `The person owns account ${where} (${dataString(f.data, 'owner')}). Close it, or hand it to a ` +
        `new owner and change its owner tag. ${why}`});
  }
}
