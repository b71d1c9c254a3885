// Shared set-up of the browser tests: Debian's chromium driven by playwright-core (flags from fidelity.md §5), the
// plugin bundle (the built one when current, else a private build), the host page over the service harness, and
// screenshots into docs/screenshots/ for the README.
import {afterAll, beforeAll} from '@jest/globals';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium, type Browser, type Page} from 'playwright-core';
import {compileWebapp} from '../../webapp/build/bundle.js';
import {writeManifestModule} from '../../webapp/build/manifest.js';
import {startHostPage, type HostPage} from '../host_page/index.js';
import type {Theme} from '../host_page/html.js';
import {startHarness, type Harness, type HarnessOptions} from '../support/service_harness.js';

export const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOTS = join(rootDir, 'docs', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

function newest(dir: string): number {
  return Math.max(0, ...readdirSync(dir, {withFileTypes: true}).map((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? newest(path) : statSync(path).mtimeMs;
  }));
}

/**
 * webapp/dist/main.js when it is newer than every source (`make test` builds it first); otherwise a build of the
 * current sources in a private folder, so a stale bundle is never tested and parallel workers never collide.
 */
export async function pluginBundle(): Promise<{path: string; cleanup(): void}> {
  const built = join(rootDir, 'webapp', 'dist', 'main.js');
  const sourcesAt = Math.max(newest(join(rootDir, 'webapp', 'src')), statSync(join(rootDir, 'plugin.json')).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sourcesAt) return {path: built, cleanup: () => undefined};
  writeManifestModule(rootDir);
  const dir = mkdtempSync(join(tmpdir(), 'offb-browser-bundle-'));
  const result = await compileWebapp(rootDir, 'production', dir);
  return {path: result.path, cleanup: () => rmSync(dir, {recursive: true, force: true})};
}

/** Chromium with a fresh profile: playwright's launch() creates and deletes a temporary user-data-dir itself. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/ensure_chromium.sh (make test does) before the browser tests`);
  }
  return chromium.launch({executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS});
}

export interface BrowserEnv {
  readonly h: Harness;
  readonly host: HostPage;
  readonly browser: Browser;
  /** Console errors and uncaught exceptions of every page opened with open(). */
  readonly errors: string[];
  open(o?: {username?: string; theme?: Theme}): Promise<Page>;
  close(): Promise<void>;
}

/** Harness (simulator + service, configured by `harness`), host page on acme's Town Square, chromium. */
export async function startBrowserEnv(harness: HarnessOptions = {}): Promise<BrowserEnv> {
  const started: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop();
  };
  try {
    const bundle = await pluginBundle();
    started.push(() => bundle.cleanup());
    const h = await startHarness(harness);
    started.push(() => h.close());
    const host = await startHostPage({
      sim: h.sim, userId: h.seed.adminUserId, teamId: h.seed.teams.acme, channelId: h.seed.channels.acmeTownSquare,
      bundlePath: bundle.path,
    });
    started.push(() => host.close());
    const browser = await launchChromium();
    started.push(() => browser.close());
    const errors: string[] = [];
    return {
      h, host, browser, errors,
      async open(o = {}) {
        const context = await browser.newContext({viewport: {width: 1280, height: 900}, reducedMotion: 'reduce'});
        const page = await context.newPage();
        page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(`console: ${m.text()}`);
        });
        await page.goto(host.urlFor(o));
        await page.waitForSelector('body[data-plugins-loaded="true"]', {timeout: 20_000});
        return page;
      },
      close: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/**
 * The suite's environment, started before its first test and closed after its last (beforeAll / afterAll). The
 * returned object reads through to it, so tests write `env.open()` as with startBrowserEnv.
 */
export function useBrowserEnv(harness: HarnessOptions = {}): BrowserEnv {
  let env: BrowserEnv | undefined;
  beforeAll(async () => {
    env = await startBrowserEnv(harness);
  }, 120_000);
  afterAll(async () => {
    await env?.close();
  });
  const current = (): BrowserEnv => {
    if (!env) throw new Error('The browser environment is not started (useBrowserEnv runs in beforeAll).');
    return env;
  };
  return {
    get h() { return current().h; },
    get host() { return current().host; },
    get browser() { return current().browser; },
    get errors() { return current().errors; },
    open: (o) => current().open(o),
    close: () => current().close(),
  };
}

/** Types into the message box and sends, as a person would. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByLabel(/^Write to /).fill(text);
  await page.getByLabel(/^Write to /).press('Enter');
}

/** docs/screenshots/<name>.png of one element (or the page). */
export async function screenshot(page: Page, name: string, selector?: string): Promise<string> {
  mkdirSync(SCREENSHOTS, {recursive: true});
  const path = join(SCREENSHOTS, `${name}.png`);
  // Let transitions (progress bar width) settle so the picture shows the final state.
  await page.waitForTimeout(350);
  if (selector) await page.locator(selector).first().screenshot({path, animations: 'disabled'});
  else await page.screenshot({path, animations: 'disabled'});
  return path;
}

/** The modal's dialog. */
export const DIALOG = '[role="dialog"][aria-labelledby="offb-modal-title"]';
