// The hash chain: RFC 8785 hashing, and detection of edited, deleted, reordered and truncated events.
import {createHash} from 'node:crypto';
import {describe, expect, it} from '@jest/globals';
import {PermanentError} from '../engine/errors.js';
import type {AuditEvent, AuditInput, Json} from '../engine/types.js';
import {buildAuditEvent, GENESIS_HASH, hashEvent, verifyChain} from './chain.js';

function input(action: string, evidence: {[key: string]: Json} = {}, at = 1_000): AuditInput {
  return {actor: 'system', action, target: 'run', outcome: 'ok', evidence, at};
}

function chain(length: number, runId = 'r1'): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let i = 0; i < length; i += 1) {
    events.push(buildAuditEvent(events.at(-1), runId, input(`e${i + 1}`, {i}, 1_000 + i)));
  }
  return events;
}

function headOf(events: readonly AuditEvent[]): {seq: number; hash: string} {
  const last = events.at(-1)!;
  return {seq: last.seq, hash: last.hash};
}

describe('hashEvent / buildAuditEvent', () => {
  it('hashes the RFC 8785 canonical JSON of the event and its prevHash', () => {
    const event = buildAuditEvent(undefined, 'r1', input('run.created', {b: [true, null], a: 1}));
    const canonical = '{"action":"run.created","actor":"system","at":1000,"evidence":{"a":1,"b":[true,null]},' +
      `"outcome":"ok","prevHash":"${GENESIS_HASH}","runId":"r1","seq":1,"target":"run"}`;
    expect(event.seq).toBe(1);
    expect(event.prevHash).toBe(GENESIS_HASH);
    expect(event.hash).toBe(createHash('sha256').update(canonical).digest('hex'));
    expect(hashEvent(event.prevHash, event)).toBe(event.hash);
  });

  it('links each event to the previous hash', () => {
    const [first, second] = chain(2);
    expect(second).toMatchObject({seq: 2, prevHash: first!.hash});
    expect(buildAuditEvent({seq: 0, hash: GENESIS_HASH}, 'r1', input('x'))).toMatchObject({seq: 1,
      prevHash: GENESIS_HASH});
  });

  it('hashes exactly what is stored: member order and undefined members do not matter', () => {
    const a = buildAuditEvent(undefined, 'r1', input('x', {a: 1, b: 2}));
    const b = buildAuditEvent(undefined, 'r1', input('x', {b: 2, a: 1, gone: undefined as unknown as Json}));
    expect(b.hash).toBe(a.hash);
    expect(b.evidence).toEqual({a: 1, b: 2});
  });

  it('refuses events it cannot hash faithfully', () => {
    expect(() => buildAuditEvent(undefined, 'r1', {...input('x'), actor: ''})).toThrow(PermanentError);
    expect(() => buildAuditEvent(undefined, 'r1', input('x', {}, 1.5))).toThrow(/epoch milliseconds/);
    expect(() => buildAuditEvent(undefined, 'r1', input('x', [] as never))).toThrow(/JSON object/);
    expect(() => buildAuditEvent(undefined, 'r1', input('x', {n: 1n as unknown as Json}))).toThrow(/serialisable/);
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain, with or without its head, and an empty one', () => {
    const events = chain(5);
    expect(verifyChain(events)).toEqual({ok: true, problems: []});
    expect(verifyChain(events, headOf(events))).toEqual({ok: true, problems: []});
    expect(verifyChain([], {seq: 0, hash: GENESIS_HASH})).toEqual({ok: true, problems: []});
  });

  it('detects an edited event', () => {
    const events = chain(5);
    events[2] = {...events[2]!, evidence: {i: 99}};
    expect(verifyChain(events, headOf(events)).problems).toEqual([
      {seq: 3, reason: 'hash mismatch: the event was altered'},
    ]);
  });

  it('detects an edited event whose hash was recomputed, at the next link', () => {
    const events = chain(5);
    const forged = {...events[2]!, outcome: 'failed'};
    events[2] = {...forged, hash: hashEvent(forged.prevHash, forged)};
    expect(verifyChain(events).problems).toEqual([{seq: 4, reason: 'prevHash does not match the previous event'}]);
  });

  it('detects a deleted middle event and a deleted first event', () => {
    const events = chain(5);
    const withoutMiddle = [...events.slice(0, 2), ...events.slice(3)];
    expect(verifyChain(withoutMiddle).problems).toEqual([
      {seq: 4, reason: 'gap: expected seq 3, events are missing'},
      {seq: 4, reason: 'prevHash does not match the previous event'},
    ]);
    const withoutFirst = verifyChain(events.slice(1));
    expect(withoutFirst.ok).toBe(false);
    expect(withoutFirst.problems.map((p) => p.seq)).toEqual([2, 2]);
  });

  it('detects a deleted last event only with the recorded head', () => {
    const events = chain(5);
    const head = headOf(events);
    const truncated = events.slice(0, 4);
    expect(verifyChain(truncated).ok).toBe(true);
    expect(verifyChain(truncated, head).problems).toEqual([
      {seq: 5, reason: 'truncated: the chain ends at seq 4 but the head is 5'},
    ]);
    expect(verifyChain([], head).ok).toBe(false);
  });

  it('detects a replaced last event and events beyond the head', () => {
    const events = chain(5);
    const head = headOf(events);
    const replaced = [...events.slice(0, 4), buildAuditEvent(events[3], 'r1', input('forged'))];
    expect(verifyChain(replaced).ok).toBe(true);
    expect(verifyChain(replaced, head).problems).toEqual([
      {seq: 5, reason: 'the last event does not match the recorded head hash'},
    ]);
    expect(verifyChain(events, {seq: 4, hash: events[3]!.hash}).problems).toEqual([
      {seq: 5, reason: 'events after the recorded head (seq 4)'},
    ]);
  });

  it('detects reordered events', () => {
    const events = chain(4);
    const swapped = [events[0]!, events[2]!, events[1]!, events[3]!];
    const result = verifyChain(swapped, headOf(events));
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({seq: 2, reason: 'out of order: follows seq 3'});
  });

  it('detects an event of another run spliced in', () => {
    const events = chain(3);
    const foreign = chain(3, 'r2');
    const result = verifyChain([events[0]!, foreign[1]!, events[2]!]);
    expect(result.problems).toContainEqual({seq: 2, reason: 'belongs to run r2'});
  });
});
