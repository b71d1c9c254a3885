// `make dist` + `make deploy` end to end: the packed bundle is uploaded to the simulator and enabled, and a page
// that loads plugins the way the webapp does (GET /api/v4/plugins/webapp, /static/plugins/…) runs it.
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {cpSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Browser} from 'playwright-core';
import {deployPlugin} from '../../webapp/build/deploy.js';
import {readManifest} from '../../webapp/build/manifest.js';
import {packPlugin} from '../../webapp/build/pack.js';
import {type HostPage, startHostPage} from '../host_page/index.js';
import {type Harness, startHarness} from '../support/service_harness.js';
import {DIALOG, launchChromium, pluginBundle, rootDir, sendMessage} from './browser_support.js';

let h: Harness;
let host: HostPage;
let browser: Browser;
const work = mkdtempSync(join(tmpdir(), 'offb-deployed-'));
let cleanupBundle = () => undefined as void;

beforeAll(async () => {
  const bundle = await pluginBundle();
  cleanupBundle = bundle.cleanup;
  cpSync(join(rootDir, 'plugin.json'), join(work, 'plugin.json'));
  cpSync(join(rootDir, 'assets'), join(work, 'assets'), {recursive: true});
  mkdirSync(join(work, 'webapp', 'dist'), {recursive: true});
  cpSync(bundle.path, join(work, 'webapp', 'dist', 'main.js'));
  h = await startHarness();
  host = await startHostPage({sim: h.sim, userId: h.seed.adminUserId, teamId: h.seed.teams.acme, channelId: h.seed.channels.acmeTownSquare});
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await h?.close();
  cleanupBundle();
  rmSync(work, {recursive: true, force: true});
});

describe('the deployed plugin', () => {
  it('is served by the server after upload + enable and works in the page', async () => {
    const manifest = readManifest(work);
    const {tarPath} = await packPlugin(work, manifest);
    await deployPlugin({siteUrl: h.sim.url, token: h.seed.adminToken, tarPath, pluginId: manifest.id});

    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const bundleRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/static/plugins/')) bundleRequests.push(new URL(r.url()).pathname);
    });
    await page.goto(host.url);
    await page.waitForSelector('body[data-plugins-loaded="true"]', {timeout: 20_000});
    expect(bundleRequests).toHaveLength(1);
    expect(bundleRequests[0]).toMatch(/^\/static\/plugins\/offboarding\/offboarding_[0-9a-f]+_bundle\.js$/);
    await sendMessage(page, '/offboard @dana');
    await page.locator(DIALOG).getByText('Dana Whitfield').waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
