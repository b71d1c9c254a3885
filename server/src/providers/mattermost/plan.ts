// Pure planning: the findings of one account become the ordered checklist contain → revoke → cleanup.
// Deterministic for the same findings, options and identity (steps are sorted, never taken in API order).
import {PermanentError} from '../../engine/errors.js';
import type {Finding, Identity, JsonObject, Phase, PlanOptionSpec, StepSpec} from '../../engine/types.js';
import {type AccountAction, ACCOUNT_ACTIONS} from './config.js';
import {type Action, dataString, type FindingKind, PROVIDER_ID, stepId} from './model.js';

export const planOptions: readonly PlanOptionSpec[] = [
  {
    key: 'account', title: 'Mattermost account', type: 'choice', default: 'configured',
    choices: [
      {value: 'configured', title: 'As configured (default_account_action; deactivate unless set)'},
      {value: 'deactivate', title: 'Deactivate the account'},
      {value: 'keep', title: 'Keep the account, strip all access (re-hire, legal hold)'},
    ],
  },
  {
    key: 'keep_teams', title: 'Teams kept when the account is kept (comma-separated team names)', type: 'text',
    default: '',
  },
  {
    key: 'bots', title: 'Bots the person owns', type: 'choice', default: 'reassign',
    choices: [
      {value: 'reassign', title: 'Reassign to the configured bot_owner (disable when none is configured)'},
      {value: 'disable', title: 'Disable them'},
    ],
  },
];

interface Planner {
  readonly userId: string;
  readonly username: string;
  add(phase: Phase, action: Action, target: string, title: string, params: JsonObject, dependsOn?: string[]): string;
}

export function plan(findings: readonly Finding[], options: JsonObject, identities: readonly Identity[]): StepSpec[] {
  const identity = identities.find((i) => i.provider === PROVIDER_ID && i.confidence === 'exact');
  const own = findings.filter((f) => f.provider === PROVIDER_ID);
  const userId = identity?.id ?? own[0]?.identityId;
  if (userId === undefined) return [];
  const username = (typeof identity?.data['username'] === 'string' ? identity.data['username'] : '') || userId;
  const account = accountAction(options, identity);
  const steps: StepSpec[] = [];
  const p: Planner = {
    userId, username,
    add(phase, action, target, title, params, dependsOn = []) {
      const id = stepId(action, target);
      steps.push({id, provider: PROVIDER_ID, phase, action, target, title, kind: 'auto', dependsOn, params});
      return id;
    },
  };
  const of = (kind: FindingKind): Finding[] => own.filter((f) => f.kind === kind)
    .sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id));
  const kept = keptTeams(account, options, of('team_membership'));

  // Contain: nothing the person holds keeps working, and (deactivate mode) no new login is possible.
  const contain: string[] = [];
  if (identity) contain.push(p.add('contain', 'revoke_sessions', userId, `Revoke all sessions of @${username}`,
    {user_id: userId, username}));
  for (const f of of('access_token')) {
    const tokenId = dataString(f.data, 'token_id');
    contain.push(p.add('contain', 'revoke_token', tokenId,
      `Revoke personal access token "${dataString(f.data, 'description')}" of @${username}`,
      {user_id: userId, token_id: tokenId, description: dataString(f.data, 'description')}));
  }
  if (identity && account === 'deactivate') {
    p.add('contain', 'deactivate_account', userId, `Deactivate the Mattermost account @${username}`,
      {user_id: userId, username, auth_service: dataString(identity.data, 'auth_service')}, contain);
  }

  planRevoke(p, of, kept);
  planCleanup(p, of, kept, options, identity);
  return steps;
}

function planRevoke(p: Planner, of: (kind: FindingKind) => Finding[], kept: ReadonlySet<string>): void {
  const u = {user_id: p.userId};
  for (const f of of('team_membership')) {
    const d = (key: string): string => dataString(f.data, key);
    if (kept.has(d('team_id'))) continue;
    p.add('revoke', 'remove_from_team', d('team_id'),
      `Remove @${p.username} from team ${d('team_display_name')} (${d('team_name')}) and its channels`,
      {...u, team_id: d('team_id'), team_name: d('team_name')});
  }
  // Kept teams: private channels go (one call per team removed the rest), admin roles go, public channels stay.
  for (const f of of('channel_membership')) {
    const d = (key: string): string => dataString(f.data, key);
    if (!kept.has(d('team_id')) || f.data['private'] !== true) continue;
    p.add('revoke', 'remove_from_channel', d('channel_id'),
      `Remove @${p.username} from private channel ~${d('channel_name')} in ${d('team_name')}`,
      {...u, channel_id: d('channel_id'), channel_name: d('channel_name'), team_id: d('team_id')});
  }
  for (const f of of('team_role')) {
    const d = (key: string): string => dataString(f.data, key);
    if (!kept.has(d('team_id'))) continue;
    p.add('revoke', 'demote_team_admin', d('team_id'),
      `Remove the team admin role of @${p.username} in ${d('team_display_name')} (${d('team_name')})`,
      {...u, team_id: d('team_id'), team_name: d('team_name')});
  }
  for (const f of of('channel_role')) {
    const d = (key: string): string => dataString(f.data, key);
    if (!kept.has(d('team_id')) || f.data['private'] === true) continue;
    p.add('revoke', 'demote_channel_admin', d('channel_id'),
      `Remove the channel admin role of @${p.username} in ~${d('channel_name')} (${d('team_name')})`,
      {...u, channel_id: d('channel_id'), channel_name: d('channel_name')});
  }
  // Also when the account is deactivated: a later re-activation must not bring the admin rights back.
  const roles = of('system_role').map((f) => dataString(f.data, 'role')).sort();
  if (roles.length > 0) {
    p.add('revoke', 'demote_system_admin', p.userId,
      `Remove the system role${roles.length > 1 ? 's' : ''} ${roles.join(', ')} of @${p.username}`,
      {...u, roles_to_remove: roles});
  }
}

function planCleanup(
  p: Planner, of: (kind: FindingKind) => Finding[], kept: ReadonlySet<string>, options: JsonObject,
  identity: Identity | undefined,
): void {
  // Targeted by fingerprint: the hook id is the webhook's secret and never enters a plan.
  for (const f of of('incoming_webhook')) {
    const hook = dataString(f.data, 'hook_fingerprint');
    p.add('cleanup', 'delete_incoming_webhook', hook,
      `Delete incoming webhook "${dataString(f.data, 'display_name') || hook}" (it keeps posting after deactivation)`,
      {hook_fingerprint: hook, display_name: dataString(f.data, 'display_name'),
        team_id: dataString(f.data, 'team_id')});
  }
  for (const f of of('outgoing_webhook')) {
    const hookId = dataString(f.data, 'hook_id');
    p.add('cleanup', 'regenerate_outgoing_webhook_token', hookId,
      `Regenerate the token of outgoing webhook "${dataString(f.data, 'display_name') || hookId}"`,
      {hook_id: hookId, display_name: dataString(f.data, 'display_name'), fingerprint: f.data['fingerprint'] ?? null});
  }
  for (const f of of('slash_command')) {
    const commandId = dataString(f.data, 'command_id');
    p.add('cleanup', 'regenerate_command_token', commandId,
      `Regenerate the token of slash command /${dataString(f.data, 'trigger')}`,
      {command_id: commandId, trigger: dataString(f.data, 'trigger'), team_id: dataString(f.data, 'team_id'),
        fingerprint: f.data['fingerprint'] ?? null});
  }
  for (const f of of('oauth_app')) {
    const appId = dataString(f.data, 'app_id');
    p.add('cleanup', 'regenerate_oauth_secret', appId,
      `Regenerate the client secret of OAuth app "${dataString(f.data, 'name')}"`,
      {app_id: appId, name: dataString(f.data, 'name'), fingerprint: f.data['fingerprint'] ?? null});
  }
  const owner = botOwner(options, identity, p.username);
  for (const f of of('owned_bot')) {
    const botId = dataString(f.data, 'bot_user_id');
    const bot = {bot_user_id: botId, bot_username: dataString(f.data, 'bot_username')};
    if (owner.username) {
      const wasActive = f.data['was_active'] === true;
      p.add('cleanup', 'reassign_bot', botId,
        `Reassign bot @${bot.bot_username} to @${owner.username}${wasActive ? ' and keep it enabled' : ''}`,
        {...bot, new_owner: owner.username, was_active: wasActive});
    } else {
      p.add('cleanup', 'disable_bot', botId, `Disable bot @${bot.bot_username}${owner.why}`, bot);
    }
  }
  for (const f of of('team_invite')) {
    const teamId = dataString(f.data, 'team_id');
    // In a kept team the person can read the new link as well, so regenerating it would change nothing for them.
    if (kept.has(teamId)) continue;
    p.add('cleanup', 'regenerate_team_invite', teamId,
      `Regenerate the invite link of team ${dataString(f.data, 'team_name')}`,
      {team_id: teamId, team_name: dataString(f.data, 'team_name'), fingerprint: f.data['fingerprint'] ?? null});
  }
}

function accountAction(options: JsonObject, identity: Identity | undefined): AccountAction {
  const chosen = options['account'];
  if (chosen === 'deactivate' || chosen === 'keep') return chosen;
  const configured = identity?.data['default_account_action'];
  return ACCOUNT_ACTIONS.find((a) => a === configured) ?? 'deactivate';
}

/** Team ids kept in keep mode; a name that matches none of the person's teams is refused (a typo would remove it). */
function keptTeams(account: AccountAction, options: JsonObject, memberships: readonly Finding[]): Set<string> {
  const raw = typeof options['keep_teams'] === 'string' ? options['keep_teams'] : '';
  const names = raw.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  if (account !== 'keep' || names.length === 0) return new Set();
  const byName = new Map(memberships.map((f) => [
    dataString(f.data, 'team_name').toLowerCase(), dataString(f.data, 'team_id'),
  ]));
  const unknown = names.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    const known = [...byName.keys()].sort().join(', ') || 'none';
    throw new PermanentError(
      `keep_teams names teams the person is not in: ${unknown.join(', ')} (their teams: ${known}).`);
  }
  return new Set(names.map((n) => byName.get(n) as string));
}

function botOwner(
  options: JsonObject, identity: Identity | undefined, username: string,
): {username: string; why: string} {
  if (options['bots'] === 'disable') return {username: '', why: ''};
  const configured = identity?.data['bot_owner'];
  if (typeof configured !== 'string' || configured === '') return {username: '', why: ' (no bot_owner is configured)'};
  if (configured.toLowerCase() === username.toLowerCase()) {
    return {username: '', why: ' (the configured bot_owner is the person being offboarded)'};
  }
  return {username: configured, why: ''};
}
