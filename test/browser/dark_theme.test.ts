// The same flow under Mattermost's dark (Onyx) theme: the plugin only uses the theme's CSS variables, so the modal
// and the run card turn dark with it. Screenshots of every step go to docs/screenshots/*-dark.png.
import {describe, expect, it} from '@jest/globals';
import {DIALOG, useBrowserEnv} from './browser_support.js';
import {offboardDana} from './flow.js';

const env = useBrowserEnv();

describe('the dark theme', () => {
  it('renders the modal and the run card with the theme\'s colours', async () => {
    const page = await env.open({theme: 'dark'});
    await page.getByRole('button', {name: 'Main menu'}).click();
    await page.getByRole('menuitem', {name: 'Offboard a user…'}).click();
    const dialog = page.locator(DIALOG);
    const colours = await dialog.evaluate((el) => {
        const style = getComputedStyle(el);
        const primary = el.querySelector('.offb-btn--primary, .offb-btn--secondary');
        return {bg: style.backgroundColor, fg: style.color, button: primary ? getComputedStyle(primary).color : ''};
    });
    expect(colours.bg).toBe('rgb(25, 27, 31)');
    expect(colours.fg).toBe('rgb(227, 228, 232)');
    expect(colours.button).toBe('rgb(74, 126, 187)');
    await page.keyboard.press('Escape');
    await dialog.waitFor({state: 'detached'});

    await offboardDana(page, env.h, 'dark');
    const card = await page.locator('.offb-card').first().evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
    expect(card).toEqual(['rgb(25, 27, 31)', 'rgb(227, 228, 232)']);
    expect(env.errors).toEqual([]);
  }, 180_000);
});
