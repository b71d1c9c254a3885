// Command verification end to end (DESIGN "How the parts talk" §2): each forged, stale, foreign or unauthorised
// request is refused with a clear message and changes nothing, neither in Mattermost nor in the store.
import {generateKeyPairSync, sign} from 'node:crypto';
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {type Harness, startHarness} from '../support/service_harness.js';

let h: Harness;
let commandToken: string;

beforeAll(async () => {
  h = await startHarness();
  commandToken = h.service.commands.find((c) => c.teamName === 'acme')!.token;
});
afterAll(async () => { await h.close(); });

/** Mutations in Mattermost other than running commands, plus everything the service stored. */
async function footprint() {
  const mutations = h.sim.mutations().filter((r) => r.path !== '/api/v4/commands/execute').length;
  const runs = (await h.service.deps.store.listRuns()).length;
  return {mutations, runs};
}

/** A command POST exactly as Mattermost sends it, so single fields can be forged. */
async function postCommand(fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.service.url}/mattermost/command`, {
    method: 'POST',
    headers: {'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json', ...headers},
    body: new URLSearchParams(fields).toString(),
  });
  const text = await res.text();
  return {status: res.status, body: text ? JSON.parse(text) : null};
}

function formFor(userId: string, triggerId: string, text = 'rpc capabilities eyJ2IjoxfQ'): Record<string, string> {
  return {
    token: commandToken, team_id: h.seed.teams.acme, team_domain: 'acme', channel_id: h.seed.channels.acmeTownSquare,
    channel_name: 'town-square', user_id: userId, user_name: 'sysadmin', command: '/offboard', text,
    trigger_id: triggerId, response_url: `${h.sim.url}/hooks/commands/x`,
  };
}

/** Mattermost's trigger id format, signed with a key the server never published. */
function forgedTriggerId(userId: string): string {
  const {privateKey} = generateKeyPairSync('ec', {namedCurve: 'P-256'});
  const payload = `clientid123:${userId}:${Date.now()}:`;
  const signature = sign('sha256', Buffer.from(payload), privateKey).toString('base64');
  return Buffer.from(payload + signature).toString('base64');
}

describe('the command token', () => {
  it('accepts a genuine request (control)', async () => {
    const admin = h.seed.adminUserId;
    const res = await postCommand(formFor(admin, h.sim.signTriggerId(admin)), {Authorization: `Token ${commandToken}`});
    expect(res.status).toBe(200);
    expect(res.body.props.ok).toBe(true);
  });

  it('refuses a wrong token with 401', async () => {
    const before = await footprint();
    const admin = h.seed.adminUserId;
    const res = await postCommand({...formFor(admin, h.sim.signTriggerId(admin)), token: 'x'.repeat(26)},
      {Authorization: `Token ${'x'.repeat(26)}`});
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/token/i);
    expect(await footprint()).toEqual(before);
  });

  it('refuses a missing token with 401', async () => {
    const admin = h.seed.adminUserId;
    const {token: _omit, ...form} = formFor(admin, h.sim.signTriggerId(admin));
    const res = await postCommand(form);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/token/i);
  });
});

describe('the trigger_id', () => {
  const refusedWith = async (triggerId: string, userId = h.seed.adminUserId) => {
    const before = await footprint();
    const text = `rpc inventory.start ${Buffer.from(JSON.stringify({v: 1, user_id: h.seed.subject.userId})).toString('base64url')}`;
    const res = await postCommand(formFor(userId, triggerId, text), {Authorization: `Token ${commandToken}`});
    expect(res.status).toBe(200);
    expect(res.body.response_type).toBe('ephemeral');
    expect(res.body.props.ok).toBe(false);
    expect(await footprint()).toEqual(before);
    return res.body.props.error as {code: string; reason: string; message: string};
  };

  it('refuses a forged signature', async () => {
    const e = await refusedWith(forgedTriggerId(h.seed.adminUserId));
    expect(e.reason).toBe('bad_trigger');
    expect(e.message).toMatch(/signature|trigger/i);
  });

  it('refuses an expired trigger_id', async () => {
    const e = await refusedWith(h.sim.signTriggerId(h.seed.adminUserId, Date.now() - 10 * 60_000));
    expect(e.reason).toBe('stale_trigger');
  });

  it('refuses a trigger_id minted for another user', async () => {
    const e = await refusedWith(h.sim.signTriggerId(h.seed.users.bob));
    expect(e.reason).toBe('trigger_user_mismatch');
  });

  it('refuses garbage', async () => {
    const e = await refusedWith('not-a-trigger-id');
    expect(['bad_trigger', 'malformed_request']).toContain(e.reason);
  });
});

describe('who may offboard', () => {
  it('refuses a non-admin caller with the role read fresh from Mattermost', async () => {
    const before = await footprint();
    const bobToken = h.sim.createSession(h.seed.users.bob);
    const res = await h.exec(`/offboard rpc inventory.start ${Buffer.from(JSON.stringify({v: 1,
      user_id: h.seed.subject.userId})).toString('base64url')}`, {token: bobToken});
    expect(res.status).toBe(200);
    expect(res.body.props.ok).toBe(false);
    expect(res.body.props.error.reason).toBe('not_allowed');
    expect(res.body.props.error.message).toMatch(/admin|allowed/i);
    // RPC refusals create no post (the webapp shows props.error); typed commands get a readable reply.
    expect(res.body.text).toBe('');
    const typed = await h.exec('/offboard list', {token: bobToken});
    expect(typed.body.text).toMatch(/no_entry.*(admin|allowed)/i);
    expect(await footprint()).toEqual(before);
  });

  it("counts a denied access probe (the plugin's capabilities RPC) apart from refusals; other RPCs stay refusals",
    async () => {
      const value = async (counter: 'refusals' | 'accessProbes', label: Record<string, string>) =>
        (await h.service.metrics[counter].get()).values
          .find((v) => Object.entries(label).every(([k, x]) => v.labels[k as keyof typeof v.labels] === x))?.value ?? 0;
      const before = {refused: await value('refusals', {reason: 'not_allowed'}),
        denied: await value('accessProbes', {outcome: 'denied'}), allowed: await value('accessProbes', {outcome: 'allowed'})};
      const bobToken = h.sim.createSession(h.seed.users.bob);
      const probe = await h.exec('/offboard rpc capabilities eyJ2IjoxfQ', {token: bobToken});
      expect(probe.body.props.error.reason).toBe('not_allowed');
      expect(probe.body.text).toBe('');
      expect(await value('accessProbes', {outcome: 'denied'})).toBe(before.denied + 1);
      expect(await value('refusals', {reason: 'not_allowed'})).toBe(before.refused);

      await h.exec('/offboard rpc run.list eyJ2IjoxfQ', {token: bobToken});
      expect(await value('refusals', {reason: 'not_allowed'})).toBe(before.refused + 1);
      expect(await value('accessProbes', {outcome: 'denied'})).toBe(before.denied + 1);

      expect((await h.rpc('capabilities', {})).ok).toBe(true);
      expect(await value('accessProbes', {outcome: 'allowed'})).toBe(before.allowed + 1);
    });

  it('refuses offboarding yourself', async () => {
    const before = await footprint();
    const props = await h.rpc('inventory.start', {user_id: h.seed.adminUserId});
    expect(props.error).toEqual({code: 'refused', message: expect.stringMatching(/yourself/)});
    expect(await footprint()).toEqual(before);
  });

  it('refuses offboarding the offboarding bot and any other bot', async () => {
    const before = await footprint();
    const own = await h.rpc('inventory.start', {user_id: h.seed.botUserId});
    expect(own.error.code).toBe('refused');
    expect(own.error.message).toMatch(/bot/);
    const other = await h.rpc('subject.resolve', {query: h.seed.subject.botUserId});
    expect(other.error.code).toBe('refused');
    expect(await footprint()).toEqual(before);
  });

  it('answers an unknown person with not_found', async () => {
    const props = await h.rpc('subject.resolve', {query: 'nobody-by-that-name'});
    expect(props.error.code).toBe('not_found');
    expect(props.error.message).toMatch(/nobody-by-that-name/);
  });
});

describe('RPC payloads', () => {
  const refused = async (text: string, code: string) => {
    const before = await footprint();
    const props = await h.rpcRaw(text);
    expect(props.ok).toBe(false);
    expect(props.error.code).toBe(code);
    expect(props.error.message.length).toBeGreaterThan(10);
    expect(await footprint()).toEqual(before);
    return props.error.message as string;
  };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  it('refuses an unknown method', async () => {
    expect(await refused(`users.delete ${b64({v: 1})}`, 'unknown_method')).toMatch(/users\.delete/);
  });
  it('refuses a payload that is not base64url JSON', async () => {
    await refused('inventory.start !!!', 'bad_request');
    await refused(`inventory.start ${Buffer.from('{nope').toString('base64url')}`, 'bad_request');
  });
  it('refuses a payload without v: 1 or with unknown keys, naming the field', async () => {
    expect(await refused(`inventory.start ${b64({user_id: h.seed.subject.userId})}`, 'bad_request')).toMatch(/v/);
    expect(await refused(`inventory.start ${b64({v: 1, user_id: h.seed.subject.userId, admin: true})}`, 'bad_request'))
      .toMatch(/admin/);
    expect(await refused(`inventory.start ${b64({v: 1, user_id: 'short'})}`, 'bad_request')).toMatch(/user_id/);
  });
  it('refuses an oversized payload', async () => {
    await refused(`plan.create ${b64({v: 1, inventory_id: 'x'.repeat(26), disabled_steps: ['a'.repeat(200)].concat(
      Array.from({length: 60}, (_, i) => `step-${i}-${'y'.repeat(150)}`))})}`, 'payload_too_large');
  });
  it('refuses extra arguments after the payload', async () => {
    await refused(`capabilities ${b64({v: 1})} extra`, 'bad_request');
  });
});
