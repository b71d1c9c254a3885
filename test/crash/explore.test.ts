import {afterAll, describe, expect, it} from '@jest/globals';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {freePort, writeSandboxConfig} from '../../server/src/cli/sandbox_config.js';
import {openStore} from '../../server/src/store/index.js';
import {seedWorkspace, startMattermostSim} from '../mattermost_sim/index.js';
import {startServiceProcess} from './service_process.js';
import {addWorkload, rpcClient, startOffboarding} from './workload.js';

describe('explore', () => {
  it('runs', async () => {
    const t0 = Date.now();
    const dir = mkdtempSync(join(tmpdir(), 'crash-'));
    const sim = await startMattermostSim({});
    const seed = seedWorkspace(sim);
    addWorkload(sim, seed, {tokens: 30, teams: 3, channelsPerTeam: 2, incomingHooks: 3, outgoingHooks: 2});
    const port = await freePort();
    const {config, path} = writeSandboxConfig({dir, mattermostUrl: sim.url, botToken: seed.botToken, port, logLevel: 'info',
      overrides: {engine: {lease_ms: 1500, poll_ms: 50}}});
    const p = await startServiceProcess({root: process.cwd(), configPath: path, serviceUrl: config.service.public_url});
    console.log('started', Date.now() - t0);
    sim.setLatency(40);
    const rpc = rpcClient(sim, seed);
    const {runId, planSteps} = await startOffboarding(rpc, 'dana');
    console.log('run started', Date.now() - t0, planSteps);
    const store = await openStore({kind: 'sqlite', path: config.database.sqlite_path});
    const lines: string[] = [];
    for (;;) {
      const run = await store.getRun(runId);
      const steps = await store.listSteps(runId);
      const fin = steps.filter((s) => ['done','already_done','failed','skipped'].includes(s.state)).length;
      const running = steps.filter((s) => s.state === 'running').length;
      lines.push(`${Date.now() - t0} ${fin}/${steps.length} running=${running}`);
      if (run?.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(lines.join('\n'));
    const steps = await store.listSteps(runId);
    console.log(steps.map((s) => `${s.id} ${s.state} ${s.verified} ${s.error}`).join('\n'));
    console.log(sim.mutations().map((m) => `${m.method} ${m.path} ${m.status} ${m.userId === seed.botUserId ? 'bot' : m.userId}`).join('\n'));
    await p.kill();
    await store.close();
    await sim.close();
    rmSync(dir, {recursive: true, force: true});
  }, 90000);
});
