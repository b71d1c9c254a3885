// Cancel and Retry on the run card, clicked through the simulator like any Mattermost client without the plugin:
// the HMAC'd context reaches /mattermost/action, the run changes, and the card and its thread follow.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {type Harness, startHarness, waitFor} from '../support/service_harness.js';
import {
  allSteps, cardButtons, cardProps, clickButton, planFor, startPlanned, startRunFor, TERMINAL, thread, waitForStatus,
} from './e2e_support.js';

let h: Harness;
beforeAll(async () => { h = await startHarness(); });
afterAll(async () => { await h.close(); });

const finalSummary = (rootId: string) => thread(h, rootId).find((p) => p.file_ids.length === 2);

describe('Cancel run', () => {
  it('cancels a run waiting for approval; the card loses its buttons and the thread gets the report', async () => {
    const run = await startRunFor(h, 'bob', 'approval');
    const cancel = cardButtons(h, run.post_id).find((b) => b.name === 'Cancel run')!;
    expect(cancel.integration.context).toMatchObject({action: 'cancel', run_id: run.id});
    const res = await clickButton(h, run.post_id, cancel.id, h.seed.adminToken);
    expect(res.status).toBe(200);
    const cancelled = await waitForStatus(h, run.id, (status) => status !== 'awaiting_approval');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelled_by).toBe(h.seed.adminUserId);
    await waitFor(async () => cardProps(h, run.post_id).offboarding_run.status === 'cancelled', 5_000);
    expect(cardProps(h, run.post_id).attachments).toBeUndefined();
    expect(h.sim.state.post(run.post_id)!.message).toContain(':no_entry_sign: Cancelled');
    const summary = await waitFor(async () => finalSummary(run.post_id));
    expect(summary.message).toContain('cancelled');
    expect((await allSteps(h, run.id)).every((s) => s.state === 'skipped')).toBe(true);
    // Nothing of Bob's was touched.
    expect(h.sim.state.user(h.seed.users.bob)!.delete_at).toBe(0);
  });
});

describe('Retry step', () => {
  it('offers a Retry per failed step, reports each failure once, and re-runs the step that was clicked', async () => {
    const plan = await planFor(h, 'carol');
    // Without its admin role the bot is refused (403) on Carol's account: those steps fail for good.
    const bot = h.sim.state.user(h.seed.botUserId)!;
    bot.roles = 'system_user';
    const run = await startPlanned(h, plan, 'now');
    const finished = await waitForStatus(h, run.id, (status) => TERMINAL.includes(status));
    expect(finished.status).toBe('completed_with_errors');
    const failed = (await allSteps(h, run.id)).filter((s) => s.state === 'failed');
    expect(failed.length).toBeGreaterThan(1);
    expect(failed[0].error).toMatch(/403/);

    await waitFor(async () => cardProps(h, run.post_id).offboarding_run.status === 'completed_with_errors', 5_000);
    const retries = cardButtons(h, run.post_id);
    expect(retries.every((b) => /^Retry step \d+$/.test(b.name) && b.integration.context.action === 'retry_step'))
      .toBe(true);
    expect(retries.map((b) => b.integration.context.step_id).sort())
      .toEqual(failed.slice(0, 10).map((s) => s.id).sort());
    await waitFor(async () => finalSummary(run.post_id));
    const failureReplies = thread(h, run.post_id).filter((p) => /:x: \*\*Step \d+ failed\*\*/.test(p.message));
    expect(failureReplies).toHaveLength(failed.length);

    bot.roles = 'system_user system_admin';
    const target = retries[0]!;
    const res = await clickButton(h, run.post_id, target.id, h.seed.adminToken);
    expect(res.status).toBe(200);
    await waitFor(async () => {
      const step = (await allSteps(h, run.id)).find((s) => s.id === target.integration.context.step_id);
      return step && ['done', 'already_done'].includes(step.state);
    });
    await waitFor(async () => {
      const ids = cardButtons(h, run.post_id).map((b) => b.integration.context.step_id);
      const shown = cardProps(h, run.post_id).offboarding_run.steps
        .find((s) => s.id === target.integration.context.step_id);
      return !ids.includes(target.integration.context.step_id) && shown?.state !== 'failed';
    }, 10_000);
  });
});
