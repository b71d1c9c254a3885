// The read-then-act shape of provider steps (shared kit, not a provider): read() observes the target state with fresh
// API reads, act() changes it. execute() acts only when read() says the state is not reached; a "gone" answer while
// acting (404: also "not allowed to see it" on some APIs) counts only after a second read confirms it. verify() is
// read() alone. That keeps every step idempotent and its verification a fresh read.
import {PermanentError} from '../engine/errors.js';
import type {JsonObject, StepOutcome, StepSpec, VerifyResult} from '../engine/types.js';

export interface Observation<S = unknown> {
  /** True when the access is gone (or the target no longer exists). */
  readonly satisfied: boolean;
  /** Ids, names, counts and fingerprints seen: never secrets. */
  readonly evidence: JsonObject;
  /** What is left, one line, when not satisfied. */
  readonly remaining?: string;
  /** What act() needs from the read (e.g. the membership row), so it does not read twice. */
  readonly state?: S;
}

export interface ReadAct<Api, S = unknown> {
  read(api: Api, step: StepSpec): Promise<Observation<S>>;
  /** Performs the change and answers its evidence; a "gone" error makes execute() read again before it decides. */
  act(api: Api, step: StepSpec, before: Observation<S>): Promise<JsonObject>;
}

export interface ReadActOptions {
  /** Vendor name for messages ("GitHub"). */
  readonly vendor: string;
  /** Whether an error from act() says the target is already gone (usually a 404). */
  readonly isGone: (e: unknown) => boolean;
}

export async function executeReadAct<Api>(api: Api, h: ReadAct<Api>, step: StepSpec, o: ReadActOptions):
  Promise<StepOutcome> {
  const before = await h.read(api, step);
  if (before.satisfied) return {kind: 'already_done', evidence: before.evidence};
  try {
    return {kind: 'done', evidence: await h.act(api, step, before)};
  } catch (e) {
    if (!o.isGone(e)) throw e;
    const after = await h.read(api, step);
    if (!after.satisfied) {
      throw new PermanentError(`${o.vendor} answered 404 to "${step.title}", yet ${after.remaining
        ?? 'the access is unchanged'}.`, {cause: e, details: after.evidence});
    }
    return {kind: 'already_done', evidence: {...after.evidence, gone_during_change: true}};
  }
}

export async function verifyReadAct<Api>(api: Api, h: ReadAct<Api>, step: StepSpec): Promise<VerifyResult> {
  const seen = await h.read(api, step);
  return seen.satisfied
    ? {ok: true, evidence: seen.evidence}
    : {ok: false, evidence: seen.evidence, reason: seen.remaining ?? 'the access is still there'};
}

/** The value of `read`, or undefined when the vendor says the target does not exist. */
export async function orGone<T>(read: Promise<T>, isGone: (e: unknown) => boolean): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (isGone(e)) return undefined;
    throw e;
  }
}
