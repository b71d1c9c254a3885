// GitHub's step handlers in the shared read-then-act shape (providers/read_act.ts). A 404 from GitHub also means
// "you may not see this", so a read that rests on a 404 is only believed when the same call shows the credential
// administers the organization (owner-only fields of GET /orgs/{org} are present).
import {PermanentError} from '../../engine/errors.js';
import type {StepSpec} from '../../engine/types.js';
import {type Observation, orGone as orGoneWhen, type ReadAct} from '../read_act.js';
import {type GithubClient, isNotFound} from './client.js';

export type {Observation} from '../read_act.js';

export interface ActionHandler<S = unknown> extends ReadAct<GithubClient, S> {
  /** What this step needs the credential to be allowed, for error messages. */
  readonly needs: string;
  read(api: GithubClient, step: StepSpec): Promise<Observation<S>>;
}

/** Erases a handler's state type so handlers of different actions fit one table. */
export function handler<S>(h: ActionHandler<S>): ActionHandler {
  return h as ActionHandler;
}

/** The value of `read`, or undefined when GitHub answers 404. */
export function orGone<T>(read: Promise<T>): Promise<T | undefined> {
  return orGoneWhen(read, isNotFound);
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
