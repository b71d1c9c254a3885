// Every RPC method end to end through Mattermost's commands/execute: one success and at least one refusal each.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {type Harness, startHarness, waitFor} from '../support/service_harness.js';

let h: Harness;
let secondAdminToken: string;
let secondAdminId: string;

beforeAll(async () => {
  // The executor is off: runs stay where the test puts them, so states are deterministic.
  h = await startHarness({execute: false});
  const second = h.sim.createUser({username: 'second-admin', email: 'second-admin@example.com', first_name: 'Sam',
    last_name: 'Second', roles: 'system_user system_admin'});
  secondAdminId = second.id;
  secondAdminToken = h.sim.createSession(second.id);
  h.sim.addTeamMember(h.seed.teams.acme, second.id);
  h.sim.addChannelMember(h.seed.channels.acmeTownSquare, second.id);
});
afterAll(async () => { await h.close(); });

const ok = (props: any) => {
  if (!props.ok) throw new Error(`expected ok, got ${JSON.stringify(props.error)}`);
  return props.result;
};

async function finishedInventory(userId = h.seed.subject.userId): Promise<string> {
  const {inventory_id} = ok(await h.rpc('inventory.start', {user_id: userId}));
  await waitFor(async () => ok(await h.rpc('inventory.get', {inventory_id})).inventory.done);
  return inventory_id;
}

describe('capabilities', () => {
  it('describes providers, options and the caller', async () => {
    const r = ok(await h.rpc('capabilities', {}));
    expect(r.caller).toEqual({user_id: h.seed.adminUserId, username: 'sysadmin', is_system_admin: true});
    const mm = r.providers.find((p: any) => p.id === 'mattermost');
    expect(mm.plan_options.map((o: any) => o.key)).toEqual(expect.arrayContaining(['account']));
    expect(r.run_actions).toEqual(['retry_step', 'skip_step', 'complete_manual', 'approve', 'cancel']);
  });
  it('refuses a payload with extra fields', async () => {
    expect((await h.rpc('capabilities', {extra: 1})).error.code).toBe('bad_request');
  });
});

describe('subject.resolve', () => {
  it('finds a person by username, @username, email and id', async () => {
    for (const query of ['dana', '@dana', 'dana@example.com', h.seed.subject.userId]) {
      const r = ok(await h.rpc('subject.resolve', {query}));
      expect(r.subject.user_id).toBe(h.seed.subject.userId);
      expect(r.subject.display_name).toBe('Dana Whitfield');
    }
  });
  it('warns about system admins', async () => {
    const r = ok(await h.rpc('subject.resolve', {query: 'second-admin'}));
    expect(r.warnings).toEqual(['system_admin']);
  });
  it('refuses input that is none of the three', async () => {
    expect((await h.rpc('subject.resolve', {query: 'not a name!'})).error.code).toBe('bad_request');
  });
});

describe('inventory.start / inventory.get', () => {
  it('returns at once and then reports findings per provider, paged', async () => {
    const id = await finishedInventory();
    const view = ok(await h.rpc('inventory.get', {inventory_id: id})).inventory;
    const mm = view.providers.find((p: any) => p.id === 'mattermost');
    expect(mm.status).toBe('done');
    expect(mm.counts.session).toBeGreaterThan(0);
    expect(mm.counts.access_token).toBe(2);
    const first = ok(await h.rpc('inventory.get', {inventory_id: id, provider: 'mattermost', per_page: 5}));
    expect(first.findings).toHaveLength(5);
    expect(first.total).toBe(mm.total_findings);
    expect(first.next_page).toBe(1);
    const all = [];
    for (let page: number | null = 0; page !== null;) {
      const r = ok(await h.rpc('inventory.get', {inventory_id: id, provider: 'mattermost', page, per_page: 5}));
      all.push(...r.findings);
      page = r.next_page;
    }
    expect(new Set(all.map((f: any) => f.id)).size).toBe(mm.total_findings);
  });
  it('refuses unknown inventories and providers', async () => {
    expect((await h.rpc('inventory.get', {inventory_id: 'a'.repeat(26)})).error.code).toBe('not_found');
    const id = await finishedInventory();
    expect((await h.rpc('inventory.get', {inventory_id: id, provider: 'nope'})).error.code).toBe('not_found');
  });
});

describe('plan.create / plan.get', () => {
  it('builds the checklist with options and disabled steps', async () => {
    const id = await finishedInventory();
    const full = ok(await h.rpc('plan.create', {inventory_id: id}));
    expect(full.steps.some((s: any) => s.action === 'deactivate_account')).toBe(true);
    const keep = ok(await h.rpc('plan.create', {inventory_id: id, options: {mattermost: {account: 'keep'}},
      disabled_steps: [full.steps[0].id]}));
    expect(keep.steps.some((s: any) => s.action === 'deactivate_account')).toBe(false);
    expect(keep.steps.some((s: any) => s.id === full.steps[0].id)).toBe(false);
    const page = ok(await h.rpc('plan.get', {plan_id: full.plan_id, page: 1, per_page: 3}));
    expect(page.steps.map((s: any) => s.id)).toEqual(full.steps.slice(3, 6).map((s: any) => s.id));
  });
  it('refuses unknown providers, option keys and values', async () => {
    const id = await finishedInventory();
    expect((await h.rpc('plan.create', {inventory_id: id, options: {github: {x: true}}})).error.message)
      .toMatch(/github/);
    expect((await h.rpc('plan.create', {inventory_id: id, options: {mattermost: {nope: true}}})).error.code)
      .toBe('bad_request');
    expect((await h.rpc('plan.create', {inventory_id: id, options: {mattermost: {account: 'explode'}}})).error.code)
      .toBe('bad_request');
    expect((await h.rpc('plan.get', {plan_id: 'b'.repeat(26)})).error.code).toBe('not_found');
  });
});

describe('run.start / run.get / run.list / run.act', () => {
  let planId: string;
  beforeAll(async () => {
    planId = ok(await h.rpc('plan.create', {inventory_id: await finishedInventory()})).plan_id;
  });

  it('refuses a wrong confirmation, a past schedule and a schedule without a time', async () => {
    expect((await h.rpc('run.start', {plan_id: planId, confirm_username: 'alice'})).error.message).toMatch(/dana/);
    expect((await h.rpc('run.start', {plan_id: planId, confirm_username: 'dana', mode: 'schedule',
      schedule_at: '2020-01-01T00:00:00Z'})).error.message).toMatch(/past/);
    expect((await h.rpc('run.start', {plan_id: planId, confirm_username: 'dana', mode: 'schedule'})).error.code)
      .toBe('bad_request');
    expect((await h.service.deps.store.listRuns()).length).toBe(0);
  });

  it('schedules a run at a time with an offset, lists it, and cancels it', async () => {
    const at = new Date(Date.now() + 3600_000).toISOString().replace('Z', '+00:00');
    const {run} = ok(await h.rpc('run.start', {plan_id: planId, confirm_username: '@Dana', mode: 'schedule',
      schedule_at: at, timezone: 'Europe/Berlin'}));
    expect(run.status).toBe('scheduled');
    expect(run.scheduled_at).toBe(Date.parse(at));
    expect((await h.rpc('run.start', {plan_id: planId, confirm_username: 'dana'})).error.code).toBe('conflict');
    const listed = ok(await h.rpc('run.list', {}));
    expect(listed.runs.map((r: any) => r.id)).toContain(run.id);
    const cancelled = ok(await h.rpc('run.act', {run_id: run.id, action: 'cancel'}));
    expect(cancelled.run.status).toBe('cancelled');
    expect((await h.rpc('run.act', {run_id: run.id, action: 'cancel'})).error.code).toBe('refused');
  });

  it('requires a second admin to approve', async () => {
    const {run} = ok(await h.rpc('run.start', {plan_id: planId, confirm_username: 'dana', mode: 'approval'}));
    expect(run.status).toBe('awaiting_approval');
    const self = await h.rpc('run.act', {run_id: run.id, action: 'approve'});
    expect(self.error.code).toBe('refused');
    expect(self.error.message).toMatch(/second|another|initiat/i);
    const approved = ok(await h.rpc('run.act', {run_id: run.id, action: 'approve'}, secondAdminToken));
    expect(approved.run.status).toBe('running');
    expect(approved.run.approved_by).toBe(secondAdminId);
    const got = ok(await h.rpc('run.get', {run_id: run.id, per_page: 2}));
    expect(got.steps).toHaveLength(2);
    expect(got.total).toBe(got.run.total_steps);
    expect(got.next_page).toBe(1);
  });

  it('skips with a note and refuses what the step state does not allow', async () => {
    const run = (await h.service.deps.store.listRuns({statuses: ['running']}))[0]!;
    const steps = ok(await h.rpc('run.get', {run_id: run.id, per_page: 200})).steps;
    const pending = steps.find((s: any) => s.state === 'pending');
    expect((await h.rpc('run.act', {run_id: run.id, action: 'skip_step', step_id: pending.id})).error.code)
      .toBe('refused');
    const skipped = ok(await h.rpc('run.act', {run_id: run.id, action: 'skip_step', step_id: pending.id,
      note: 'Handled by IT in person'}));
    expect(skipped.run.counts.skipped).toBe(1);
    expect((await h.rpc('run.act', {run_id: run.id, action: 'retry_step', step_id: steps[1].id})).error.code)
      .toBe('refused');
    expect((await h.rpc('run.act', {run_id: run.id, action: 'complete_manual', step_id: steps[1].id,
      note: 'done'})).error.code).toBe('refused');
    expect((await h.rpc('run.act', {run_id: run.id, action: 'retry_step'})).error.code).toBe('bad_request');
    expect((await h.rpc('run.get', {run_id: 'c'.repeat(26)})).error.code).toBe('not_found');
    expect((await h.rpc('run.act', {run_id: 'c'.repeat(26), action: 'cancel'})).error.code).toBe('not_found');
  });
});
