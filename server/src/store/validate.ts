// Input checks at the store boundary: bad input gets a clear PermanentError before anything is written.
import {PermanentError} from '../engine/errors.js';
import {PHASES, RUN_STATUSES, STEP_STATES} from '../engine/types.js';
import type {Json, Phase, RunStatus, StepState} from '../engine/types.js';

export function assertId(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) {
    throw new PermanentError(`${what} must be a non-empty string of at most 512 characters`);
  }
}

export function assertText(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') throw new PermanentError(`${what} must be a string`);
}

export function assertTime(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new PermanentError(`${what} must be epoch milliseconds`);
  }
}

export function assertTimeOrNull(value: unknown, what: string): asserts value is number | null {
  if (value !== null) assertTime(value, what);
}

export function assertCount(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new PermanentError(`${what} must be a non-negative integer`);
  }
}

export function assertRunStatus(value: unknown): asserts value is RunStatus {
  if (!RUN_STATUSES.includes(value as RunStatus)) throw new PermanentError(`unknown run status ${String(value)}`);
}

export function assertStepState(value: unknown): asserts value is StepState {
  if (!STEP_STATES.includes(value as StepState)) throw new PermanentError(`unknown step state ${String(value)}`);
}

export function assertPhase(value: unknown): asserts value is Phase {
  if (!PHASES.includes(value as Phase)) throw new PermanentError(`unknown phase ${String(value)}`);
}

export function assertOneOf<T extends string>(value: unknown, allowed: readonly T[], what: string):
  asserts value is T {
  if (!allowed.includes(value as T)) throw new PermanentError(`${what} must be one of ${allowed.join(', ')}`);
}

/** JSON text for a column; refuses values JSON cannot represent instead of storing something else. */
export function toJsonText(value: Json | readonly Json[] | object, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new PermanentError(`${what} is not JSON-serialisable`, {cause: e});
  }
  if (text === undefined) throw new PermanentError(`${what} is not JSON-serialisable`);
  return text;
}
