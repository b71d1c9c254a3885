// plan() is pure: these tests feed hand-built findings and check the checklist's shape, order and options.
import {describe, expect, it} from '@jest/globals';
import type {Finding, Identity, JsonObject} from '../../engine/types.js';
import {plan} from './plan.js';

const USER = 'u-dana';

const identity = (data: JsonObject = {}): Identity => ({
  provider: 'mattermost', id: USER, label: '@dana', source: 'Mattermost account', confidence: 'exact',
  data: {user_id: USER, username: 'dana', roles: 'system_user system_admin', auth_service: '', bot_owner: 'it-admin',
    default_account_action: 'deactivate', ...data},
});

const finding = (kind: string, target: string, data: JsonObject, label = `${kind} ${target}`): Finding => ({
  provider: 'mattermost', kind, id: `${kind}:${target}`, label, identityId: USER, risk: 'low', residual: false,
  data: {user_id: USER, ...data},
});

const team = (id: string, name: string) => ({team_id: id, team_name: name, team_display_name: name.toUpperCase()});
const channel = (id: string, name: string, teamId: string, teamName: string, isPrivate: boolean) => ({
  channel_id: id, channel_name: name, channel_display_name: name, team_id: teamId, team_name: teamName,
  private: isPrivate,
});

const FINDINGS: Finding[] = [
  finding('session', 's1', {session_id: 's1'}),
  finding('access_token', 'tok-b', {token_id: 'tok-b', description: 'CI deploy'}, 'Personal access token "CI deploy"'),
  finding('access_token', 'tok-a', {token_id: 'tok-a', description: 'Backup'}, 'Personal access token "Backup"'),
  finding('system_role', 'system_admin', {role: 'system_admin'}),
  finding('team_membership', 't-eng', team('t-eng', 'eng')),
  finding('team_membership', 't-ops', team('t-ops', 'ops')),
  finding('team_role', 't-eng', team('t-eng', 'eng')),
  finding('channel_membership', 'c-pub', channel('c-pub', 'town-square', 't-eng', 'eng', false)),
  finding('channel_membership', 'c-priv', channel('c-priv', 'secrets', 't-eng', 'eng', true)),
  finding('channel_membership', 'c-ops', channel('c-ops', 'oncall', 't-ops', 'ops', true)),
  finding('channel_role', 'c-pub', channel('c-pub', 'town-square', 't-eng', 'eng', false)),
  finding('owned_bot', 'b-1', {bot_user_id: 'b-1', bot_username: 'deploybot', was_active: true}),
  finding('incoming_webhook', 'h-in', {hook_fingerprint: 'h-in', display_name: 'Alerts', team_id: 't-eng'}),
  finding('outgoing_webhook', 'h-out', {hook_id: 'h-out', display_name: 'Echo', team_id: 't-eng', fingerprint: 'aaa'}),
  finding('slash_command', 'cmd', {command_id: 'cmd', trigger: 'deploy', team_id: 't-eng', fingerprint: 'bbb'}),
  finding('oauth_app', 'app', {app_id: 'app', name: 'Grafana', fingerprint: 'ccc'}),
  finding('team_invite', 't-eng', {team_id: 't-eng', team_name: 'eng', fingerprint: 'ddd'}),
  finding('team_invite', 't-ops', {team_id: 't-ops', team_name: 'ops', fingerprint: 'eee'}),
];

const DEFAULTS = {account: 'configured', keep_teams: '', bots: 'reassign'};

describe('mattermost plan()', () => {
  it('deactivates, removes every team and cleans up integrations, in phase order', () => {
    const steps = plan(FINDINGS, DEFAULTS, [identity()]);
    expect(steps.map((s) => s.id)).toEqual([
      'mattermost:revoke_sessions:u-dana',
      'mattermost:revoke_token:tok-a',
      'mattermost:revoke_token:tok-b',
      'mattermost:deactivate_account:u-dana',
      'mattermost:remove_from_team:t-eng',
      'mattermost:remove_from_team:t-ops',
      'mattermost:demote_system_admin:u-dana',
      'mattermost:delete_incoming_webhook:h-in',
      'mattermost:regenerate_outgoing_webhook_token:h-out',
      'mattermost:regenerate_command_token:cmd',
      'mattermost:regenerate_oauth_secret:app',
      'mattermost:reassign_bot:b-1',
      'mattermost:regenerate_team_invite:t-eng',
      'mattermost:regenerate_team_invite:t-ops',
    ]);
    const deactivate = steps.find((s) => s.action === 'deactivate_account');
    expect(deactivate?.phase).toBe('contain');
    expect(deactivate?.dependsOn).toEqual([
      'mattermost:revoke_sessions:u-dana', 'mattermost:revoke_token:tok-a', 'mattermost:revoke_token:tok-b',
    ]);
    expect(steps.find((s) => s.action === 'revoke_token' && s.target === 'tok-b')?.title)
      .toBe('Revoke personal access token "CI deploy" of @dana');
    expect(steps.find((s) => s.action === 'reassign_bot')?.params)
      .toEqual({bot_user_id: 'b-1', bot_username: 'deploybot', new_owner: 'it-admin', was_active: true});
    expect(steps.find((s) => s.action === 'regenerate_command_token')?.params['fingerprint']).toBe('bbb');
    expect(new Set(steps.map((s) => s.phase))).toEqual(new Set(['contain', 'revoke', 'cleanup']));
  });

  it('is deterministic whatever order the findings come in', () => {
    const reversed = plan([...FINDINGS].reverse(), DEFAULTS, [identity()]);
    expect(reversed).toEqual(plan(FINDINGS, DEFAULTS, [identity()]));
  });

  it('keep mode: no deactivation; kept team loses private channels and admin roles, other teams go', () => {
    const steps = plan(FINDINGS, {...DEFAULTS, account: 'keep', keep_teams: ' ENG '}, [identity()]);
    const ids = steps.map((s) => s.id);
    expect(ids).not.toContain('mattermost:deactivate_account:u-dana');
    expect(ids).not.toContain('mattermost:remove_from_team:t-eng');
    expect(ids).toContain('mattermost:remove_from_team:t-ops');
    expect(ids).toContain('mattermost:remove_from_channel:c-priv');
    // Channels of removed teams go with the team: no per-channel step.
    expect(ids).not.toContain('mattermost:remove_from_channel:c-ops');
    expect(ids).not.toContain('mattermost:remove_from_channel:c-pub');
    expect(ids).toContain('mattermost:demote_team_admin:t-eng');
    expect(ids).toContain('mattermost:demote_channel_admin:c-pub');
    expect(ids).toContain('mattermost:demote_system_admin:u-dana');
    expect(ids).toContain('mattermost:regenerate_team_invite:t-ops');
    expect(ids).not.toContain('mattermost:regenerate_team_invite:t-eng');
  });

  it('takes the account action from the configuration when the admin leaves it "as configured"', () => {
    const keep = plan(FINDINGS, DEFAULTS, [identity({default_account_action: 'keep'})]);
    expect(keep.some((s) => s.action === 'deactivate_account')).toBe(false);
    const forced = plan(FINDINGS, {...DEFAULTS, account: 'deactivate'}, [identity({default_account_action: 'keep'})]);
    expect(forced.some((s) => s.action === 'deactivate_account')).toBe(true);
  });

  it('refuses keep_teams names the person is not in, naming their teams', () => {
    expect(() => plan(FINDINGS, {...DEFAULTS, account: 'keep', keep_teams: 'eng, sales'}, [identity()]))
      .toThrow('keep_teams names teams the person is not in: sales (their teams: eng, ops).');
  });

  it('disables bots when asked, when no bot_owner is configured, or when the owner is the person', () => {
    const byChoice = plan(FINDINGS, {...DEFAULTS, bots: 'disable'}, [identity()]);
    expect(byChoice.find((s) => s.target === 'b-1')?.action).toBe('disable_bot');
    const noOwner = plan(FINDINGS, DEFAULTS, [identity({bot_owner: null})]);
    expect(noOwner.find((s) => s.target === 'b-1')?.title).toBe('Disable bot @deploybot (no bot_owner is configured)');
    const self = plan(FINDINGS, DEFAULTS, [identity({bot_owner: 'Dana'})]);
    expect(self.find((s) => s.target === 'b-1')?.action).toBe('disable_bot');
  });

  it('plans nothing without an account or findings, and no account steps without an exact identity', () => {
    expect(plan([], DEFAULTS, [])).toEqual([]);
    const notFound: Identity = {...identity(), confidence: 'not_found'};
    expect(plan([], DEFAULTS, [notFound])).toEqual([]);
    const orphan = plan([FINDINGS[12] as Finding], DEFAULTS, [notFound]);
    expect(orphan.map((s) => s.action)).toEqual(['delete_incoming_webhook']);
  });
});
