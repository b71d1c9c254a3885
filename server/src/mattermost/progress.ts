// The progress reporter: keeps each run's channel, card and thread in Mattermost in step with the store. Card edits are
// coalesced (at most one per second per run, leading and trailing edge), work is serialised per run, and a Mattermost
// failure is logged and retried later: it never reaches the executor or loses a run.
import {errorMessage} from '../engine/errors.js';
import type {RunStore} from '../engine/ports.js';
import {isTerminalRun, isTerminalStep} from '../engine/run_state.js';
import type {Clock, Logger, Run, Step} from '../engine/types.js';
import {TERMINAL_RUN_STATUSES} from '../engine/types.js';
import type {MattermostClient} from './client.js';
import {ReplyLedger} from './progress_ledger.js';
import {type CardClient, cardShows, classifyCardFailure, ensureCard} from './progress_card.js';
import {postDueReplies, type ReplyClient} from './progress_replies.js';
import {isIdle, newRunState, type RunState} from './progress_state.js';
import {
  type CardActions, cardFingerprint, type CardOptions, renderRunCard, type RenderedPost,
} from './run_card.js';

export type ProgressClient = CardClient & ReplyClient & Pick<MattermostClient, 'patchPost'>;

export interface ProgressOptions {
  readonly store: RunStore;
  readonly mm: ProgressClient;
  readonly clock: Clock;
  readonly log: Logger;
  readonly botUserId: string;
  /** Unique per process (replica id + a random part): names this process's reply claims. */
  readonly owner: string;
  readonly teamName: string;
  readonly reviewers: readonly string[];
  readonly providerTitles?: ReadonlyMap<string, string>;
  /** Buttons on the card; null renders none. */
  readonly actions: CardActions | null;
  readonly minEditIntervalMs?: number;
  /** How long runCreated() waits for the channel and card before answering without them. */
  readonly createWaitMs?: number;
}

/** What the service layer tells the reporter (ServiceDeps.progress). */
export interface RunProgressSink {
  /** Creates the run's channel and card; never throws; returns the run with channelId/postId when they exist. */
  runCreated(run: Run): Promise<Run>;
  /** The run changed outside the executor (admin action): refresh card and replies. */
  changed(runId: string): void;
}

const MAX_BACKOFF_MS = 60_000;
/** After this many failures in a row a run is retried only when it changes again. */
const MAX_FAILURES = 30;
const RESUME_TERMINAL_RUNS = 20;
const MAX_TRACKED_RUNS = 500;

export class ProgressReporter implements RunProgressSink {
  private readonly runs = new Map<string, RunState>();
  private readonly active = new Set<Promise<void>>();
  private readonly ledger: ReplyLedger;
  private readonly interval: number;
  private readonly cardOptions: CardOptions;
  private closed = false;
  private flushing = 0;

  constructor(private readonly o: ProgressOptions) {
    this.ledger = new ReplyLedger(o.store, o.clock, o.owner);
    this.interval = o.minEditIntervalMs ?? 1000;
    this.cardOptions = o.providerTitles ? {providerTitles: o.providerTitles} : {};
  }

  /** The Executor's onChange hook: synchronous and never throws. */
  readonly onChange = (run: Run, steps: Step[], changed: Step | null): void => {
    this.touch(run.id, !changed || isTerminalRun(run.status) || changed.state === 'failed'
      || (isTerminalStep(changed.state) && steps.every((s) => s.provider !== changed.provider || isTerminalStep(s.state))));
  };

  changed(runId: string): void {
    this.touch(runId, true);
  }

  async runCreated(run: Run): Promise<Run> {
    try {
      this.state(run.id).cardDirty = true;
      const work = this.queueCard(run.id);
      const timeout = new AbortController();
      await Promise.race([work, this.o.clock.sleep(this.o.createWaitMs ?? 10_000, timeout.signal).catch(() => undefined)]);
      timeout.abort();
      return (await this.o.store.getRun(run.id)) ?? run;
    } catch (e) {
      this.o.log.warn({err: errorMessage(e), runId: run.id}, 'progress: run channel not ready yet');
      return run;
    }
  }

  /** At start: unfinished runs and the latest finished ones catch up on anything a stopped process left undone. */
  async resume(): Promise<void> {
    try {
      const open = await this.o.store.listRuns({statuses: ['scheduled', 'awaiting_approval', 'running']});
      const done = await this.o.store.listRuns({statuses: TERMINAL_RUN_STATUSES, limit: RESUME_TERMINAL_RUNS});
      for (const run of [...open, ...done]) this.touch(run.id, true);
    } catch (e) {
      this.o.log.warn({err: errorMessage(e)}, 'progress: resume failed');
    }
  }

  /** Posts every pending card edit (trailing edges included, still an interval apart) and waits for all queued work. */
  async flush(): Promise<void> {
    this.flushing += 1;
    try {
      for (const [runId, st] of this.runs) {
        if (!st.cardTimer) continue;
        st.cardTimer.abort();
        st.cardTimer = null;
        void this.queueCard(runId);
      }
      while (this.active.size > 0) await Promise.allSettled([...this.active]);
    } finally {
      this.flushing -= 1;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    for (const st of this.runs.values()) st.repliesTimer?.abort();
  }

  private touch(runId: string, replies: boolean): void {
    if (this.closed) return;
    try {
      this.state(runId).cardDirty = true;
      this.scheduleCard(runId);
      if (replies) this.scheduleReplies(runId, 0);
    } catch (e) {
      this.o.log.error({err: errorMessage(e), runId}, 'progress: scheduling failed');
    }
  }

  private state(runId: string): RunState {
    let st = this.runs.get(runId);
    if (!st) {
      st = newRunState();
      if (this.runs.size >= MAX_TRACKED_RUNS) this.forgetIdleRuns();
      this.runs.set(runId, st);
    }
    return st;
  }

  /** Finished runs with nothing pending whose last edit is an interval old: a later change starts afresh. */
  private forgetIdleRuns(): void {
    const now = this.o.clock.now();
    for (const [runId, st] of this.runs) {
      if (isIdle(st) && st.finished && now - st.lastEditAt >= this.interval) this.runs.delete(runId);
    }
  }

  /** Runs `task` after everything queued for the run; errors are logged, never thrown. */
  private enqueue(runId: string, task: () => Promise<void>): Promise<void> {
    const st = this.state(runId);
    const next = st.chain.then(task).catch((e: unknown) => {
      this.o.log.error({err: errorMessage(e), runId}, 'progress: update failed');
    }).finally(() => {
      st.pending -= 1;
      this.active.delete(next);
    });
    st.chain = next;
    st.pending += 1;
    this.active.add(next);
    return next;
  }

  private backoff(failures: number): number {
    return failures === 0 ? this.interval : Math.min(MAX_BACKOFF_MS, this.interval * 2 ** Math.min(failures, 10));
  }

  /** Leading edge at once; later changes within the interval wait for one trailing edit. */
  private scheduleCard(runId: string): void {
    const st = this.state(runId);
    if (st.cardQueued || st.cardTimer || this.closed) return;
    const wait = st.lastEditAt + this.backoff(st.cardFailures) - this.o.clock.now();
    if (wait <= 0) {
      void this.queueCard(runId);
      return;
    }
    st.cardTimer = this.timer(wait, () => {
      st.cardTimer = null;
      void this.queueCard(runId);
    });
  }

  private queueCard(runId: string): Promise<void> {
    this.state(runId).cardQueued = true;
    return this.enqueue(runId, () => this.cardTask(runId));
  }

  /** Calls `fire` after `ms` unless aborted first (flush and close abort timers and do the work themselves). */
  private timer(ms: number, fire: () => void): AbortController {
    const timer = new AbortController();
    // systemClock resolves an aborted sleep rather than rejecting it: hence the check.
    void this.o.clock.sleep(ms, timer.signal).then(() => { if (!timer.signal.aborted) fire(); }, () => undefined);
    return timer;
  }

  private scheduleReplies(runId: string, delayMs: number): void {
    const st = this.state(runId);
    if (this.closed) return;
    if (delayMs > 0) {
      st.repliesTimer ??= this.timer(delayMs, () => {
        st.repliesTimer = null;
        this.scheduleReplies(runId, 0);
      });
      return;
    }
    if (st.repliesQueued) return;
    st.repliesQueued = true;
    void this.enqueue(runId, async () => {
      st.repliesQueued = false;
      await this.repliesTask(runId);
    });
  }

  private render(run: Run, steps: readonly Step[]): RenderedPost {
    return renderRunCard(run, steps, this.o.actions, this.cardOptions);
  }

  private async cardTask(runId: string): Promise<void> {
    const st = this.state(runId);
    st.cardQueued = false;
    if (!st.cardDirty) return;
    if (!(await this.editSlot(st))) {
      this.scheduleCard(runId);
      return;
    }
    st.cardDirty = false;
    let wrote = false;
    try {
      const run = await this.o.store.getRun(runId);
      if (!run) return;
      st.finished = isTerminalRun(run.status);
      const steps = await this.o.store.listSteps(runId);
      if (!run.channelId || !run.postId) {
        wrote = true;
        const made = await ensureCard({...this.o, render: (r, s) => this.render(r, s)}, run, steps);
        st.fingerprint = made.fingerprint;
        // An adopted card (from an interrupted attempt) may show an old state.
        if (made.fingerprint === undefined) st.cardDirty = true;
        st.cardFailures = 0;
        this.scheduleReplies(runId, 0);
        return;
      }
      if (st.frozen) return;
      const card = this.render(run, steps);
      const fingerprint = cardFingerprint(card);
      if (fingerprint === st.fingerprint) return;
      if (st.fingerprint === undefined && await cardShows(this.o.mm, run.postId, card)) {
        st.fingerprint = fingerprint;
        return;
      }
      wrote = true;
      await this.o.mm.patchPost(run.postId, {message: card.message, props: card.props});
      st.fingerprint = fingerprint;
      st.cardFailures = 0;
    } catch (e) {
      await this.cardFailed(runId, st, e);
    } finally {
      // Measured from the end of the write: Mattermost sees the edits of one run at least an interval apart.
      if (wrote) st.lastEditAt = this.o.clock.now();
      if (st.cardDirty && !this.closed && st.cardFailures < MAX_FAILURES) this.scheduleCard(runId);
    }
  }

  /** True when the run may be edited now; while flushing it waits out the interval instead of deferring. */
  private async editSlot(st: RunState): Promise<boolean> {
    const wait = st.lastEditAt + this.backoff(st.cardFailures) - this.o.clock.now();
    if (wait <= 0) return true;
    if (this.flushing === 0) return false;
    await this.o.clock.sleep(Math.min(wait, this.interval));
    return true;
  }

  private async cardFailed(runId: string, st: RunState, e: unknown): Promise<void> {
    st.cardFailures += 1;
    const failure = classifyCardFailure(e);
    st.frozen = failure === 'frozen';
    st.cardDirty = !st.frozen;
    // A deleted card is posted again on the next attempt.
    if (failure === 'gone') {
      await this.o.store.transitionRun(runId, [], {postId: null, updatedAt: this.o.clock.now()}).catch(() => undefined);
    }
    this.o.log.warn({err: errorMessage(e), runId, failures: st.cardFailures}, st.frozen
      ? 'progress: Mattermost refuses edits of the run card (PostEditTimeLimit); replies go on'
      : 'progress: run card not updated');
  }

  private async repliesTask(runId: string): Promise<void> {
    const st = this.state(runId);
    try {
      const run = await this.o.store.getRun(runId);
      // Replies need the card as their root; the card task schedules them once it exists.
      if (!run?.channelId || !run.postId) return;
      const ctx = {store: this.o.store, mm: this.o.mm, botUserId: this.o.botUserId, options: this.cardOptions};
      const retryAt = await postDueReplies(ctx, this.ledger, run, await this.o.store.listSteps(runId));
      st.replyFailures = 0;
      if (retryAt !== undefined) this.scheduleReplies(runId, Math.max(1, retryAt - this.o.clock.now()));
    } catch (e) {
      st.replyFailures += 1;
      this.o.log.warn({err: errorMessage(e), runId, failures: st.replyFailures}, 'progress: thread reply not posted');
      if (st.replyFailures < MAX_FAILURES) this.scheduleReplies(runId, this.backoff(st.replyFailures));
    }
  }
}
