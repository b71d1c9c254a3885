/** @jest-environment node */
import {afterAll, beforeAll, describe, expect, it} from '@jest/globals';
import {spawnSync} from 'node:child_process';
import {cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {seedAdmin, startMattermostSim, type MattermostSim} from '../../test/mattermost_sim/index.js';

import {DeployError, deployPlugin} from './deploy.js';
import {readManifest} from './manifest.js';
import {packPlugin} from './pack.js';

const rootDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'offb-deploy-'));
const BUNDLE = 'window.registerPlugin("offboarding", {initialize() {}});';
let sim: MattermostSim;
let adminToken: string;
let tarPath: string;

beforeAll(async () => {
  sim = await startMattermostSim({});
  adminToken = seedAdmin(sim).adminToken;
  cpSync(join(rootDir, 'plugin.json'), join(work, 'plugin.json'));
  cpSync(join(rootDir, 'assets'), join(work, 'assets'), {recursive: true});
  mkdirSync(join(work, 'webapp', 'dist'), {recursive: true});
  writeFileSync(join(work, 'webapp', 'dist', 'main.js'), BUNDLE);
  tarPath = (await packPlugin(work, readManifest(work))).tarPath;
});

afterAll(async () => {
  await sim.close();
  rmSync(work, {recursive: true, force: true});
});

async function api(path: string): Promise<Response> {
  return fetch(`${sim.url}${path}`, {headers: {Authorization: `Bearer ${adminToken}`}});
}

async function failure(p: Promise<unknown>): Promise<DeployError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DeployError);
  return e as DeployError;
}

describe('deployPlugin against the Mattermost simulator', () => {
  it('uploads and enables the bundle, which the server then serves to webapps', async () => {
    const manifest = await deployPlugin({siteUrl: `${sim.url}/`, token: adminToken, tarPath, pluginId: 'offboarding'});
    expect(manifest.id).toBe('offboarding');
    const plugins = await (await api('/api/v4/plugins')).json() as {active: {id: string}[]};
    expect(plugins.active.map((p) => p.id)).toEqual(['offboarding']);
    const webapp = await (await api('/api/v4/plugins/webapp')).json() as {id: string; webapp: {bundle_path: string}}[];
    expect(webapp[0]?.id).toBe('offboarding');
    const served = await api(webapp[0]?.webapp.bundle_path ?? '');
    expect(await served.text()).toBe(BUNDLE);
    const uploads = sim.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/v4/plugins'));
    expect(uploads.map((r) => r.path)).toEqual(['/api/v4/plugins', '/api/v4/plugins/offboarding/enable']);
  });

  it('replaces an installed copy (force=true) on the next deploy', async () => {
    await deployPlugin({siteUrl: sim.url, token: adminToken, tarPath, pluginId: 'offboarding'});
    const plugins = await (await api('/api/v4/plugins')).json() as {active: {id: string}[]};
    expect(plugins.active).toHaveLength(1);
  });

  it('explains a bad token without printing it', async () => {
    const e = await failure(deployPlugin({siteUrl: sim.url, token: 'wrongtokenwrongtoken000000', tarPath, pluginId: 'offboarding'}));
    expect(e.status).toBe(401);
    expect(e.message).toMatch(/Upload failed \(HTTP 401.*MM_ADMIN_TOKEN is not a valid token/);
    expect(e.message).not.toContain('wrongtokenwrongtoken000000');
  });

  it('refuses tokens of people who are not system admins', async () => {
    const user = sim.createUser({username: 'plainuser', email: 'plain@example.com'});
    const e = await failure(deployPlugin({siteUrl: sim.url, token: sim.createAccessToken(user.id), tarPath, pluginId: 'offboarding'}));
    expect(e.status).toBe(403);
    expect(e.message).toMatch(/must be a system admin/);
  });

  it('names the settings to change when plugin uploads are disabled', async () => {
    sim.config.enablePluginUploads = false;
    try {
      const e = await failure(deployPlugin({siteUrl: sim.url, token: adminToken, tarPath, pluginId: 'offboarding'}));
      expect(e.status).toBe(501);
      expect(e.message).toMatch(/PluginSettings\.EnableUploads=true/);
    } finally {
      sim.config.enablePluginUploads = true;
    }
  });

  it('reports an unreachable server and a malformed URL', async () => {
    const closed = await startMattermostSim({});
    const url = closed.url;
    await closed.close();
    expect((await failure(deployPlugin({siteUrl: url, token: adminToken, tarPath, pluginId: 'offboarding'}))).message)
      .toMatch(/cannot reach http:\/\/127\.0\.0\.1/);
    expect((await failure(deployPlugin({siteUrl: 'not a url', token: adminToken, tarPath, pluginId: 'offboarding'}))).message)
      .toMatch(/is not a URL/);
  });
});

describe('scripts/deploy_plugin.ts', () => {
  it('exits 1 with instructions when the server or token is not given, and changes nothing', () => {
    const before = sim.mutations().length;
    const env = {...process.env, MM_SERVICESETTINGS_SITEURL: sim.url, MM_ADMIN_TOKEN: ''};
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(rootDir, 'scripts', 'deploy_plugin.ts')], {env, encoding: 'utf8'});
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/set MM_SERVICESETTINGS_SITEURL .* and MM_ADMIN_TOKEN/);
    expect(sim.mutations().length).toBe(before);
    expect(readFileSync(tarPath).length).toBeGreaterThan(0);
  });
});
