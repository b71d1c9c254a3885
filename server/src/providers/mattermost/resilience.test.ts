// The Mattermost provider when things are large, throttled or half-broken: pagination past one page, Mattermost's
// 429 rate limit, a target vanishing mid-step, a refused permission, bad credentials, and a person who is gone.
import {describe, expect, it} from '@jest/globals';
import type {Limiter, StepSpec} from '../../engine/types.js';
import {createLimiter} from '../../limits.js';
import {mattermostProvider} from './index.js';
import {
  executeAll, inventory, kinds, planFor, startFixture, TEST_LIMITS, verifyAll,
} from './test_support.js';
import {perTestFixtures} from '../../../../test/support/per_test.js';

const fixture = perTestFixtures(() => startFixture());

/** Paces like the provider's limiter, and runs `effect` right before the request number `at` (1-based) goes out. */
function limiterWithEffect(at: number, effect: () => void): Limiter {
  const inner = createLimiter(TEST_LIMITS);
  let n = 0;
  return {
    schedule: (fn, signal) => inner.schedule(() => {
      n += 1;
      if (n === at) effect();
      return fn();
    }, signal),
  };
}

const unpaced: Limiter = {schedule: (fn) => fn()};

describe('mattermost provider: pagination', () => {
  it('finds every token, channel and webhook past the first page of 200, and acts on the second page', async () => {
    const {sim, ws, subject, ctx} = await fixture();
    const dana = subject.userId;
    for (let i = 0; i < 210; i++) sim.createAccessToken(dana, `bulk token ${i}`);
    for (let i = 0; i < 250; i++) {
      const channel = sim.createChannel({team_id: ws.teams.engineering, name: `bulk-${i}`, display_name: `Bulk ${i}`,
        type: i % 2 === 0 ? 'O' : 'P', creator_id: ws.users.carol});
      sim.addChannelMember(channel.id, dana);
    }
    for (let i = 0; i < 205; i++) {
      sim.createIncomingWebhook({channel_id: ws.channels.engineeringOffTopic, team_id: ws.teams.engineering,
        user_id: i % 5 === 0 ? ws.users.carol : dana, display_name: `Bulk hook ${i}`});
    }
    const c = ctx();
    const inv = await inventory(c, subject);
    const count = (kind: string): number => inv.findings.filter((f) => f.kind === kind).length;
    expect(count('access_token')).toBe(212);
    expect(count('channel_membership')).toBe(260);
    expect(count('incoming_webhook')).toBe(1 + 164);
    const pages = (path: string): string[] => sim.requests
      .filter((r) => r.method === 'GET' && r.path.endsWith(path))
      .map((r) => `${r.query['page']}/${r.query['per_page']}`);
    expect(pages(`/users/${dana}/tokens`)).toEqual(['0/200', '1/200']);
    expect(pages('/hooks/incoming')).toEqual(['0/200', '1/200']);

    const steps = planFor(inv);
    expect(steps.filter((s) => s.action === 'revoke_token')).toHaveLength(212);
    expect(steps.filter((s) => s.action === 'delete_incoming_webhook')).toHaveLength(165);
    // The newest token and hook sit on the second page of every read the steps make.
    const last = (action: string): StepSpec => steps.filter((s) => s.action === action)
      .find((s) => s.title.includes(action === 'revoke_token' ? 'bulk token 209' : 'Bulk hook 204')) as StepSpec;
    const sample = [last('revoke_token'), last('delete_incoming_webhook')];
    const before = await verifyAll(c, sample);
    expect([...before.values()].map((v) => v.ok)).toEqual([false, false]);
    expect(new Set(Object.values(kinds(await executeAll(c, sample))))).toEqual(new Set(['done']));
    expect(new Set(Object.values(kinds(await executeAll(c, sample))))).toEqual(new Set(['already_done']));
    expect(sim.state.tokensOf(dana)).toHaveLength(211);
    expect(sim.state.tokensOf(dana).some((t) => t.description === 'bulk token 209')).toBe(false);
    expect([...sim.state.incomingWebhooks.values()].find((h) => h.display_name === 'Bulk hook 204')?.delete_at)
      .toBeGreaterThan(0);
  });
});

describe('mattermost provider: rate limit', () => {
  it('completes discovery and execution through 429s from the server', async () => {
    const {sim, subject, ctx} = await fixture();
    const c = ctx({limiter: unpaced});
    const expected = await inventory(c, subject);
    sim.clearRequests();
    sim.setRateLimit({perSec: 5, burst: 5});

    const inv = await inventory(c, subject);
    expect(inv.findings).toEqual(expected.findings);
    const steps = planFor(inv).filter((s) => s.phase === 'contain');
    const outcomes = await executeAll(c, steps);
    expect(new Set(Object.values(kinds(outcomes)))).toEqual(new Set(['done']));
    expect(sim.state.user(subject.userId)?.delete_at).toBeGreaterThan(0);
    expect(sim.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
  });
});

describe('mattermost provider: partial failure', () => {
  it('a webhook deleted between the read and the delete is already_done once a read confirms it', async () => {
    const {sim, ws, subject, ctx} = await fixture();
    const steps = planFor(await inventory(ctx(), subject));
    const step = steps.find((s) => s.action === 'delete_incoming_webhook') as StepSpec;
    const hook = ws.subject.incomingHookId;
    // Request 1 is the read (the team's hooks), request 2 the DELETE: someone else deletes the hook in between.
    const deleteHook = (): void => void (sim.state.incomingWebhooks.get(hook)!.delete_at = Date.now());
    const c = ctx({limiter: limiterWithEffect(2, deleteHook)});
    expect(await mattermostProvider.execute(c, step)).toEqual({kind: 'already_done',
      evidence: {hook_fingerprint: step.params['hook_fingerprint'], exists: false, gone_during_change: true}});
    expect(sim.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([404]);
  });

  it('a refused permission fails its own step, naming the permission; every other step completes', async () => {
    const {sim, ws, subject, ctx} = await fixture();
    const steps = planFor(await inventory(ctx(), subject));
    const oauth = steps.find((s) => s.action === 'regenerate_oauth_secret') as StepSpec;
    // A hook an admin deleted meanwhile: its step is simply already done.
    sim.state.incomingWebhooks.get(ws.subject.incomingHookId)!.delete_at = Date.now();

    const carol = ctx({token: sim.createSession(ws.users.carol)});
    await expect(mattermostProvider.execute(carol, oauth)).rejects.toMatchObject({
      code: 'permanent', details: expect.objectContaining({permission: 'manage_system_wide_oauth', status: 403}),
      message: `Mattermost refused "${oauth.title}": `
        + 'the bot account lacks the manage_system_wide_oauth permission (403).',
    });
    const rest = steps.filter((s) => s !== oauth);
    const outcomes = kinds(await executeAll(ctx(), rest));
    expect(Object.entries(outcomes).filter(([, k]) => k !== 'done'))
      .toEqual([[expect.stringMatching(/^mattermost:delete_incoming_webhook:/), 'already_done']]);
    const verified = await verifyAll(ctx(), steps);
    expect([...verified].filter(([, v]) => !v.ok).map(([id]) => id)).toEqual([oauth.id]);
  });
});

describe('mattermost provider: check, resolve and credentials', () => {
  it('check() passes for the admin bot and explains every way it can fail', async () => {
    const {sim, ws, ctx} = await fixture();
    expect(await mattermostProvider.check(ctx())).toEqual({ok: true, detail: 'ok'});
    expect(await mattermostProvider.check(ctx({token: sim.createSession(ws.users.carol)})))
      .toEqual({ok: false, detail: 'bot @carol is not a system admin (it must manage users, teams and integrations)'});
    expect(await mattermostProvider.check(ctx({token: 'not-a-token'})))
      .toEqual({ok: false, detail: 'the bot token is rejected (401)'});
    expect(await mattermostProvider.check(ctx({section: {bot_owner: 'ghost'}})))
      .toEqual({ok: false, detail: 'bot_owner @ghost is not an active Mattermost user'});
  });

  it('a server with slash commands switched off (501) is inventoried without them', async () => {
    const {sim, subject, ctx} = await fixture();
    sim.config.enableCommands = false;
    const inv = await inventory(ctx(), subject);
    expect(inv.findings.filter((f) => f.kind === 'slash_command')).toEqual([]);
    expect(inv.findings.filter((f) => f.kind === 'incoming_webhook')).toHaveLength(1);
    expect(sim.requests.filter((r) => r.path.endsWith('/commands')).map((r) => r.status)).toEqual([501, 501, 501]);
  });

  it('a person who no longer exists resolves as not_found, with nothing to discover or plan', async () => {
    const {subject, ctx} = await fixture();
    const gone = {...subject, userId: 'x'.repeat(26), username: 'gone'};
    const identities = await mattermostProvider.resolve(ctx(), gone);
    expect(identities).toEqual([expect.objectContaining({confidence: 'not_found', id: gone.userId, label: '@gone'})]);
    const findings = await mattermostProvider.discover(ctx(), identities[0]!);
    expect(findings).toEqual([]);
    expect(planFor({identities, findings})).toEqual([]);
  });

  it('a rejected bot token is a configuration error; an unknown action is refused', async () => {
    const {sim, subject, ctx} = await fixture();
    const step = planFor(await inventory(ctx(), subject))[0] as StepSpec;
    await expect(mattermostProvider.execute(ctx({token: 'not-a-token'}), step)).rejects.toMatchObject({code: 'config'});
    await expect(mattermostProvider.execute(ctx(), {...step, action: 'delete_everything'}))
      .rejects.toThrow('The Mattermost provider has no action "delete_everything"');
    expect(sim.mutations()).toEqual([]);
  });
});
