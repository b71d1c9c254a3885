// Mattermost's step handlers in the shared read-then-act shape (providers/read_act.ts), bound to its client.
import type {StepSpec} from '../../engine/types.js';
import {type Observation, orGone as orGoneWhen, type ReadAct} from '../read_act.js';
import {isNotFound, type OffboardMattermostClient} from './client.js';

export type {Observation} from '../read_act.js';

export interface ActionHandler<S = unknown> extends ReadAct<OffboardMattermostClient, S> {
  read(api: OffboardMattermostClient, step: StepSpec): Promise<Observation<S>>;
}

/** Erases a handler's state type so handlers of different actions fit one table. */
export function handler<S>(h: ActionHandler<S>): ActionHandler {
  return h as ActionHandler;
}

/** The value of `read`, or undefined when Mattermost says the target does not exist (404). */
export function orGone<T>(read: Promise<T>): Promise<T | undefined> {
  return orGoneWhen(read, isNotFound);
}
