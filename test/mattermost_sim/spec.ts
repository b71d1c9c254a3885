// Mattermost's OpenAPI v4 spec, loaded once per process, matches and validates every simulator request.
// Known quirks of the 2023 spec are patched here (see shared/specs/README.md and reference/fidelity.md §4);
// openapi-backend itself runs in spec_worker.mjs (see there why).

import {readFileSync} from 'node:fs';
import {Worker} from 'node:worker_threads';
import {findSpec} from '../support/spec_path.js';

export const SPEC_FILE = 'mattermost-openapi-v4.json';

type Json = Record<string, unknown>;

export interface ValidationFailure {
  readonly where: 'body' | 'query' | 'path';
  readonly name: string;
  readonly detail: string;
}

export type SpecCheck =
  | {readonly kind: 'not_found'}
  | {readonly kind: 'method_not_allowed'}
  | {readonly kind: 'ok'; readonly operationId: string; readonly pathParams: Readonly<Record<string, string>>; readonly failure?: ValidationFailure};

export interface SpecRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Parsed JSON body, or the text fields of a multipart form; undefined when there was none. */
  readonly body: unknown;
}

export interface SpecValidator {
  check(request: SpecRequest): Promise<SpecCheck>;
}

interface RawError {
  instancePath: string;
  message: string;
  missingProperty?: string;
}

type WorkerMessage =
  | {type: 'ready'}
  | {type: 'init_failed'; failure: string}
  | {type: 'result'; id: number; failure?: string; result?: {kind: 'ok'; operationId: string; pathParams: Record<string, string>; error?: RawError} | {kind: 'not_found' | 'method_not_allowed'}};

let cached: Promise<SpecValidator> | undefined;

/** The shared validator; the first call reads the spec and starts the worker, later calls reuse it. */
export function loadSpec(): Promise<SpecValidator> {
  cached ??= startValidator();
  return cached;
}

function readDefinition(): Json {
  const definition = JSON.parse(readFileSync(findSpec(SPEC_FILE), 'utf8')) as Json;
  // Template URLs ("your-mattermost-url.com") would make the router expect a path prefix.
  delete definition['servers'];
  rewriteUntypedNullable(definition);
  // The spec types post `props` as a string for update/patch, but the server decodes model.Post.Props,
  // a JSON object (StringInterface): https://github.com/mattermost/mattermost/blob/master/server/public/model/post.go
  for (const path of ['/api/v4/posts/{post_id}', '/api/v4/posts/{post_id}/patch']) {
    const props = dig(definition, ['paths', path, 'put', 'requestBody', 'content', 'application/json', 'schema', 'properties', 'props']);
    if (props !== undefined) props['type'] = 'object';
  }
  return definition;
}

/** Ajv refuses `nullable` without `type` (ProductLimits); express it the JSON Schema way instead. */
function rewriteUntypedNullable(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(rewriteUntypedNullable);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Json;
  for (const value of Object.values(obj)) rewriteUntypedNullable(value);
  if (obj['nullable'] === true && obj['type'] === undefined) {
    const inner: Json = {...obj};
    delete inner['nullable'];
    for (const key of Object.keys(obj)) delete obj[key];
    obj['anyOf'] = [inner, {type: 'null'}];
  }
}

function dig(root: Json, keys: readonly string[]): Json | undefined {
  let cur: unknown = root;
  for (const key of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Json)[key];
  }
  return cur !== null && typeof cur === 'object' ? (cur as Json) : undefined;
}

/** "/requestBody/active must be boolean" → {where: body, name: active}; missing properties name the property. */
function toFailure(error: RawError): ValidationFailure {
  const segments = error.instancePath.split('/').filter((s) => s !== '');
  const where = segments[0] === 'query' ? 'query' : segments[0] === 'path' ? 'path' : 'body';
  const tail = segments.slice(1);
  if (error.missingProperty !== undefined && error.missingProperty !== 'requestBody') tail.push(error.missingProperty);
  const name = tail.length > 0 ? tail.join('.') : where === 'body' ? 'body' : 'parameter';
  return {where, name, detail: `${error.instancePath || '/'} ${error.message}`};
}

async function startValidator(): Promise<SpecValidator> {
  const worker = new Worker(new URL('./spec_worker.mjs', import.meta.url), {workerData: {definition: readDefinition()}});
  const pending = new Map<number, {resolve: (c: SpecCheck) => void; reject: (e: Error) => void}>();
  let nextId = 0;
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'ready') resolve();
      else if (msg.type === 'init_failed') reject(new Error(`Mattermost spec failed to load: ${msg.failure}`));
      else {
        const waiter = pending.get(msg.id);
        pending.delete(msg.id);
        if (waiter === undefined) return;
        if (msg.result === undefined) waiter.reject(new Error(`spec validation failed: ${msg.failure ?? 'unknown error'}`));
        else if (msg.result.kind !== 'ok') waiter.resolve({kind: msg.result.kind});
        else {
          const {operationId, pathParams, error} = msg.result;
          waiter.resolve(error === undefined ? {kind: 'ok', operationId, pathParams} : {kind: 'ok', operationId, pathParams, failure: toFailure(error)});
        }
      }
    });
    worker.on('error', (e) => {
      reject(e);
      for (const w of pending.values()) w.reject(e);
      pending.clear();
      cached = undefined;
    });
  });
  // Once it is up, the worker must never keep a test run or the sandbox alive on its own; until then it has to,
  // or a process that is only waiting for it would exit. (After the listeners, which ref it.)
  worker.unref();
  return {
    check: (request) => new Promise<SpecCheck>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, {resolve, reject});
      worker.postMessage({id, request});
    }),
  };
}
