// Helpers for the simulator's own tests: one seeded simulator per suite, and a tiny REST and GraphQL caller that
// returns status, headers and parsed body.
import {afterAll, beforeAll} from '@jest/globals';
import {seedGithubOrg, type SeededGithub} from './seed.js';
import {type GithubSim, startGithubSim} from './sim.js';

/** One simulator with the sandbox organization for the whole suite; `ready` receives both once they exist. */
export function useSeededGithubSim(ready: (sim: GithubSim, seed: SeededGithub) => void): void {
  let sim: GithubSim | undefined;
  beforeAll(async () => {
    sim = await startGithubSim();
    ready(sim, seedGithubOrg(sim));
  });
  afterAll(async () => {
    await sim?.close();
  });
}

export interface ApiResult {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON body (undefined when there is none). */
  readonly body: any;
}

export async function call(sim: GithubSim, token: string | undefined, method: string, path: string, body?: unknown,
  scheme = 'token'): Promise<ApiResult> {
  const headers: Record<string, string> = {accept: 'application/vnd.github+json'};
  if (token !== undefined) headers['authorization'] = `${scheme} ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${sim.url}${path}`, {method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)});
  const text = await res.text();
  return {status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text)};
}

export function gql(sim: GithubSim, token: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<ApiResult> {
  return call(sim, token, 'POST', '/graphql', {query, variables}, 'bearer');
}
