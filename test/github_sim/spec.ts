// GitHub's REST description from @octokit/openapi (generated/api.github.com.json, plus ghec.json for the Enterprise
// Cloud-only paths), loaded once per process in a worker thread (spec_worker.mjs) that matches and validates every
// simulator request. Never `import '@octokit/openapi'`: its index loads all ten descriptions (fidelity.md §2).
import {join} from 'node:path';
import {Worker} from 'node:worker_threads';
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

interface RawError {
  instancePath: string;
  message: string;
  missingProperty?: string;
}

type RawResult =
  | {kind: 'ok'; operationId: string; route: string; pathParams: Record<string, string>; error?: RawError}
  | {kind: 'not_found' | 'method_not_allowed'};

type WorkerMessage =
  | {type: 'ready'}
  | {type: 'init_failed'; failure: string}
  | {type: 'result'; id: number; failure?: string; result?: RawResult};

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

/** "/requestBody/permission must be string" → {where: body, field: permission}. */
function toFailure(error: RawError): ValidationFailure {
  const segments = error.instancePath.split('/').filter((s) => s !== '');
  const where = segments[0] === 'query' ? 'query' : segments[0] === 'path' ? 'path' : 'body';
  const tail = segments.slice(1);
  if (error.missingProperty !== undefined && error.missingProperty !== 'requestBody') tail.push(error.missingProperty);
  const field = tail.length > 0 ? tail.join('.') : where === 'body' ? 'body' : 'parameter';
  return {where, field, detail: `${error.instancePath || '/'} ${error.message}`};
}

async function startValidator(): Promise<SpecValidator> {
  const dir = openapiDir();
  const worker = new Worker(new URL('./spec_worker.mjs', import.meta.url), {
    workerData: {mainFile: join(dir, 'api.github.com.json'), ghecFile: join(dir, 'ghec.json')},
  });
  const pending = new Map<number, {resolve: (c: SpecCheck) => void; reject: (e: Error) => void}>();
  let nextId = 0;
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'ready') return resolve();
      if (msg.type === 'init_failed') return reject(new Error(`GitHub OpenAPI description failed to load: ${msg.failure}`));
      const waiter = pending.get(msg.id);
      pending.delete(msg.id);
      if (waiter === undefined) return undefined;
      const result = msg.result;
      if (result === undefined) return waiter.reject(new Error(`spec validation failed: ${msg.failure ?? 'unknown'}`));
      if (result.kind !== 'ok') return waiter.resolve({kind: result.kind});
      const {operationId, route, pathParams, error} = result;
      return waiter.resolve(error === undefined
        ? {kind: 'ok', operationId, route, pathParams}
        : {kind: 'ok', operationId, route, pathParams, failure: toFailure(error)});
    });
    worker.on('error', (e) => {
      reject(e);
      for (const w of pending.values()) w.reject(e);
      pending.clear();
      cached = undefined;
    });
  });
  // Up and running, the worker must never keep a test run or the sandbox alive on its own.
  worker.unref();
  return {
    check: (request) => new Promise<SpecCheck>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, {resolve, reject});
      worker.postMessage({id, request});
    }),
  };
}
