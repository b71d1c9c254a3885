// Wires the fakes together for executor and action tests: one memory store, one fake clock, fake providers,
// executors by owner name, and a driver that ticks and moves time until a run finishes.
import {createRun} from '../actions.js';
import type {CreateRunInput} from '../actions.js';
import {Executor} from '../executor.js';
import type {ExecutorOptions} from '../executor.js';
import {isTerminalRun} from '../run_state.js';
import type {RunStore} from '../ports.js';
import type {Run, StepSpec, Subject} from '../types.js';
import {FakeClock} from './fake_clock.js';
import type {FakeProvider} from './fake_provider.js';
import {MemoryRunStore} from './memory_store.js';
import {RecordingLogger, testContexts} from './test_context.js';

export const SUBJECT: Subject = {
  userId: 'u-bob', username: 'bob', email: 'bob@example.com', displayName: 'Bob', roles: ['system_user'], isBot: false,
};

export const LEASE_MS = 30_000;
export const POLL_MS = 1_000;

export class Harness {
  readonly clock = new FakeClock();
  readonly store = new MemoryRunStore();
  readonly log = new RecordingLogger();
  private runCounter = 0;

  constructor(readonly providers: readonly FakeProvider[]) {}

  executor(owner = 'A', options: Partial<ExecutorOptions> & {store?: RunStore} = {}): Executor {
    return new Executor({
      store: this.store,
      providers: new Map(this.providers.map((p) => [p.id, p])),
      contexts: testContexts(this.clock, this.log),
      clock: this.clock,
      log: this.log.child({owner}),
      owner,
      leaseMs: LEASE_MS,
      pollMs: POLL_MS,
      ...options,
    });
  }

  async startRun(steps: readonly StepSpec[], extra: Partial<CreateRunInput> = {}): Promise<Run> {
    this.runCounter += 1;
    return createRun(this.store, this.clock, {
      id: `run-${this.runCounter}`, subject: SUBJECT, initiatorId: 'admin-1', planId: null, steps, options: {},
      requireApproval: false, ...extra,
    });
  }

  /** Ticks every executor, then moves time by `stepMs`, until the run is terminal. */
  async runUntilDone(executors: readonly Executor[], runId: string, stepMs = POLL_MS, maxRounds = 500): Promise<Run> {
    for (let round = 0; round < maxRounds; round++) {
      for (const executor of executors) await executor.tick();
      await this.clock.advance(0);
      const run = await this.store.getRun(runId);
      if (run && isTerminalRun(run.status)) return run;
      await this.clock.advance(stepMs);
    }
    const steps = await this.store.listSteps(runId);
    throw new Error(`run ${runId} did not finish: ${steps.map((s) => `${s.id}=${s.state}`).join(', ')}`);
  }

  async states(runId: string): Promise<Record<string, string>> {
    return Object.fromEntries((await this.store.listSteps(runId)).map((s) => [s.id, s.state]));
  }

  async actions(runId: string): Promise<string[]> {
    return (await this.store.listAudit(runId)).map((e) => `${e.action} ${e.target}`);
  }
}
