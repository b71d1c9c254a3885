// Clients without the plugin (mobile, CLI): /offboard help | list | status, and `/offboard @user` opening an
// interactive dialog whose HMAC'd state is refused when forged, expired or replayed by someone else.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {mintActionToken} from '../../server/src/mattermost/hmac.js';
import {type Harness, startHarness, waitFor} from '../support/service_harness.js';

let h: Harness;
beforeAll(async () => { h = await startHarness({execute: false}); });
afterAll(async () => { await h.close(); });

async function submitDialog(body: Record<string, unknown>, token = h.seed.adminToken) {
  const res = await fetch(`${h.sim.url}/api/v4/actions/dialogs/submit`, {
    method: 'POST',
    headers: {'Authorization': `Bearer ${token}`, 'Content-Type': 'application/json'},
    body: JSON.stringify({callback_id: 'offboard_confirm', channel_id: h.seed.channels.acmeTownSquare,
      team_id: h.seed.teams.acme, cancelled: false, ...body}),
  });
  return {status: res.status, body: await res.json() as Record<string, any>};
}

describe('plain-text commands', () => {
  it('answers /offboard and /offboard help with help text', async () => {
    for (const command of ['/offboard', '/offboard help']) {
      const res = await h.exec(command);
      expect(res.status).toBe(200);
      expect(res.body.response_type).toBe('ephemeral');
      expect(res.body.text).toMatch(/\/offboard @username/);
    }
  });
  it('lists runs and shows a status, refusing bad ids politely', async () => {
    expect((await h.exec('/offboard list')).body.text).toMatch(/No offboarding runs|\| Run \|/);
    expect((await h.exec('/offboard status nope')).body.text).toMatch(/Usage/);
    expect((await h.exec(`/offboard status ${'d'.repeat(26)}`)).body.text).toMatch(/does not exist/);
  });
});

describe('/offboard @user without the plugin', () => {
  let dialog: {url: string; dialog: Record<string, any>};

  it('opens a confirmation dialog with the signed trigger_id', async () => {
    const res = await h.exec('/offboard @dana');
    expect(res.body.text).toMatch(/dialog/);
    const opened = h.sim.state.dialogsFor(h.seed.adminUserId);
    expect(opened).toHaveLength(1);
    dialog = opened[0] as typeof dialog;
    expect(dialog.url).toBe(`${h.config.service.public_url}/mattermost/dialog`);
    expect(dialog.dialog.introduction_text).toMatch(/Dana Whitfield/);
    expect(dialog.dialog.elements.map((e: any) => e.name)).toEqual(['confirm_username', 'mode']);
  });

  it('refuses to open one for yourself or an unknown person', async () => {
    expect((await h.exec('/offboard @sysadmin')).body.text).toMatch(/yourself/);
    expect((await h.exec('/offboard @ghost-user')).body.text).toMatch(/No Mattermost user/);
    expect(h.sim.state.dialogsFor(h.seed.adminUserId)).toHaveLength(1);
  });

  it('asks again when the typed username does not match', async () => {
    const res = await submitDialog({url: dialog.url, state: dialog.dialog.state,
      submission: {confirm_username: 'alice', mode: 'now'}});
    expect(res.body.errors?.confirm_username).toMatch(/dana/);
  });

  it('refuses a forged, an expired and another user\'s state, changing nothing', async () => {
    const forged = await submitDialog({url: dialog.url, state: `${dialog.dialog.state.slice(0, -4)}AAAA`,
      submission: {confirm_username: 'dana', mode: 'now'}});
    expect(forged.body.error).toMatch(/signature|token|invalid/i);
    const expiredState = mintActionToken(h.config.service.action_secret, {userId: h.seed.adminUserId, runId: null,
      purpose: `dialog.confirm:${h.seed.subject.userId}`, exp: Date.now() - 1000});
    const expired = await submitDialog({url: dialog.url, state: expiredState,
      submission: {confirm_username: 'dana', mode: 'now'}});
    expect(expired.body.error).toMatch(/expired/i);
    const bobToken = h.sim.createSession(h.seed.users.bob);
    h.sim.addChannelMember(h.seed.channels.acmeTownSquare, h.seed.users.bob);
    const replay = await submitDialog({url: dialog.url, state: dialog.dialog.state,
      submission: {confirm_username: 'dana', mode: 'now'}}, bobToken);
    expect(replay.body.error).toMatch(/user|another/i);
    expect(await h.service.deps.store.listRuns()).toHaveLength(0);
  });

  it('starts the default plan after the right confirmation', async () => {
    const res = await submitDialog({url: dialog.url, state: dialog.dialog.state,
      submission: {confirm_username: 'dana', mode: 'approval'}});
    expect(res.body.error).toBeUndefined();
    expect(res.body.errors).toBeUndefined();
    const run = await waitFor(async () => (await h.service.deps.store.listRuns())[0]);
    expect(run.subject.username).toBe('dana');
    expect(run.status).toBe('awaiting_approval');
    expect(run.initiatorId).toBe(h.seed.adminUserId);
    expect((await h.service.deps.store.listSteps(run.id)).length).toBeGreaterThan(10);
  });
});
