// The whole flow in a real browser, light theme: `/offboard @dana` → modal → confirm → a completed run card that
// filled in live; plus what the slash hook lets through. Screenshots go to docs/screenshots/.
import {describe, expect, it} from '@jest/globals';
import {sendMessage, useBrowserEnv} from './browser_support.js';
import {offboardDana} from './flow.js';

const env = useBrowserEnv();

describe('offboarding in the browser (light theme)', () => {
  it('goes from /offboard @dana to a completed run card that updated live', async () => {
    const page = await env.open();
    const statuses = await offboardDana(page, env.h, 'light');
    expect(statuses[0]).toBe('Running');
    expect(statuses.at(-1)).toBe('Completed');
    // Dana really is offboarded in the simulator, and the card in the channel says so.
    expect(env.h.sim.state.user(env.h.seed.users.dana)?.delete_at).toBeGreaterThan(0);
    const card = page.locator('article[data-post-type="custom_offboarding_run"]').first();
    expect(await card.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('15');
    expect(await card.getByText('15 of 15 steps finished').count()).toBe(1);
    // The service's props parsed with the plugin's schema: no card fell back to the plain-text message.
    expect(await page.locator('.offb-card--fallback').count()).toBe(0);
    const colours = await page.locator('.offb-card').first().evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
    expect(colours).toEqual(['rgb(255, 255, 255)', 'rgb(63, 67, 80)']);
    expect(env.errors).toEqual([]);
  }, 180_000);

  it('lets every other /offboard command through to the service', async () => {
    const page = await env.open();
    await sendMessage(page, '/offboard help');
    const help = page.locator('article.host-post', {hasText: 'remove a departing person'});
    await help.waitFor();
    expect(await help.getByText('(Only visible to you)').count()).toBe(1);
    expect(await page.locator('[role="dialog"]').count()).toBe(0);
  }, 60_000);
});
