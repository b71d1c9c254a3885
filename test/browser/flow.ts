// The full offboarding flow as an admin clicks through it, with a screenshot of each modal step and of the run card;
// used by the light- and dark-theme tests so both themes are pictured from the same walk.
import {expect} from '@jest/globals';
import type {Page} from 'playwright-core';
import type {Theme} from '../host_page/html.js';
import type {Harness} from '../support/service_harness.js';
import {DIALOG, screenshot, sendMessage} from './browser_support.js';

export const STEP_SHOTS = ['1-person', '2-identities', '3-inventory', '4-checklist', '5-confirm', '6-progress'] as const;

/** Records every run status the page shows in the dialog, to prove the card changed live (posted → post_edited). */
async function watchStatuses(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as {__offbStatuses: string[]}).__offbStatuses = seen;
    const record = () => {
      for (const el of Array.from(document.querySelectorAll('.offb-dialog .offb-status'))) {
        const text = el.textContent ?? '';
        if (seen[seen.length - 1] !== text) seen.push(text);
      }
    };
    new MutationObserver(record).observe(document.body, {subtree: true, childList: true, characterData: true});
  });
}

/** Name of the run's private channel once the service created it. */
export function runChannel(h: Harness, username: string): {id: string; display_name: string} | undefined {
  return [...h.sim.state.channels.values()].find((c) => c.name.startsWith(`offboard-${username}-`));
}

/**
 * From `/offboard @dana` to a completed run card, in the modal and then in the run channel. Returns the statuses
 * the modal's card went through.
 */
export async function offboardDana(page: Page, h: Harness, theme: Theme): Promise<string[]> {
  const dialogsOpened: unknown[] = [];
  h.sim.events.on('open_dialog', (d) => dialogsOpened.push(d));

  await sendMessage(page, '/offboard @dana');
  const dialog = page.locator(DIALOG);
  await dialog.waitFor();
  // The hook swallowed the command: the box is empty and the service never got `/offboard @dana`.
  expect(await page.getByLabel(/^Write to /).inputValue()).toBe('');

  await dialog.getByText('Dana Whitfield').waitFor();
  await dialog.getByText('@dana · dana@example.com').waitFor();
  await screenshot(page, `modal-${STEP_SHOTS[0]}-${theme}`, DIALOG);

  await dialog.getByRole('button', {name: 'Next'}).click();
  await dialog.getByText('exact match').waitFor();
  await screenshot(page, `modal-${STEP_SHOTS[1]}-${theme}`, DIALOG);

  await dialog.getByRole('button', {name: 'Next'}).click();
  await dialog.getByText('Channel membership').waitFor();
  await dialog.getByRole('button', {name: 'Show details for Mattermost'}).click();
  await dialog.getByText('Personal access token "CI deploy script"').waitFor();
  await screenshot(page, `modal-${STEP_SHOTS[2]}-${theme}`, DIALOG);

  await dialog.getByRole('button', {name: 'Next'}).click();
  await dialog.getByText('15 of 15 steps will run.').waitFor();
  await screenshot(page, `modal-${STEP_SHOTS[3]}-${theme}`, DIALOG);

  await dialog.getByRole('button', {name: 'Next'}).click();
  await dialog.getByLabel(/to confirm/).fill('dana');
  await screenshot(page, `modal-${STEP_SHOTS[4]}-${theme}`, DIALOG);

  await watchStatuses(page);
  await dialog.getByRole('button', {name: 'Offboard @dana'}).click();
  await dialog.locator('.offb-status--completed').waitFor({timeout: 60_000});
  await screenshot(page, `modal-${STEP_SHOTS[5]}-${theme}`, DIALOG);
  const statuses = await page.evaluate(() => (window as unknown as {__offbStatuses: string[]}).__offbStatuses);
  expect(dialogsOpened).toEqual([]);

  await dialog.getByRole('button', {name: 'Close'}).last().click();
  await dialog.waitFor({state: 'detached'});
  const channel = runChannel(h, 'dana');
  expect(channel).toBeDefined();
  await page.getByRole('navigation', {name: 'Channels'}).getByRole('button', {name: channel?.display_name ?? ''}).click();
  const card = page.locator('article[data-post-type="custom_offboarding_run"]').first();
  await card.locator('.offb-status--completed').waitFor({timeout: 30_000});
  await screenshot(page, `run-card-${theme}`, 'article[data-post-type="custom_offboarding_run"]');
  return statuses;
}
