// The executor loop: starts scheduled runs when due, settles steps that became manual or unreachable, claims
// ready steps within each provider's concurrency, runs them without blocking the loop, and finishes runs.
import {errorMessage} from './errors.js';
import {readySteps} from './plan.js';
import {countSteps, nextRunStatus} from './run_state.js';
import {runStep} from './step_runner.js';
import type {RunStore, StepPatch} from './ports.js';
import type {
  AnyProvider, AuditInput, Clock, JsonObject, Logger, ProviderContext, ProviderId, Run, RunStatus, Step, StepState,
} from './types.js';

export interface ExecutorOptions {
  readonly store: RunStore;
  readonly providers: ReadonlyMap<ProviderId, AnyProvider>;
  /** Builds a provider's context (config, limiter, logger); the executor replaces `signal` with one per step. */
  readonly contexts: (providerId: ProviderId) => ProviderContext<unknown>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Unique per replica (e.g. hostname + pid): leases are held in its name. */
  readonly owner: string;
  readonly leaseMs: number;
  readonly pollMs: number;
  /** Called after each state change with fresh copies of the run and its steps; `changed` is null for run changes. */
  readonly onChange?: (run: Run, steps: Step[], changed: Step | null) => void;
}

interface InFlight {
  readonly provider: ProviderId;
  readonly promise: Promise<void>;
}

export class Executor {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly notifications = new Set<Promise<void>>();
  private readonly loopAbort = new AbortController();
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly opts: ExecutorOptions) {}

  /** One pass over all due and running runs. Returns how many steps it started. */
  async tick(): Promise<number> {
    if (this.stopping) return 0;
    await this.guard('starting scheduled runs', () => this.startDueRuns());
    const runs = (await this.opts.store.listRuns({statuses: ['running']}))
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    let started = 0;
    for (const run of runs) {
      if (this.stopping) break;
      started += (await this.guard(`run ${run.id}`, () => this.tickRun(run))) ?? 0;
    }
    return started;
  }

  /** Ticks every pollMs until `signal` aborts or stop() is called; resolves after in-flight steps settle. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.loop) throw new Error('executor already started');
    const abort = this.loopAbort;
    if (signal?.aborted) abort.abort();
    signal?.addEventListener('abort', () => abort.abort(), {once: true});
    this.loop = (async () => {
      while (!abort.signal.aborted) {
        await this.guard('tick', () => this.tick());
        try {
          await this.opts.clock.sleep(this.opts.pollMs, abort.signal);
        } catch {
          break;
        }
      }
    })();
    await this.loop;
    await this.idle();
  }

  /** Stops claiming new steps and waits for the steps in flight to finish and record their results. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.loopAbort.abort();
    await this.loop;
    await this.idle();
  }

  /** Resolves when no step is in flight and every onChange notification has been delivered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.notifications.size > 0) {
      await Promise.allSettled([...[...this.inFlight.values()].map((f) => f.promise), ...this.notifications]);
    }
  }

  /** Steps this executor is running now, per provider. */
  running(providerId?: ProviderId): number {
    return [...this.inFlight.values()].filter((f) => providerId === undefined || f.provider === providerId).length;
  }

  private get actor(): string {
    return `executor:${this.opts.owner}`;
  }

  private event(action: string, target: string, outcome: string, evidence: JsonObject): AuditInput {
    return {actor: this.actor, action, target, outcome, evidence, at: this.opts.clock.now()};
  }

  private async startDueRuns(): Promise<void> {
    const now = this.opts.clock.now();
    for (const run of await this.opts.store.listRuns({statuses: ['scheduled']})) {
      if (run.scheduledAt !== null && run.scheduledAt > now) continue;
      const started = await this.opts.store.transitionRun(run.id, ['scheduled'],
        {status: 'running', startedAt: now, updatedAt: now},
        this.event('run.started', run.id, 'running', {scheduledAt: run.scheduledAt}));
      if (started) this.notify(run.id, null);
    }
  }

  private async tickRun(run: Run): Promise<number> {
    const {store, owner, leaseMs} = this.opts;
    const now = this.opts.clock.now();
    const steps = await store.listSteps(run.id);
    const current = new Map(steps.map((s) => [s.id, s]));
    const ready = readySteps(steps, now);

    const settle = async (step: Step, to: StepState, patch: StepPatch, event: AuditInput): Promise<void> => {
      const updated = await store.updateStep(run.id, step.id, ['pending'], null, {...patch, state: to}, event);
      if (!updated) return;
      current.set(step.id, updated);
      this.notify(run.id, updated);
    };
    for (const {step, reason} of ready.toSkip) {
      await settle(step, 'skipped', {error: reason, finishedAt: now, updatedAt: now},
        this.event('step.skipped', step.id, 'skipped', {reason}));
    }
    for (const step of ready.toManualPending) {
      const evidence: JsonObject = {};
      if (step.instructions !== undefined) evidence.instructions = step.instructions;
      if (step.assignee !== undefined) evidence.assignee = step.assignee;
      await settle(step, 'manual_pending', {updatedAt: now},
        this.event('step.manual_pending', step.id, 'manual_pending', evidence));
    }

    let started = 0;
    for (const [providerId, group] of groupByProvider(ready.claimable)) {
      const provider = this.opts.providers.get(providerId);
      if (!provider) {
        const reason = `provider ${providerId} is not configured`;
        for (const step of group.filter((s) => s.state === 'pending')) {
          await settle(step, 'failed', {error: reason, finishedAt: now, updatedAt: now},
            this.event('step.failed', step.id, 'failed', {error: reason}));
        }
        continue;
      }
      let capacity = provider.limits.concurrency - this.running(providerId);
      const candidates = group.map((s) => s.id).filter((id) => !this.inFlight.has(key(run.id, id)));
      while (capacity > 0 && candidates.length > 0 && !this.stopping) {
        const claimed = await store.claimStep(run.id, candidates, owner, now, leaseMs,
          (step) => this.startEvent(step, current.get(step.id)));
        if (!claimed) break;
        candidates.splice(candidates.indexOf(claimed.id), 1);
        capacity -= 1;
        started += 1;
        current.set(claimed.id, claimed);
        this.notify(claimed.runId, claimed);
        this.launch(provider, claimed);
      }
    }

    if (started === 0) {
      const status = nextRunStatus([...current.values()]);
      if (status) await this.finishRun(run, status, [...current.values()]);
    }
    return started;
  }

  /** The start event, written by the store in the claim's own transaction; names the owner a lease was taken from. */
  private startEvent(claimed: Step, before: Step | undefined): AuditInput {
    const evidence: JsonObject = {attempt: claimed.attempts};
    if (before?.state === 'running' && before.leaseOwner) evidence.reclaimedFrom = before.leaseOwner;
    return this.event('step.started', claimed.id, 'running', evidence);
  }

  private launch(provider: AnyProvider, step: Step): void {
    const id = key(step.runId, step.id);
    const deps = {...this.opts, notify: (runId: string, changed: Step) => this.notify(runId, changed)};
    const promise = this.guard(`step ${step.id}`, () => runStep(deps, provider, this.opts.contexts(provider.id), step))
      .then(() => undefined)
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, {provider: provider.id, promise});
  }

  private async finishRun(run: Run, status: RunStatus, steps: Step[]): Promise<void> {
    const {store} = this.opts;
    const now = this.opts.clock.now();
    const done = await store.transitionRun(run.id, ['running'], {status, finishedAt: now,
      updatedAt: now}, this.event(`run.${status}`, run.id, status, {counts: countSteps(steps)}));
    if (!done) return;
    this.notify(run.id, null);
    // An admin may have retried a step between our read and the transition: reopen rather than strand it.
    const after = await store.listSteps(run.id);
    if (nextRunStatus(after) !== undefined) return;
    const reopened = await store.transitionRun(run.id, [done.status],
      {status: 'running', finishedAt: null, updatedAt: this.opts.clock.now()},
      this.event('run.reopened', run.id, 'running', {reason: 'steps pending again'}));
    if (reopened) this.notify(run.id, null);
  }

  private notify(runId: string, changed: Step | null): void {
    const listener = this.opts.onChange;
    if (!listener) return;
    const delivery = this.guard('change notification', async () => {
      const [run, steps] = await Promise.all([this.opts.store.getRun(runId), this.opts.store.listSteps(runId)]);
      if (run) listener(run, steps, changed);
    }).then(() => undefined);
    this.notifications.add(delivery);
    void delivery.finally(() => this.notifications.delete(delivery));
  }

  /** Runs `fn`, logging instead of throwing: one run's or one step's failure must never stop the loop. */
  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      this.opts.log.error({err: errorMessage(e)}, `executor: ${what} failed`);
      return undefined;
    }
  }
}

function key(runId: string, stepId: string): string {
  return `${runId}\u0000${stepId}`;
}

function groupByProvider(steps: readonly Step[]): Map<ProviderId, Step[]> {
  const groups = new Map<ProviderId, Step[]>();
  for (const step of steps) groups.set(step.provider, [...(groups.get(step.provider) ?? []), step]);
  return groups;
}
