// Helpers for the simulator's own tests: a tiny REST and GraphQL caller that returns status, headers and parsed body.
import type {GithubSim} from './sim.js';

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
