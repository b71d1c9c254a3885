// The audit hash chain: each event's hash covers its content and the previous hash (RFC 8785 canonical JSON, SHA-256),
// so editing, deleting, reordering or truncating events is detectable. Pure functions; the store persists the result.
import {createHash} from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import {PermanentError} from '../engine/errors.js';
import type {AuditEvent, AuditInput, JsonObject} from '../engine/types.js';

/** prevHash of the first event of every run. */
export const GENESIS_HASH = '0'.repeat(64);

/** The last event of a run's chain as the store records it next to the run (seq 0 = no events yet). */
export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

export interface ChainProblem {
  readonly seq: number;
  readonly reason: string;
}

export interface ChainVerification {
  readonly ok: boolean;
  readonly problems: ChainProblem[];
}

/** The hashed fields of an event, everything except the hash itself. */
export type HashedEventFields = Omit<AuditEvent, 'prevHash' | 'hash'>;

type Canonicalize = (input: unknown) => string | undefined;
// The package is CommonJS (`module.exports = fn`) but its typings declare a default export; accept both shapes.
const canonicalize: Canonicalize = (canonicalizeModule as unknown as {default?: Canonicalize}).default
  ?? (canonicalizeModule as unknown as Canonicalize);

/** sha256 hex over the canonical JSON of the event's fields plus prevHash. */
export function hashEvent(prevHash: string, event: HashedEventFields): string {
  const text = canonicalize({
    runId: event.runId,
    seq: event.seq,
    at: event.at,
    actor: event.actor,
    action: event.action,
    target: event.target,
    outcome: event.outcome,
    evidence: event.evidence,
    prevHash,
  });
  if (text === undefined) throw new PermanentError('audit event cannot be canonicalised');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Builds the next event after `prev` (undefined = first event of the run). Evidence is normalised through JSON so
 * the hash covers exactly what is stored and read back (undefined members dropped, toJSON applied).
 */
export function buildAuditEvent(prev: AuditHead | undefined, runId: string, input: AuditInput): AuditEvent {
  assertText(runId, 'runId');
  assertText(input.actor, 'actor');
  assertText(input.action, 'action');
  if (typeof input.target !== 'string') throw new PermanentError('audit target must be a string');
  if (typeof input.outcome !== 'string') throw new PermanentError('audit outcome must be a string');
  if (!Number.isSafeInteger(input.at) || input.at < 0) {
    throw new PermanentError('audit time must be epoch milliseconds');
  }
  const evidence = normaliseEvidence(input.evidence);
  const seq = prev ? prev.seq + 1 : 1;
  const prevHash = prev && prev.seq > 0 ? prev.hash : GENESIS_HASH;
  const fields: HashedEventFields = {
    runId, seq, at: input.at, actor: input.actor, action: input.action, target: input.target,
    outcome: input.outcome, evidence,
  };
  return {...fields, prevHash, hash: hashEvent(prevHash, fields)};
}

/**
 * Checks a run's events in the order given (the store lists them by seq). With `head` (what the run row says the last
 * event is), a deleted or replaced last event is detected too.
 */
export function verifyChain(events: readonly AuditEvent[], head?: AuditHead): ChainVerification {
  const problems: ChainProblem[] = [];
  const runId = events[0]?.runId;
  let prev: AuditEvent | undefined;
  for (const event of events) {
    const expectedSeq = prev ? prev.seq + 1 : 1;
    if (event.runId !== runId) problems.push({seq: event.seq, reason: `belongs to run ${event.runId}`});
    if (prev && event.seq <= prev.seq) {
      problems.push({seq: event.seq, reason: `out of order: follows seq ${prev.seq}`});
    } else if (event.seq !== expectedSeq) {
      problems.push({seq: event.seq, reason: `gap: expected seq ${expectedSeq}, events are missing`});
    }
    const expectedPrev = prev ? prev.hash : GENESIS_HASH;
    if (event.prevHash !== expectedPrev) {
      problems.push({seq: event.seq, reason: 'prevHash does not match the previous event'});
    }
    if (hashEvent(event.prevHash, event) !== event.hash) {
      problems.push({seq: event.seq, reason: 'hash mismatch: the event was altered'});
    }
    prev = event;
  }
  if (head) {
    const lastSeq = prev?.seq ?? 0;
    if (lastSeq < head.seq) {
      problems.push({seq: head.seq, reason: `truncated: the chain ends at seq ${lastSeq} but the head is ${head.seq}`});
    } else if (lastSeq > head.seq) {
      problems.push({seq: lastSeq, reason: `events after the recorded head (seq ${head.seq})`});
    } else if (prev && prev.hash !== head.hash) {
      problems.push({seq: lastSeq, reason: 'the last event does not match the recorded head hash'});
    }
  }
  return {ok: problems.length === 0, problems};
}

function normaliseEvidence(evidence: JsonObject): JsonObject {
  if (evidence === null || typeof evidence !== 'object' || Array.isArray(evidence)) {
    throw new PermanentError('audit evidence must be a JSON object');
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(evidence);
  } catch (e) {
    throw new PermanentError('audit evidence is not JSON-serialisable', {cause: e});
  }
  if (text === undefined) throw new PermanentError('audit evidence is not JSON-serialisable');
  return JSON.parse(text) as JsonObject;
}

function assertText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new PermanentError(`audit ${field} must be a non-empty string`);
  }
}
