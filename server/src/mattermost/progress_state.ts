// What the progress reporter keeps per run between changes: its work queue, the coalescing timers, the last edit and
// what the card shows, and failure counts for back-off.

export interface RunState {
  chain: Promise<void>;
  cardDirty: boolean;
  cardQueued: boolean;
  cardTimer: AbortController | null;
  repliesQueued: boolean;
  repliesTimer: AbortController | null;
  lastEditAt: number;
  /** What the card shows now (without the button tokens, which change with every render). */
  fingerprint: string | undefined;
  cardFailures: number;
  replyFailures: number;
  /** Mattermost refuses edits (ServiceSettings.PostEditTimeLimit): replies go on, the card stays as it is. */
  frozen: boolean;
  /** The run was terminal when last read. */
  finished: boolean;
  /** Tasks queued or running. */
  pending: number;
}

export function newRunState(): RunState {
  return {
    chain: Promise.resolve(), cardDirty: false, cardQueued: false, cardTimer: null, repliesQueued: false,
    repliesTimer: null, lastEditAt: Number.NEGATIVE_INFINITY, fingerprint: undefined, cardFailures: 0,
    replyFailures: 0, frozen: false, finished: false, pending: 0,
  };
}

/** Nothing queued, running or waiting on a timer. */
export function isIdle(st: RunState): boolean {
  return st.pending === 0 && !st.cardDirty && !st.cardQueued && !st.cardTimer && !st.repliesQueued && !st.repliesTimer;
}
