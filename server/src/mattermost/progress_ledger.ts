// Exactly-once thread replies across restarts and replicas. A reply is claimed in the run's audit trail before it is
// sent and marked sent after: appends are totally ordered per run, so every process agrees on whose claim stands.
import type {RunStore} from '../engine/ports.js';
import type {AuditEvent, Clock} from '../engine/types.js';

export const REPLY_CLAIMED = 'progress.reply_claimed';
export const REPLY_SENT = 'progress.reply_sent';
/** A claim not marked sent within this time is presumed dead (its process crashed) and may be taken over. */
export const CLAIM_TAKEOVER_MS = 60_000;
const MAX_CACHED_RUNS = 1000;

export type Claim =
  | {readonly kind: 'sent'}
  /** Ours to send; after a takeover the caller first checks the thread for a reply the dead claimant did post. */
  | {readonly kind: 'mine'; readonly takeover: boolean}
  /** Another process holds it; ask again at `retryAt` in case it died. */
  | {readonly kind: 'held'; readonly retryAt: number};

function sentKeys(events: readonly AuditEvent[]): Set<string> {
  return new Set(events.filter((e) => e.action === REPLY_SENT).map((e) => e.target));
}

/**
 * The claim that stands for `key`: the first one, replaced by a later claim only if that was made at least
 * CLAIM_TAKEOVER_MS after the standing one (a takeover). Deterministic for everyone reading the same trail.
 */
export function standingClaim(events: readonly AuditEvent[], key: string):
  {readonly owner: string; readonly at: number; readonly takeover: boolean} | undefined {
  let standing: {owner: string; at: number; takeover: boolean} | undefined;
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.action !== REPLY_CLAIMED || e.target !== key) continue;
    const owner = typeof e.evidence.owner === 'string' ? e.evidence.owner : '';
    if (!standing) standing = {owner, at: e.at, takeover: false};
    else if (e.at >= standing.at + CLAIM_TAKEOVER_MS) standing = {owner, at: e.at, takeover: true};
  }
  return standing;
}

export class ReplyLedger {
  private readonly sent = new Map<string, Set<string>>();

  /** `owner` must be unique per process: a restarted process must not mistake its predecessor's claims for its own. */
  constructor(private readonly store: RunStore, private readonly clock: Clock, private readonly owner: string) {}

  /** Fast path: keys known sent, read from the trail once per run and kept up to date by this process. */
  async isSent(runId: string, key: string): Promise<boolean> {
    let keys = this.sent.get(runId);
    if (!keys) keys = this.remember(runId, await this.store.listAudit(runId));
    return keys.has(key);
  }

  async claim(runId: string, key: string): Promise<Claim> {
    const before = await this.store.listAudit(runId);
    if (this.remember(runId, before).has(key)) return {kind: 'sent'};
    const held = standingClaim(before, key);
    if (held?.owner === this.owner) return {kind: 'mine', takeover: held.takeover};
    const now = this.clock.now();
    if (held && now < held.at + CLAIM_TAKEOVER_MS) return {kind: 'held', retryAt: held.at + CLAIM_TAKEOVER_MS};
    await this.store.appendAudit(runId, {
      actor: 'system', action: REPLY_CLAIMED, target: key, outcome: 'claimed', evidence: {owner: this.owner}, at: now,
    });
    // Another process may have claimed in between: the order in the trail decides, the same way for everyone.
    const after = await this.store.listAudit(runId);
    if (this.remember(runId, after).has(key)) return {kind: 'sent'};
    const standing = standingClaim(after, key);
    if (standing?.owner === this.owner) return {kind: 'mine', takeover: standing.takeover};
    return {kind: 'held', retryAt: (standing?.at ?? now) + CLAIM_TAKEOVER_MS};
  }

  async markSent(runId: string, key: string, postId: string): Promise<void> {
    await this.store.appendAudit(runId, {
      actor: 'system', action: REPLY_SENT, target: key, outcome: 'sent', evidence: {owner: this.owner, post_id: postId},
      at: this.clock.now(),
    });
    this.sent.get(runId)?.add(key);
  }

  private remember(runId: string, events: readonly AuditEvent[]): Set<string> {
    const keys = sentKeys(events);
    this.sent.delete(runId);
    if (this.sent.size >= MAX_CACHED_RUNS) {
      const oldest = this.sent.keys().next();
      if (!oldest.done) this.sent.delete(oldest.value);
    }
    this.sent.set(runId, keys);
    return keys;
  }
}
