// The other entry points, and who sees them: "Offboard user" on a profile card and "Offboard a user…" in the main
// menu for admins; nothing for everyone else, whose `/offboard` goes to the service (which refuses them).
import {describe, expect, it} from '@jest/globals';
import {DIALOG, screenshot, sendMessage, useBrowserEnv} from './browser_support.js';

const env = useBrowserEnv();

describe('entry points', () => {
  it('opens the modal prefilled from a person\'s profile card', async () => {
    const page = await env.open();
    await page.getByRole('complementary', {name: 'Channel members'}).getByRole('button', {name: 'carol'}).click();
    const popover = page.getByRole('dialog', {name: 'Profile of Carol Okafor'});
    await popover.getByText('Site Reliability Engineer').waitFor();
    await screenshot(page, 'profile-card-light', '.host-popover');
    await popover.getByRole('button', {name: 'Offboard user'}).click();
    await popover.waitFor({state: 'detached'});
    const dialog = page.locator(DIALOG);
    await dialog.getByText('Carol Okafor').waitFor();
    expect(await dialog.getByLabel('Username, email or user id').inputValue()).toBe('@carol');
    expect(await dialog.getByText('carol@example.com', {exact: false}).count()).toBe(1);

    // The main menu item resumes the same draft.
    await page.keyboard.press('Escape');
    await dialog.waitFor({state: 'detached'});
    await page.getByRole('button', {name: 'Main menu'}).click();
    await page.getByRole('menuitem', {name: 'Offboard a user…'}).click();
    await dialog.getByText('Carol Okafor').waitFor();
    expect(env.errors).toEqual([]);
  }, 90_000);

  it('shows no entry point to people who are not admins, and their /offboard reaches the service', async () => {
    const page = await env.open({username: 'bob'});
    await page.getByRole('complementary', {name: 'Channel members'}).getByRole('button', {name: 'carol'}).click();
    const popover = page.getByRole('dialog', {name: 'Profile of Carol Okafor'});
    await popover.getByText('@carol').waitFor();
    expect(await popover.getByRole('button', {name: 'Offboard user'}).count()).toBe(0);
    await popover.getByRole('button', {name: 'Close'}).click();
    await page.getByRole('button', {name: 'Main menu'}).click();
    expect(await page.getByRole('menuitem').count()).toBe(0);

    await sendMessage(page, '/offboard @dana');
    const refusal = page.locator('article.host-post', {hasText: '(Only visible to you)'});
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/no_entry/);
    expect(await page.locator(DIALOG).count()).toBe(0);
  }, 90_000);
});
