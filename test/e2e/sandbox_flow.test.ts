// The sandbox flow end to end: the webapp's RPC calls through the simulator's commands/execute, the executor against
// the simulator, then the simulator's own state is checked (Dana has no access left) and so is the run channel the
// service left behind: private, the right people, a contract-shaped card, the thread with the report attached.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {renderInline} from '../../server/src/audit/markdown.js';
import type {Post} from '../mattermost_sim/index.js';
import {type Harness, startHarness, waitFor} from '../support/service_harness.js';
import {
  allSteps, cardButtons, cardProps, clickButton, getRun, startRunFor, TERMINAL, thread, waitForStatus,
} from './e2e_support.js';

let h: Harness;
let secondAdminId: string;
let secondAdminToken: string;

beforeAll(async () => {
  h = await startHarness();
  const second = h.sim.createUser({username: 'second-admin', email: 'second-admin@example.com', first_name: 'Sam',
    last_name: 'Second', roles: 'system_user system_admin'});
  secondAdminId = second.id;
  secondAdminToken = h.sim.createSession(second.id);
  h.sim.addTeamMember(h.seed.teams.acme, second.id);
});
afterAll(async () => { await h.close(); });

describe('offboarding Dana through the sandbox flow', () => {
  let run: any;
  let finalRun: any;
  let steps: any[];
  const edits: number[] = [];
  const before = {} as {outgoingToken: string; commandToken: string; oauthSecret: string; invites: string[]};

  beforeAll(async () => {
    const {state} = h.sim;
    const s = h.seed.subject;
    before.outgoingToken = state.outgoingWebhook(s.outgoingHookId)!.token;
    before.commandToken = state.command(s.commandId)!.token;
    before.oauthSecret = state.oauthApp(s.oauthAppId)!.client_secret;
    before.invites = Object.values(h.seed.teams).map((id) => state.team(id)!.invite_id);
    h.sim.events.on('post_edited', ({post}: {post: Post}) => { if (post.id === run?.post_id) edits.push(Date.now()); });

    run = await startRunFor(h, 'dana', 'now');
    finalRun = await waitForStatus(h, run.id, (status) => TERMINAL.includes(status));
    steps = await allSteps(h, run.id);
    // The final summary is the last reply; the card's trailing edit may land up to a second after the run ends.
    await waitFor(async () => thread(h, run.post_id).find((p) => p.file_ids.length > 0), 20_000);
    await waitFor(async () => cardProps(h, run.post_id).offboarding_run.status === 'completed', 5_000);
  });

  it('completes every step', () => {
    expect(finalRun.status).toBe('completed');
    expect(steps.length).toBeGreaterThan(10);
    expect(steps.filter((st) => !['done', 'already_done'].includes(st.state))).toEqual([]);
  });

  it('leaves Dana with no access in the simulator', () => {
    const {state} = h.sim;
    const s = h.seed.subject;
    const dana = s.userId;
    expect(state.sessionsOf(dana)).toEqual([]);
    expect(state.tokensOf(dana).filter((t) => t.is_active)).toEqual([]);
    expect(state.teamMembershipsOfUser(dana)).toEqual([]);
    for (const key of ['acmeLeadership', 'engineeringIncidentResponse', 'engineeringOpsBots', 'salesDeals'] as const) {
      expect(state.channelMember(h.seed.channels[key], dana)).toBeUndefined();
    }
    expect(state.incomingWebhook(s.incomingHookId)).toBeUndefined();
    expect(state.outgoingWebhook(s.outgoingHookId)!.token).not.toBe(before.outgoingToken);
    expect(state.command(s.commandId)!.token).not.toBe(before.commandToken);
    expect(state.oauthApp(s.oauthAppId)!.client_secret).not.toBe(before.oauthSecret);
    expect(state.bot(s.botUserId)!.owner_id).toBe(h.seed.adminUserId);
    const invites = Object.values(h.seed.teams).map((id) => state.team(id)!.invite_id);
    invites.forEach((invite, i) => expect(invite).not.toBe(before.invites[i]));
    expect(state.user(dana)!.delete_at).toBeGreaterThan(0);
  });

  it('created a private run channel with the bot, the initiator and the reviewer, never Dana', () => {
    expect(run.channel_id).toMatch(/^[a-z0-9]{26}$/);
    const channel = h.sim.state.channel(run.channel_id)!;
    const day = new Date(run.created_at).toISOString().slice(0, 10);
    expect(channel.type).toBe('P');
    expect(channel.team_id).toBe(h.seed.teams.acme);
    expect(channel.name).toBe(`offboard-dana-${day.replace(/-/g, '')}`);
    expect(channel.display_name).toBe(`Offboarding: Dana Whitfield (${day})`);
    expect(channel.purpose).toContain(run.id);
    const members = h.sim.state.channelMembersOf(channel.id).map((m) => m.user_id).sort();
    expect(members).toEqual([h.seed.botUserId, h.seed.adminUserId, h.seed.users.alice].sort());
  });

  it('keeps one card, patched in place at most once a second, in the contract shape', () => {
    const post = h.sim.state.post(run.post_id)!;
    expect(post.channel_id).toBe(run.channel_id);
    expect(post.user_id).toBe(h.seed.botUserId);
    expect(post.root_id).toBe('');
    expect(post.type).toBe('custom_offboarding_run');
    expect(h.sim.state.postsInChannel(run.channel_id).filter((p) => p.root_id === '').map((p) => p.id))
      .toEqual([post.id]);
    const card = cardProps(h, post.id).offboarding_run;
    expect(card).toMatchObject({run_id: run.id, status: 'completed', initiator_id: h.seed.adminUserId,
      subject: {user_id: h.seed.subject.userId, username: 'dana', display_name: 'Dana Whitfield'},
      approval_required: false, total: steps.length, steps_truncated: false});
    expect(card.steps.map((st) => [st.id, st.state])).toEqual(steps.map((st) => [st.id, st.state]));
    expect(card.counts.done + card.counts.already_done).toBe(steps.length);
    // A finished run has nothing to click.
    expect(post.props['attachments']).toBeUndefined();
    expect(edits.length).toBeGreaterThan(0);
    for (let i = 1; i < edits.length; i += 1) expect(edits[i]! - edits[i - 1]!).toBeGreaterThanOrEqual(1000);
  });

  it('lists every step in the fallback message, escaped', () => {
    const {message} = h.sim.state.post(run.post_id)!;
    expect(message).toContain('Dana Whitfield');
    expect(message).toContain(':white_check_mark: Completed');
    for (const st of steps) expect(message).toContain(renderInline(st.title, 200));
    // Titles name @dana: the zero-width joiner keeps the card from mentioning her.
    expect(message).not.toMatch(/@dana\b/);
  });

  it('replies in the thread with the provider tally and a final summary carrying the report', () => {
    const replies = thread(h, run.post_id);
    const tallies = replies.filter((p) => p.message.includes('**Mattermost:**'));
    expect(tallies).toHaveLength(1);
    expect(tallies[0]!.message).toMatch(/\d+ steps done/);
    const finals = replies.filter((p) => p.file_ids.length > 0);
    expect(finals).toHaveLength(1);
    const files = finals[0]!.file_ids.map((id) => h.sim.state.files.get(id)!);
    expect(files.map((f) => f.info.name).sort()).toEqual([`report-${run.id}.json`, `report-${run.id}.md`]);
    const report = JSON.parse(files.find((f) => f.info.name.endsWith('.json'))!.content.toString('utf8'));
    expect(report.run.id).toBe(run.id);
    expect(report.run.status).toBe('completed');
    expect(report.audit.verified).toBe(true);
    expect(finals[0]!.message).toContain(report.audit.head);
    expect(files.find((f) => f.info.name.endsWith('.md'))!.content.toString('utf8')).toContain('# Offboarding report');
    // The final summary comes last.
    expect(replies.at(-1)!.id).toBe(finals[0]!.id);
  });
});

describe('approving from the card', () => {
  let run: any;
  const approveId = () => cardButtons(h, run.post_id).find((a) => a.name === 'Approve')!.id;

  beforeAll(async () => {
    run = await startRunFor(h, 'erin', 'approval');
  });

  it('shows Approve and Cancel buttons on an approval run', () => {
    expect(run.status).toBe('awaiting_approval');
    expect(cardProps(h, run.post_id).offboarding_run.status).toBe('awaiting_approval');
    expect(cardButtons(h, run.post_id).map((a) => [a.name, a.integration.context.action]))
      .toEqual([['Approve', 'approve'], ['Cancel run', 'cancel']]);
    expect(h.sim.state.post(run.post_id)!.message).toMatch(/second admin/);
  });

  it('refuses the initiator', async () => {
    const res = await clickButton(h, run.post_id, approveId(), h.seed.adminToken);
    expect(res.status).toBe(200);
    expect((await getRun(h, run.id)).status).toBe('awaiting_approval');
    const told = h.sim.state.ephemeralFor(h.seed.adminUserId).at(-1)!.post.message;
    expect(told).toMatch(/second admin/i);
  });

  it('refuses forged or altered button contexts', async () => {
    const genuine = cardButtons(h, run.post_id).find((a) => a.name === 'Approve')!.integration.context;
    const forge = (context: Record<string, unknown>) => fetch(`${h.service.url}/mattermost/action`, {
      method: 'POST', headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({user_id: secondAdminId, user_name: 'second-admin', post_id: run.post_id,
        channel_id: run.channel_id, trigger_id: h.sim.signTriggerId(secondAdminId), type: 'button', context}),
    });
    const flipped = `${genuine.token.slice(0, -2)}${genuine.token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const context of [
      {...genuine, action: 'cancel'},
      {...genuine, run_id: 'b'.repeat(26)},
      {...genuine, token: flipped},
      {...genuine, token: 'x'},
    ]) {
      const res = await forge(context);
      expect(res.status).toBe(403);
      expect((await getRun(h, run.id)).status).toBe('awaiting_approval');
    }
  });

  it('starts the run when a second admin clicks Approve', async () => {
    const res = await clickButton(h, run.post_id, approveId(), secondAdminToken);
    expect(res.status).toBe(200);
    const approved = await waitForStatus(h, run.id, (status) => status !== 'awaiting_approval');
    expect(approved.approved_by).toBe(secondAdminId);
    expect(['running', ...TERMINAL]).toContain(approved.status);
    // The card follows: no Approve button once approved.
    await waitFor(async () => cardProps(h, run.post_id).offboarding_run.status !== 'awaiting_approval');
    expect(cardButtons(h, run.post_id).map((b) => b.name)).not.toContain('Approve');
    expect(cardProps(h, run.post_id).offboarding_run.approved_by).toBe(secondAdminId);
  });
});
