// GitHub's REST description from @octokit/openapi (generated/api.github.com.json, plus ghec.json for the Enterprise
// Cloud-only paths), loaded once per process in a worker thread (spec_worker.mjs) that matches and validates every
// simulator request. Never `import '@octokit/openapi'`: its index loads all ten descriptions (fidelity.md §2).
import {join} from 'node:path';
import {describeFailure, type RawError, startSpecWorker} from '../support/spec_worker_client.js';
import {packageDir} from './packages.js';

export interface ValidationFailure {
  readonly where: 'body' | 'query' | 'path';
  /** The field, e.g. `permission` or `per_page`. */
  readonly field: string;
  readonly detail: string;
}

export type SpecCheck =
  | {readonly kind: 'not_found'}
  | {readonly kind: 'method_not_allowed'}
  | {
    readonly kind: 'ok';
    readonly operationId: string;
    /** The path template, e.g. `/repos/{owner}/{repo}/collaborators/{username}`: GitHub's "endpoint". */
    readonly route: string;
    readonly pathParams: Readonly<Record<string, string>>;
    readonly failure?: ValidationFailure;
  };

export interface SpecRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly body: unknown;
  readonly contentType?: string;
}

export interface SpecValidator {
  check(request: SpecRequest): Promise<SpecCheck>;
}

type RawResult =
  | {kind: 'ok'; operationId: string; route: string; pathParams: Record<string, string>; error?: RawError}
  | {kind: 'not_found' | 'method_not_allowed'};

/** The folder holding @octokit/openapi's generated descriptions. */
export function openapiDir(): string {
  return join(packageDir('@octokit/openapi'), 'generated');
}

let cached: Promise<SpecValidator> | undefined;

/** The shared validator: the first call starts the worker, later calls reuse it. */
export function loadSpec(): Promise<SpecValidator> {
  cached ??= startValidator();
  return cached;
}

async function startValidator(): Promise<SpecValidator> {
  const dir = openapiDir();
  const call = await startSpecWorker<RawResult>(new URL('./spec_worker.mjs', import.meta.url),
    {mainFile: join(dir, 'api.github.com.json'), ghecFile: join(dir, 'ghec.json')}, 'GitHub OpenAPI description',
    () => { cached = undefined; });
  return {
    async check(request) {
      const result = await call(request);
      if (result.kind !== 'ok') return {kind: result.kind};
      const {operationId, route, pathParams, error} = result;
      return error === undefined
        ? {kind: 'ok', operationId, route, pathParams}
        : {kind: 'ok', operationId, route, pathParams, failure: describeFailure(error)};
    },
  };
}
