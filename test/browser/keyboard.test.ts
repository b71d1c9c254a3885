// A keyboard-only pass: Tab into the message box, open the modal with `/offboard @dana`, check the focus trap,
// Esc, visible focus and labels, then walk every step with Tab, Enter and Space to a completed run.
import {describe, expect, it} from '@jest/globals';
import type {Page} from 'playwright-core';
import {DIALOG, useBrowserEnv} from './browser_support.js';

const env = useBrowserEnv();

/** What has focus: its id, accessible-ish name, and whether it sits in the modal. */
function focused(page: Page) {
  return page.evaluate((dialogSelector) => {
    const el = document.activeElement as HTMLElement | null;
    const labelled = el?.getAttribute('aria-label') ?? (el as HTMLInputElement | null)?.labels?.[0]?.textContent ?? '';
    return {
      id: el?.id ?? '', name: (labelled || el?.textContent || '').trim(), tag: el?.tagName ?? '',
      inDialog: Boolean(el?.closest(dialogSelector)), outline: el ? getComputedStyle(el).outlineStyle : 'none',
    };
  }, DIALOG);
}

/** Presses Tab until the focused element's name matches (at most 60 presses). */
async function tabTo(page: Page, name: RegExp): Promise<void> {
  for (let i = 0; i < 60; i += 1) {
    if (name.test((await focused(page)).name)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`could not reach ${name} with Tab; focus is on ${JSON.stringify(await focused(page))}`);
}

describe('keyboard only', () => {
  it('opens, traps focus, closes with Esc and completes an offboarding without a mouse', async () => {
    const page = await env.open();
    await tabTo(page, /^Write to Town Square$/);
    await page.keyboard.type('/offboard @dana');
    await page.keyboard.press('Enter');
    const dialog = page.locator(DIALOG);
    await dialog.getByText('Dana Whitfield').waitFor();
    expect((await focused(page)).inDialog).toBe(true);

    // Every control in the dialog has a label.
    const unlabelled = await dialog.evaluate((root) => Array.from(root.querySelectorAll('input, select, textarea, button'))
      .filter((el) => !((el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || el.textContent?.trim()))
      .map((el) => el.outerHTML));
    expect(unlabelled).toEqual([]);

    // Focus trap, with a visible focus ring on every stop.
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      expect(f.inDialog).toBe(true);
      if (f.tag === 'BUTTON') expect(f.outline).not.toBe('none');
    }
    for (let i = 0; i < 5; i += 1) {
      await page.keyboard.press('Shift+Tab');
      expect((await focused(page)).inDialog).toBe(true);
    }

    await page.keyboard.press('Escape');
    await dialog.waitFor({state: 'detached'});
    expect((await focused(page)).id).toBe('host-message');

    await page.keyboard.type('/offboard');
    await page.keyboard.press('Enter');
    await dialog.getByText('Dana Whitfield').waitFor();
    await tabTo(page, /^Next$/);
    await page.keyboard.press('Enter');
    await dialog.getByText('exact match').waitFor();
    await tabTo(page, /^Next$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /^Show details for Mattermost$/);
    await page.keyboard.press('Enter');
    await dialog.getByText('Personal access token "CI deploy script"').waitFor();
    await tabTo(page, /^Next$/);
    await page.keyboard.press('Enter');
    await dialog.getByText('15 of 15 steps will run.').waitFor();
    await tabTo(page, /^Regenerate the invite link of team sales$/);
    await page.keyboard.press('Space');
    await dialog.getByText('14 of 15 steps will run.').waitFor();
    await tabTo(page, /^Next$/);
    await page.keyboard.press('Enter');
    await tabTo(page, /to confirm$/);
    await page.keyboard.type('dana');
    await tabTo(page, /^Offboard @dana$/);
    await page.keyboard.press('Enter');
    await dialog.locator('.offb-status--completed').waitFor({timeout: 60_000});
    expect(await dialog.getByText('14 of 14 steps finished').count()).toBe(1);
    expect(env.errors).toEqual([]);
  }, 180_000);
});
