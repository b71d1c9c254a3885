// The shape of a step action: read() observes the target state with fresh API reads, act() changes it. execute()
// acts only when read() says the state is not reached yet; verify() is read() alone. A 404 from GitHub also means
// "you may not see this", so a read that rests on a 404 is only believed when the same call shows the credential
// administers the organization (owner-only fields of GET /orgs/{org} are present).
import {PermanentError} from '../../engine/errors.js';
import type {JsonObject, StepSpec} from '../../engine/types.js';
import {type GithubClient, isNotFound} from './client.js';

export interface Observation<S = unknown> {
  /** True when the access is gone (or the target no longer exists). */
  readonly satisfied: boolean;
  /** Ids, names, counts seen: never secrets. */
  readonly evidence: JsonObject;
  /** What is left, one line, when not satisfied. */
  readonly remaining?: string;
  /** What act() needs from the read, so it does not read twice. */
  readonly state?: S;
}

export interface ActionHandler<S = unknown> {
  /** What this step needs the credential to be allowed, for error messages. */
  readonly needs: string;
  read(api: GithubClient, step: StepSpec): Promise<Observation<S>>;
  /** Performs the change and answers its evidence; a 404 makes execute() read again before it decides. */
  act(api: GithubClient, step: StepSpec, before: Observation<S>): Promise<JsonObject>;
}

/** Erases a handler's state type so handlers of different actions fit one table. */
export function handler<S>(h: ActionHandler<S>): ActionHandler {
  return h as ActionHandler;
}

/** The value of `read`, or undefined when GitHub answers 404. */
export async function orGone<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Whether the credential administers the client's organization (asked alongside reads that may end in 404). */
export async function administers(api: GithubClient): Promise<boolean> {
  const info = await api.request('GET /orgs/{org}', {org: api.org});
  return info.data.default_repository_permission !== undefined;
}

/** A read that ended in 404 counts as "gone" only when the credential administers the organization. */
export function confirmedGone(isAdmin: boolean, what: string): void {
  if (!isAdmin) {
    throw new PermanentError(`GitHub answered 404 for ${what}, but the credential does not administer the organization, `
      + 'so that may mean "not allowed to see it" rather than "gone".');
  }
}
