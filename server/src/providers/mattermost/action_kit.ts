// The shape of a step action: read() observes the target state with fresh API reads, act() changes it. execute()
// acts only when read() says the state is not reached yet; verify() is read() alone. That keeps both idempotent.
import type {JsonObject, StepSpec} from '../../engine/types.js';
import {isNotFound, type OffboardMattermostClient} from './client.js';

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

export interface ActionHandler<S = unknown> {
  read(api: OffboardMattermostClient, step: StepSpec): Promise<Observation<S>>;
  /** Performs the change and answers its evidence; a 404 makes execute() read again before it decides. */
  act(api: OffboardMattermostClient, step: StepSpec, before: Observation<S>): Promise<JsonObject>;
}

/** Erases a handler's state type so handlers of different actions fit one table. */
export function handler<S>(h: ActionHandler<S>): ActionHandler {
  return h as ActionHandler;
}

/** The value of `read`, or undefined when Mattermost says the target does not exist (404). */
export async function orGone<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
