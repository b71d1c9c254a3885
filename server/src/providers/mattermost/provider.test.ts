// The Mattermost provider against the simulator over HTTP: Dana's full offboarding (discover → plan → execute →
// verify), idempotent re-execution, keep-account mode, bot handling, and that no secret leaves the provider.
import {describe, expect, it} from '@jest/globals';
import type {StepSpec} from '../../engine/types.js';
import {mattermostProvider} from './index.js';
import {fingerprint} from './model.js';
import {
  executeAll, inventory, kinds, planFor, simSecrets, startFixture, verifyAll,
} from './test_support.js';
import {perTestFixtures} from '../../../../test/support/per_test.js';

const fixture = perTestFixtures(() => startFixture());

const ids = (steps: readonly StepSpec[]): string[] => steps.map((s) => s.id);

describe('mattermost provider: full offboarding of Dana', () => {
  it('discovers everything, plans, executes, verifies, and repeats as already_done', async () => {
    const {sim, ws, subject, ctx} = await fixture();
    const c = ctx();
    const secretsBefore = simSecrets(sim);
    const hookIdBefore = ws.subject.incomingHookId;
    const inv = await inventory(c, subject);

    expect(inv.identities).toEqual([expect.objectContaining({id: subject.userId, confidence: 'exact',
      source: 'Mattermost account', data: expect.objectContaining({roles: 'system_user system_admin'})})]);
    const count = (kind: string): number => inv.findings.filter((f) => f.kind === kind).length;
    expect({
      session: count('session'), access_token: count('access_token'), system_role: count('system_role'),
      team_membership: count('team_membership'), team_role: count('team_role'),
      channel_membership: count('channel_membership'), channel_role: count('channel_role'),
      owned_bot: count('owned_bot'),
      incoming_webhook: count('incoming_webhook'), outgoing_webhook: count('outgoing_webhook'),
      slash_command: count('slash_command'), oauth_app: count('oauth_app'), team_invite: count('team_invite'),
    }).toEqual({
      session: 3, access_token: 2, system_role: 1, team_membership: 3, team_role: 1, channel_membership: 10,
      channel_role: 1, owned_bot: 1, incoming_webhook: 1, outgoing_webhook: 1, slash_command: 1, oauth_app: 1,
      team_invite: 3,
    });
    expect(inv.findings.find((f) => f.kind === 'channel_membership' && f.data['channel_id'] === ws.channels.salesDeals))
      .toMatchObject({risk: 'medium', data: {private: true, team_name: 'sales'}});
    expect(inv.findings.filter((f) => f.kind === 'session').map((f) => f.label).sort()).toEqual([
      'Mobile session on Mattermost Mobile/2.18.0 / iOS 17.5 (iPhone)',
      'Session on Chrome/126.0 / Windows 11 (Windows)',
      'Session on Desktop App/5.8.1 / Mac OS 14.5 (Macintosh)',
    ]);
    expect(sim.mutations()).toEqual([]);

    const steps = planFor(inv);
    const actions = new Set(steps.map((s) => s.action));
    expect([...actions].sort()).toEqual([
      'deactivate_account', 'delete_incoming_webhook', 'demote_system_admin', 'reassign_bot',
      'regenerate_command_token', 'regenerate_oauth_secret', 'regenerate_outgoing_webhook_token',
      'regenerate_team_invite', 'remove_from_team', 'revoke_sessions', 'revoke_token',
    ]);

    // Before anything ran, no step can be proven.
    const early = await verifyAll(c, steps);
    expect([...early].filter(([, v]) => v.ok).map(([id]) => id)).toEqual([]);

    const first = await executeAll(c, steps);
    expect(new Set(Object.values(kinds(first)))).toEqual(new Set(['done']));
    const verified = await verifyAll(c, steps);
    expect([...verified].filter(([, v]) => !v.ok).map(([id, v]) => `${id}: ${v.reason}`)).toEqual([]);

    const again = await executeAll(c, steps);
    expect(new Set(Object.values(kinds(again)))).toEqual(new Set(['already_done']));
    expect(sim.mutations().length).toBeGreaterThan(0);

    // The simulator's own state agrees.
    const s = sim.state;
    const dana = s.user(subject.userId);
    expect(dana?.delete_at).toBeGreaterThan(0);
    expect(dana?.roles).toBe('system_user');
    expect(s.sessionsOf(subject.userId)).toEqual([]);
    expect(s.tokensOf(subject.userId)).toEqual([]);
    expect(s.teamMembershipsOfUser(subject.userId)).toEqual([]);
    expect(s.incomingWebhook(hookIdBefore)).toBeUndefined();
    expect(s.bot(ws.subject.botUserId)).toMatchObject({owner_id: ws.users.alice, delete_at: 0});

    // Nothing secret anywhere: neither the secrets from before nor the ones the rotations minted.
    const everything = JSON.stringify({inv, steps, first, again, verified, early});
    const leaked = [...secretsBefore, ...simSecrets(sim), hookIdBefore, ws.botToken, ws.adminToken]
      .filter((secret) => everything.includes(secret));
    expect(leaked).toEqual([]);
    const rotation = first.get(`mattermost:regenerate_command_token:${ws.subject.commandId}`);
    const command = s.command(ws.subject.commandId);
    expect(rotation).toMatchObject({kind: 'done', evidence: {fingerprint_now: fingerprint(command?.token ?? '')}});
  });

  it('keep mode: the account stays, kept team loses private channels and admin roles, other teams go', async () => {
    const {sim, ws, subject, ctx} = await fixture();
    sim.addChannelMember(ws.channels.engineeringTownSquare, subject.userId, {admin: true});
    const c = ctx();
    const steps = planFor(await inventory(c, subject), {account: 'keep', keep_teams: 'engineering'});
    expect(ids(steps)).not.toContain(`mattermost:deactivate_account:${subject.userId}`);
    expect(ids(steps)).toEqual(expect.arrayContaining([
      `mattermost:remove_from_team:${ws.teams.acme}`, `mattermost:remove_from_team:${ws.teams.sales}`,
      `mattermost:remove_from_channel:${ws.channels.engineeringIncidentResponse}`,
      `mattermost:remove_from_channel:${ws.channels.engineeringOpsBots}`,
      `mattermost:demote_team_admin:${ws.teams.engineering}`,
      `mattermost:demote_channel_admin:${ws.channels.engineeringTownSquare}`,
      `mattermost:demote_system_admin:${subject.userId}`,
    ]));

    const early = await verifyAll(c, steps);
    expect([...early].filter(([, v]) => v.ok).map(([id]) => id)).toEqual([]);
    const first = await executeAll(c, steps);
    expect(new Set(Object.values(kinds(first)))).toEqual(new Set(['done']));
    const verified = await verifyAll(c, steps);
    expect([...verified.values()].every((v) => v.ok)).toBe(true);
    expect(new Set(Object.values(kinds(await executeAll(c, steps))))).toEqual(new Set(['already_done']));

    const s = sim.state;
    expect(s.user(subject.userId)?.delete_at).toBe(0);
    expect(s.teamMembershipsOfUser(subject.userId).map((m) => m.team_id)).toEqual([ws.teams.engineering]);
    expect(s.teamMember(ws.teams.engineering, subject.userId)?.scheme_admin).toBe(false);
    expect(s.channelMember(ws.channels.engineeringIncidentResponse, subject.userId)).toBeUndefined();
    expect(s.channelMember(ws.channels.engineeringOpsBots, subject.userId)).toBeUndefined();
    expect(s.channelMember(ws.channels.engineeringTownSquare, subject.userId)?.scheme_admin).toBe(false);
    expect(s.user(subject.userId)?.roles).toBe('system_user');
    expect(s.bot(ws.subject.botUserId)).toMatchObject({owner_id: ws.users.alice, delete_at: 0});
    // The kept team's invite link stays (Dana could read a new one); the others are rotated.
    const invite = (teamId: string): string => s.team(teamId)?.invite_id ?? '';
    expect(ids(steps)).not.toContain(`mattermost:regenerate_team_invite:${ws.teams.engineering}`);
    expect(first.get(`mattermost:regenerate_team_invite:${ws.teams.acme}`))
      .toMatchObject({evidence: {fingerprint_now: fingerprint(invite(ws.teams.acme))}});
  });
});

describe('mattermost provider: bots', () => {
  it('disables owned bots when asked to; after a deactivation the server already did', async () => {
    const {sim, ws, subject, ctx} = await fixture();
    const c = ctx();
    const inv = await inventory(c, subject);
    const kept = planFor(inv, {bots: 'disable', account: 'keep'});
    const step = kept.find((s) => s.action === 'disable_bot') as StepSpec;
    expect(step.title).toBe('Disable bot @dana-deploybot');
    expect(await mattermostProvider.verify(c, step)).toMatchObject({ok: false, reason: 'the bot is still enabled'});
    expect(await mattermostProvider.execute(c, step)).toMatchObject({kind: 'done', evidence: {enabled: false}});
    expect(sim.state.bot(ws.subject.botUserId)?.owner_id).toBe(subject.userId);
    expect(sim.state.bot(ws.subject.botUserId)?.delete_at).toBeGreaterThan(0);
    expect(await mattermostProvider.verify(c, step)).toMatchObject({ok: true});
    expect(await mattermostProvider.execute(c, step)).toMatchObject({kind: 'already_done'});

    // DisableBotsWhenOwnerIsDeactivated (on by default): deactivating Dana disables her bot on the server's side.
    sim.state.bots.get(ws.subject.botUserId)!.delete_at = 0;
    const outcomes = await executeAll(c, planFor(inv, {bots: 'disable'}));
    expect(outcomes.get(step.id)).toMatchObject({kind: 'already_done', evidence: {enabled: false}});
  });

  it('falls back to disabling without a bot_owner, and refuses an owner that does not exist', async () => {
    const {ws, subject, ctx} = await fixture();
    const unconfigured = planFor(await inventory(ctx({section: {bot_owner: undefined}}), subject));
    expect(unconfigured.find((s) => s.target === ws.subject.botUserId)?.title)
      .toBe('Disable bot @dana-deploybot (no bot_owner is configured)');

    const c = ctx({section: {bot_owner: 'nobody-here'}});
    const step = planFor(await inventory(c, subject)).find((s) => s.action === 'reassign_bot') as StepSpec;
    await expect(mattermostProvider.execute(c, step)).rejects.toMatchObject({
      code: 'config', message: 'providers.mattermost.bot_owner: there is no Mattermost user @nobody-here.',
    });
  });

  it('finishes a reassignment that stopped between assigning and re-enabling the bot', async () => {
    const {sim, ws, subject, ctx} = await fixture();
    const c = ctx();
    const step = planFor(await inventory(c, subject)).find((s) => s.action === 'reassign_bot') as StepSpec;
    expect(step.params).toMatchObject({new_owner: 'alice', was_active: true});
    const bot = sim.state.bots.get(ws.subject.botUserId)!;
    bot.owner_id = ws.users.alice;
    bot.delete_at = Date.now();
    expect(await mattermostProvider.verify(c, step)).toMatchObject({ok: false, reason: 'the bot is still disabled'});
    expect(await mattermostProvider.execute(c, step)).toMatchObject({kind: 'done',
      evidence: {owner_id: ws.users.alice, previous_owner_id: ws.users.alice, enabled: true}});
    expect(sim.state.bot(ws.subject.botUserId)?.delete_at).toBe(0);
    expect(sim.mutations().map((r) => r.path)).toEqual([`/api/v4/bots/${ws.subject.botUserId}/enable`]);
  });

  it('keeps a bot that was disabled before the run disabled when reassigning it', async () => {
    const {sim, ws, subject, ctx} = await fixture();
    sim.state.bots.get(ws.subject.botUserId)!.delete_at = Date.now();
    const c = ctx();
    const step = planFor(await inventory(c, subject)).find((s) => s.action === 'reassign_bot') as StepSpec;
    expect(step.params['was_active']).toBe(false);
    expect(await mattermostProvider.execute(c, step)).toMatchObject({kind: 'done', evidence: {enabled: false}});
    expect(sim.state.bot(ws.subject.botUserId)?.owner_id).toBe(ws.users.alice);
    expect(await mattermostProvider.verify(c, step)).toMatchObject({ok: true});
  });
});
