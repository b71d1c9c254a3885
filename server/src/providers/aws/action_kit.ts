// The shape of a step action: act() changes the target (or reports it already reached), read() observes the target
// state with fresh API reads. execute() trusts a NoSuchEntity only after read() confirms; verify() is read() alone.
import type {JsonObject, StepSpec} from '../../engine/types.js';
import type {AwsApi} from './client.js';

export interface Observation {
  /** True when the access is gone (or the target no longer exists). */
  readonly satisfied: boolean;
  /** Ids, names and states seen: never secrets. */
  readonly evidence: JsonObject;
  /** What is left, one line, when not satisfied. */
  readonly remaining?: string;
}

export interface ActResult {
  /** The target state was already reached before anything changed. */
  readonly already: boolean;
  readonly evidence: JsonObject;
}

export interface ActionHandler {
  /** The IAM permission the action needs, named when AWS answers AccessDenied. */
  readonly permission: string;
  act(api: AwsApi, step: StepSpec, now: number): Promise<ActResult>;
  read(api: AwsApi, step: StepSpec): Promise<Observation>;
}

export function done(evidence: JsonObject): ActResult {
  return {already: false, evidence};
}

export function already(evidence: JsonObject): ActResult {
  return {already: true, evidence};
}

export function seen(satisfied: boolean, evidence: JsonObject, remaining: string): Observation {
  return satisfied ? {satisfied, evidence} : {satisfied, evidence, remaining};
}
