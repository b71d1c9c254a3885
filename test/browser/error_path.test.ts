// When the service is down: the admin gets a readable error, keeps everything entered, and "Try again" works once
// the service is back (a new service on the same port and database, as after a restart).
import {afterAll, describe, expect, it} from '@jest/globals';
import {silentLogger} from '../../server/src/logger.js';
import {type RunningService, startService} from '../../server/src/service/service.js';
import {DIALOG, screenshot, sendMessage, useBrowserEnv} from './browser_support.js';

const env = useBrowserEnv();
let restarted: RunningService | undefined;

afterAll(async () => {
  await restarted?.close();
});

describe('the service stops mid-way', () => {
  it('shows why, keeps the input, and retries successfully once the service is back', async () => {
    const page = await env.open();
    await sendMessage(page, '/offboard @dana');
    const dialog = page.locator(DIALOG);
    await dialog.getByText('Dana Whitfield').waitFor();
    await dialog.getByRole('button', {name: 'Next'}).click();
    await dialog.getByText('exact match').waitFor();
    await dialog.getByRole('button', {name: 'Next'}).click();
    await dialog.getByRole('button', {name: 'Next'}).click();
    await dialog.getByText('15 of 15 steps will run.').waitFor();
    await dialog.getByRole('switch', {name: 'Regenerate the invite link of team sales'}).click();
    await dialog.getByText('14 of 15 steps will run.').waitFor();
    await dialog.getByRole('button', {name: 'Next'}).click();
    await dialog.getByLabel('Ask a second admin to approve').check();
    await dialog.getByLabel('Run now').check();
    await dialog.getByLabel(/to confirm/).fill('dana');

    const invites = () => [env.h.seed.teams.sales, env.h.seed.teams.engineering].map((id) => env.h.sim.state.team(id)?.invite_id);
    const [salesBefore, engineeringBefore] = invites();
    await env.h.service.close();
    await dialog.getByRole('button', {name: 'Offboard @dana'}).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/The offboarding service did not answer: it may be stopped or unreachable/);
    await screenshot(page, 'modal-error-light', DIALOG);
    expect(await dialog.getByLabel(/to confirm/).inputValue()).toBe('dana');
    expect(await dialog.getByLabel('Run now').isChecked()).toBe(true);
    expect(await dialog.getByRole('heading', {name: 'Confirm'}).count()).toBe(1);
    expect(await dialog.getByText('14 steps will run for @dana', {exact: false}).count()).toBe(1);

    restarted = await startService(env.h.config, {log: silentLogger(), serve: true, execute: true});
    await alert.getByRole('button', {name: 'Try again'}).click();
    await dialog.locator('.offb-status--completed').waitFor({timeout: 60_000});
    expect(await dialog.getByText('14 of 14 steps finished').count()).toBe(1);
    expect(await dialog.getByRole('alert').count()).toBe(0);
    // The switched-off step did not run: the sales invite link is unchanged, engineering's was regenerated.
    const [salesAfter, engineeringAfter] = invites();
    expect(salesAfter).toBe(salesBefore);
    expect(engineeringAfter).not.toBe(engineeringBefore);
  }, 180_000);
});
