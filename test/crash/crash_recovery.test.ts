// Crash recovery across processes: the service runs as its own OS process (`offboard start`), is SIGKILLed in the
// middle of a run, and a new process finishes that run with no step lost and none executed twice.
import {afterAll, describe, expect, it} from '@jest/globals';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {verifyChain} from '../../server/src/audit/chain.js';
import {freePort, writeSandboxConfig} from '../../server/src/cli/sandbox_config.js';
import type {Step} from '../../server/src/engine/types.js';
import {openStore, type SqlRunStore} from '../../server/src/store/index.js';
import {type MattermostSim, seedWorkspace, startMattermostSim} from '../mattermost_sim/index.js';
import {effectInPlace, effectWrites} from './effects.js';
import {checkRecovery} from './recovery_checks.js';
import {type ServiceProcess, startServiceProcess} from './service_process.js';
import {addWorkload, rpcClient, startOffboarding} from './workload.js';

/**
 * Sized so the run lasts ~15 s: the provider paces Mattermost calls at 10/s (3 per step), so a kill at 30% leaves
 * seconds of margin on both sides. More tokens or latency make it longer; fewer make the kill point racy.
 */
const WORKLOAD = {tokens: 30, teams: 2, channelsPerTeam: 2, incomingHooks: 2, outgoingHooks: 1};
const LATENCY_MS = 50;
const KILL_AT_FRACTION = 0.3;
const LEASE_MS = 1500;
/** Long past LATENCY_MS: the simulator has answered (or dropped) whatever the killed process had sent. */
const SETTLE_MS = 1000;
const FINISHED = ['done', 'already_done', 'failed', 'skipped', 'manual_done'];
const TERMINAL_RUN = ['completed', 'completed_with_errors', 'cancelled'];
const ROOT = process.cwd();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const finished = (steps: readonly Step[]) => steps.filter((s) => FINISHED.includes(s.state)).length;
const summary = (steps: readonly Step[]) => steps.map((s) => `${s.id} ${s.state} attempts=${s.attempts}`
  + ` owner=${s.leaseOwner ?? '-'}${s.error ? ` error=${s.error}` : ''}`).join('\n');

describe('crash recovery: SIGKILL of the service process mid-run', () => {
  const children: ServiceProcess[] = [];
  let sim: MattermostSim | undefined;
  let store: SqlRunStore | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'offboard-crash-'));

  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill()));
    await store?.close();
    await sim?.close();
    rmSync(dir, {recursive: true, force: true});
  });

  it('finishes the run after a restart with no step lost and none executed twice', async () => {
    const mm = await startMattermostSim({});
    sim = mm;
    const seed = seedWorkspace(mm);
    addWorkload(mm, seed, WORKLOAD);
    const {config, path} = writeSandboxConfig({
      dir, mattermostUrl: mm.url, botToken: seed.botToken, port: await freePort(), logLevel: 'info',
      overrides: {engine: {lease_ms: LEASE_MS, poll_ms: 50}, database: {sqlite_path: join(dir, 'offboard.sqlite')}},
    });
    const spawnService = async () => {
      const child = await startServiceProcess({root: ROOT, configPath: path, serviceUrl: config.service.public_url});
      children.push(child);
      return child;
    };

    const first = await spawnService();
    mm.setLatency(LATENCY_MS);
    const rpc = rpcClient(mm, seed);
    const {runId, planSteps} = await startOffboarding(rpc, seed.subject.username);
    expect(planSteps).toBeGreaterThanOrEqual(WORKLOAD.tokens + 10);

    // The kill point comes from the store (the test process reads the same WAL-mode SQLite file) and the simulator,
    // never from a timer: the worst moment is a step whose change Mattermost already applied but whose result the
    // service has not recorded yet. The process is frozen (SIGSTOP) while that is confirmed, so nothing moves between
    // the last look and the SIGKILL.
    const watcher = await openStore({kind: 'sqlite', path: config.database.sqlite_path});
    store = watcher;
    const killPoint = async (): Promise<boolean> => {
      const [run, steps] = await Promise.all([watcher.getRun(runId), watcher.listSteps(runId)]);
      if (run && run.status !== 'running') {
        throw new Error(`the run reached ${run.status} before it could be killed (${finished(steps)}/${steps.length} `
          + 'steps finished): increase WORKLOAD or LATENCY_MS in this test');
      }
      return finished(steps) >= Math.ceil(steps.length * KILL_AT_FRACTION)
        && steps.some((s) => s.state === 'running' && effectInPlace(mm, s));
    };
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (await killPoint()) {
        await first.pause();
        if (await killPoint()) break;
        first.resume();
      }
      if (Date.now() > deadline) {
        throw new Error(`no kill point within 30 s:\n${summary(await watcher.listSteps(runId))}\n${first.output()}`);
      }
      await sleep(10);
    }
    const exit = await first.kill('SIGKILL');
    expect(exit.signal).toBe('SIGKILL');

    // Requests the dead process had sent may still be in the (slow) simulator; let them land so its state shows every
    // change that got through before the new process looks.
    await sleep(SETTLE_MS);
    const atKill = await watcher.listSteps(runId);
    const inFlight = atKill.filter((s) => s.state === 'running');
    const inPlaceAtKill = new Map(atKill.filter((s) => !FINISHED.includes(s.state))
      .map((s) => [s.id, effectInPlace(mm, s)]));
    expect(finished(atKill)).toBeGreaterThanOrEqual(Math.ceil(atKill.length * KILL_AT_FRACTION));
    expect(finished(atKill)).toBeLessThan(atKill.length);
    // At least one step was caught between Mattermost applying its change and the service recording it.
    expect(inFlight.filter((s) => inPlaceAtKill.get(s.id)).length).toBeGreaterThan(0);

    const restartedAt = Date.now();
    const second = await spawnService();
    expect(second.owner).not.toBe(first.owner);

    const finishBy = Date.now() + 45_000;
    for (;;) {
      const run = await watcher.getRun(runId);
      if (run && TERMINAL_RUN.includes(run.status)) break;
      if (Date.now() > finishBy) {
        throw new Error(`the run did not finish after the restart (status ${run?.status}):\n`
          + `${summary(await watcher.listSteps(runId))}\n${second.output()}`);
      }
      await sleep(100);
    }

    const run = await watcher.getRun(runId);
    const final = await watcher.listSteps(runId);
    expect({status: run?.status, steps: final.length}).toEqual({status: 'completed', steps: atKill.length});
    expect(final.filter((s) => !['done', 'already_done'].includes(s.state) || s.verified !== true)).toEqual([]);
    // The live service may still append (progress replies): the head is read first, so the events read after it hold
    // at least everything up to it; the whole list must chain, and the part up to the recorded head must match it.
    const head = await watcher.getAuditHead(runId);
    const events = await watcher.listAudit(runId);
    expect(head).toBeDefined();
    expect(verifyChain(events)).toEqual({ok: true, problems: []});
    expect(verifyChain(events.filter((e) => e.seq <= (head?.seq ?? 0)), head)).toEqual({ok: true, problems: []});

    const problems = checkRecovery({
      atKill, inPlaceAtKill, final, events, restartedAt,
      writes: effectWrites(mm.requests, seed.botUserId), oldOwner: first.owner, newOwner: second.owner,
    });
    expect(problems).toEqual([]);
    // Every change is in place in the simulator, whoever made it.
    expect(final.filter((s) => !effectInPlace(mm, s)).map((s) => s.id)).toEqual([]);

    // The restarted service answers for the run it inherited, through Mattermost like the webapp.
    const view = await rpc<{run: {status: string; total_steps: number}}>('run.get', {run_id: runId, per_page: 1});
    expect(view.run).toMatchObject({status: 'completed', total_steps: final.length});
  }, 90_000);
});
