// run.act success paths through the real RPC path: retry a failed step, complete a manual step with a note,
// with a scripted provider next to the real Mattermost provider so failures and manual work are deterministic.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {FakeProvider, stepSpec} from '../../server/src/engine/testing/fake_provider.js';
import {mattermostProvider} from '../../server/src/providers/mattermost/index.js';
import {type Harness, startHarness, waitFor} from '../support/service_harness.js';

const fake = new FakeProvider({
  id: 'vault', title: 'Vault',
  plan: () => [
    stepSpec('vault', 'revoke_token', 'ops-root', {title: 'Revoke Vault token of ops-root', phase: 'contain'}),
    stepSpec('vault', 'rotate_shared', 'kv/ci', {title: 'Rotate the CI secret at kv/ci', kind: 'manual',
      phase: 'cleanup', instructions: 'Rotate kv/ci and update the CI variables.', assignee: 'carol'}),
  ],
}).script('vault:revoke_token:ops-root', {kind: 'permanent', message: 'permission denied on auth/token/revoke'});

let h: Harness;
beforeAll(async () => { h = await startHarness({providers: [mattermostProvider, fake]}); });
afterAll(async () => { await h.close(); });

const ok = (props: any) => {
  if (!props.ok) throw new Error(`expected ok, got ${JSON.stringify(props.error)}`);
  return props.result;
};

describe('plan.create assignees', () => {
  it('assigns manual steps to active people and refuses anything else, naming the problem', async () => {
    const {inventory_id} = ok(await h.rpc('inventory.start', {user_id: h.seed.subject.userId}));
    await waitFor(async () => ok(await h.rpc('inventory.get', {inventory_id})).inventory.done);
    const manual = 'vault:rotate_shared:kv/ci';
    const plan = ok(await h.rpc('plan.create', {inventory_id, assignees: {[manual]: '@Alice'}}));
    expect(plan.steps.find((s: any) => s.id === manual).assignee).toBe('alice');
    const auto = await h.rpc('plan.create', {inventory_id, assignees: {'vault:revoke_token:ops-root': 'alice'}});
    expect(auto.error.message).toMatch(/only manual steps/);
    const nobody = await h.rpc('plan.create', {inventory_id, assignees: {[manual]: 'ghost'}});
    expect(nobody.error).toEqual({code: 'bad_request', message: expect.stringMatching(/no such user/),
      field: `assignees.${manual}`});
    const cleared = ok(await h.rpc('plan.create', {inventory_id, assignees: {[manual]: ' '}}));
    expect(cleared.steps.find((s: any) => s.id === manual).assignee).toBeNull();
    const bot = await h.rpc('plan.create', {inventory_id, assignees: {[manual]: 'offboarding-bot'}});
    expect(bot.error.message).toMatch(/not an active person/);
    const missing = await h.rpc('plan.create', {inventory_id, assignees: {'vault:nope:x': 'alice'}});
    expect(missing.error.message).toMatch(/no such step/);
  });
});

describe('run.act on a run with a failure and a manual step', () => {
  let runId: string;
  const stepsOf = async () => ok(await h.rpc('run.get', {run_id: runId, per_page: 200})).steps as any[];

  beforeAll(async () => {
    const {inventory_id} = ok(await h.rpc('inventory.start', {user_id: h.seed.subject.userId}));
    await waitFor(async () => ok(await h.rpc('inventory.get', {inventory_id})).inventory.done);
    const plan = ok(await h.rpc('plan.create', {inventory_id}));
    runId = ok(await h.rpc('run.start', {plan_id: plan.plan_id, confirm_username: 'dana'})).run.id;
    await waitFor(async () => {
      const steps = await stepsOf();
      return steps.every((s) => !['pending', 'running'].includes(s.state));
    }, 60_000);
  });

  it('reports the failure with its reason while the rest continues', async () => {
    const steps = await stepsOf();
    const failed = steps.find((s) => s.id === 'vault:revoke_token:ops-root');
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/permission denied/);
    expect(steps.filter((s) => s.provider === 'mattermost').every((s) => ['done', 'already_done'].includes(s.state)))
      .toBe(true);
    expect(steps.find((s) => s.kind === 'manual').state).toBe('manual_pending');
  });

  it('retries the failed step, which then succeeds', async () => {
    ok(await h.rpc('run.act', {run_id: runId, action: 'retry_step', step_id: 'vault:revoke_token:ops-root'}));
    const retried = await waitFor(async () =>
      (await stepsOf()).find((s) => s.id === 'vault:revoke_token:ops-root' && s.state === 'done'));
    expect(retried.verified).toBe(true);
    expect(fake.count('execute', 'vault:revoke_token:ops-root')).toBe(2);
  });

  it('completes the manual step only with a note, and the run completes', async () => {
    const manual = 'vault:rotate_shared:kv/ci';
    const refused = await h.rpc('run.act', {run_id: runId, action: 'complete_manual', step_id: manual});
    expect(refused.error.code).toBe('refused');
    expect(refused.error.message).toMatch(/note/);
    const done = ok(await h.rpc('run.act', {run_id: runId, action: 'complete_manual', step_id: manual,
      note: 'Rotated kv/ci, CI variables updated (ticket SEC-42)'}));
    expect(done.run.counts.manual_done).toBe(1);
    const run = await waitFor(async () => {
      const r = ok(await h.rpc('run.get', {run_id: runId, per_page: 1})).run;
      return r.status === 'completed' ? r : undefined;
    });
    expect(run.counts.failed).toBe(0);
    const step = (await stepsOf()).find((s) => s.id === manual);
    expect(step).toMatchObject({state: 'manual_done', note: 'Rotated kv/ci, CI variables updated (ticket SEC-42)',
      acted_by: h.seed.adminUserId});
    const events = await h.service.deps.store.listAudit(runId);
    expect(events.some((e) => e.actor === h.seed.adminUserId && e.target === manual)).toBe(true);
  });
});
