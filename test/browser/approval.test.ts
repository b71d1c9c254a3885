// Four eyes, across two browsers: one admin asks for approval; the run card shows the second admin an "Approve run"
// button (run.act), and both admins' cards follow the run live to completion (post_edited).
import {describe, expect, it} from '@jest/globals';
import {DIALOG, screenshot, sendMessage, useBrowserEnv} from './browser_support.js';
import {runChannel} from './flow.js';

const env = useBrowserEnv();

describe('a run that needs a second admin', () => {
  it('waits for approval, is approved from another admin\'s run card, and completes', async () => {
    const {h} = env;
    const second = h.sim.createUser({username: 'secadmin', email: 'secadmin@example.com', first_name: 'Sec', last_name: 'Admin',
      roles: 'system_user system_admin'});
    h.sim.addTeamMember(h.seed.teams.acme, second.id);

    const first = await env.open();
    await sendMessage(first, '/offboard @bob');
    const dialog = first.locator(DIALOG);
    await dialog.getByText('Bob Martinez').waitFor();
    await dialog.getByRole('button', {name: 'Next'}).click();
    await dialog.getByText('exact match').waitFor();
    await dialog.getByRole('button', {name: 'Next'}).click();
    await dialog.getByRole('button', {name: 'Next'}).click();
    await dialog.getByText(/steps will run\.$/).waitFor();
    await dialog.getByRole('button', {name: 'Next'}).click();
    await dialog.getByLabel('Ask a second admin to approve').check();
    await dialog.getByLabel(/to confirm/).fill('bob');
    await dialog.getByRole('button', {name: 'Request approval'}).click();
    await dialog.locator('.offb-status--awaiting_approval').waitFor({timeout: 30_000});
    // The initiator cannot approve their own run; they can cancel it.
    expect(await dialog.getByRole('button', {name: 'Approve run'}).count()).toBe(0);
    expect(await dialog.getByRole('button', {name: 'Cancel run'}).count()).toBe(1);
    expect(h.sim.state.user(h.seed.users.bob)?.delete_at).toBe(0);

    const channel = runChannel(h, 'bob');
    expect(channel).toBeDefined();
    h.sim.addChannelMember(channel?.id ?? '', second.id);
    const other = await env.open({username: 'secadmin'});
    await other.getByRole('navigation', {name: 'Channels'}).getByRole('button', {name: channel?.display_name ?? ''}).click();
    const card = other.locator('article[data-post-type="custom_offboarding_run"]').first();
    await card.getByRole('button', {name: 'Approve run'}).waitFor();
    await screenshot(other, 'run-card-approval-light', 'article[data-post-type="custom_offboarding_run"]');
    await card.getByRole('button', {name: 'Approve run'}).click();

    await card.locator('.offb-status--completed').waitFor({timeout: 60_000});
    await dialog.locator('.offb-status--completed').waitFor({timeout: 30_000});
    expect(h.sim.state.user(h.seed.users.bob)?.delete_at).toBeGreaterThan(0);
    expect(env.errors).toEqual([]);
  }, 180_000);
});
