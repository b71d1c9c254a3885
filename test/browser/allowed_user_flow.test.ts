// Someone who is not a system admin but is listed in access.allowed_users gets every entry point and does the whole
// flow: corrects the person's AWS identity and looks it up again, assigns the manual item that produces (an unknown
// username is refused next to the field), and completes it from the run card. Someone not listed sees nothing and the
// plugin's silent access probe leaves no trace in the channel.
import {describe, expect, it} from '@jest/globals';
import {awsProvider} from '../../server/src/providers/aws/index.js';
import {mattermostProvider} from '../../server/src/providers/mattermost/index.js';
import {waitFor} from '../support/service_harness.js';
import {DIALOG, screenshot, useBrowserEnv} from './browser_support.js';

const env = useBrowserEnv({aws: true, providers: [mattermostProvider, awsProvider],
    overrides: {access: {allowed_users: ['alice']}}});

const MISSING_USER_STEP = /^Find IAM user dana-old in /;

/** The plugin's access probes the service answered "no" (not counted as refusals: every session asks). */
async function deniedProbes(): Promise<number> {
  const {values} = await env.h.service.metrics.accessProbes.get();
  return values.find((v) => v.labels.outcome === 'denied')?.value ?? 0;
}

describe('an allowed user who is not an admin', () => {
  it('edits an identity, assigns the manual item it produces, and completes the run from the card', async () => {
    const {h} = env;
    const page = await env.open({username: 'alice'});
    await page.getByRole('button', {name: 'Main menu'}).click();
    await page.getByRole('menuitem', {name: 'Offboard a user…'}).click();
    const dialog = page.locator(DIALOG);
    await dialog.getByLabel('Username, email or user id').fill('dana');
    await dialog.getByLabel('Username, email or user id').press('Enter');
    await dialog.getByText('Dana Whitfield').waitFor();
    await dialog.getByRole('button', {name: 'Next'}).click();

    const aws = dialog.getByRole('group', {name: 'AWS'});
    await aws.getByText('tag email = dana@example.com', {exact: false}).waitFor({timeout: 30_000});
    expect(await dialog.getByRole('group', {name: 'Mattermost'}).getByRole('button', {name: /^Edit/}).count()).toBe(0);
    await aws.getByRole('button', {name: 'Edit IAM user names'}).click();
    await aws.getByLabel('AWS: IAM user names').fill('dana.admin\ndana-old');
    await aws.getByRole('button', {name: 'Look up again'}).click();
    await aws.getByText(/^IAM user dana-old: in none of the \d+ accounts checked$/).waitFor({timeout: 30_000});
    expect(await aws.getByText('entered by admin', {exact: false}).count()).toBe(2);
    expect(await aws.getByText('name pattern', {exact: false}).count()).toBe(0);
    expect(await aws.getByLabel('AWS: IAM user names').inputValue()).toBe('dana.admin\ndana-old');
    await dialog.getByRole('group', {name: 'Mattermost'}).getByText('exact match').waitFor();
    await screenshot(page, 'modal-2-identities-edit-light', DIALOG);

    await dialog.getByRole('button', {name: 'Next'}).click();
    await dialog.getByRole('button', {name: 'Next'}).click();
    const assignee = dialog.getByLabel(/^Assignee of "Find IAM user dana-old in /);
    await assignee.fill('ghost');
    await dialog.getByRole('button', {name: 'Next'}).click();
    const refusal = dialog.locator('.offb-assignee').getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/to @ghost: no such user/);
    expect(await dialog.getByRole('heading', {name: 'Checklist'}).count()).toBe(1);
    await refusal.evaluate((el) => el.scrollIntoView({block: 'center'}));
    await screenshot(page, 'modal-4-checklist-assignee-light', DIALOG);
    await assignee.fill('carol');
    await dialog.getByRole('button', {name: 'Next'}).click();
    await dialog.getByLabel(/to confirm/).fill('dana');
    await dialog.getByRole('button', {name: 'Offboard @dana'}).click();

    const card = dialog.locator('.offb-card');
    await card.waitFor({timeout: 30_000});
    const group = card.getByRole('button', {name: /^AWS \d+\/\d+$/});
    if (await group.getAttribute('aria-expanded') === 'false') await group.click();
    const item = card.locator('li', {hasText: 'Find IAM user dana-old in '});
    await item.getByText('assigned to carol').waitFor({timeout: 30_000});
    await item.getByRole('button', {name: /^Complete…/}).click();
    await item.getByLabel('What was done? (required)').fill('No such user anywhere; checked with the AWS team (SEC-7).');
    await item.getByRole('button', {name: 'Mark as done'}).click();
    await dialog.locator('.offb-status--completed').waitFor({timeout: 90_000});

    const alice = h.seed.users.alice;
    const run = (await h.service.deps.store.listRuns())[0];
    const steps = await h.service.deps.store.listSteps(run?.id ?? '');
    expect(steps.find((s) => MISSING_USER_STEP.test(s.title))).toMatchObject({state: 'manual_done', assignee: 'carol',
      actedBy: alice});
    // Only the entered IAM user was removed; the ones the patterns would have matched are untouched.
    const awsState = h.aws?.sim.state;
    expect(awsState?.user('200000000002', 'dana.admin')).toBeUndefined();
    expect(awsState?.user('200000000001', 'dana')).toBeDefined();
    const created = (await h.service.deps.store.listAudit(run?.id ?? '')).find((e) => e.action === 'run.created');
    const entered = created?.evidence['enteredIdentities'] as Record<string, {entered_by: string}> | undefined;
    expect(Object.entries(entered ?? {}).map(([system, e]) => [e.entered_by, system])).toEqual([[alice, 'aws']]);
    expect(env.errors).toEqual([]);
  }, 240_000);
});

describe('someone who may not offboard', () => {
  it('gets no entry point, and the probe that found out posted nothing', async () => {
    const before = await deniedProbes();
    const page = await env.open({username: 'bob'});
    await waitFor(async () => (await deniedProbes()) > before);
    await page.getByRole('button', {name: 'Main menu'}).click();
    expect(await page.getByRole('menuitem').count()).toBe(0);
    await page.getByRole('complementary', {name: 'Channel members'}).getByRole('button', {name: 'carol'}).click();
    const popover = page.getByRole('dialog', {name: 'Profile of Carol Okafor'});
    await popover.getByText('@carol').waitFor();
    expect(await popover.getByRole('button', {name: 'Offboard user'}).count()).toBe(0);
    expect(await page.locator('article.host-post', {hasText: 'Only visible to you'}).count()).toBe(0);
    expect(await page.locator('article.host-post', {hasText: 'may not use /offboard'}).count()).toBe(0);
    expect(env.errors).toEqual([]);
  }, 90_000);
});
