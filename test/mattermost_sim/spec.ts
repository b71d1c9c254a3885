// Mattermost's OpenAPI v4 spec, loaded once per process, matches and validates every simulator request.
// Known quirks of the 2023 spec are patched here (see shared/specs/README.md and reference/fidelity.md §4);
// openapi-backend itself runs in spec_worker.mjs (see there why).

import {readFileSync} from 'node:fs';
import {findSpec} from '../support/spec_path.js';
import {describeFailure, type RawError, startSpecWorker} from '../support/spec_worker_client.js';

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

type RawResult =
  | {kind: 'ok'; operationId: string; pathParams: Record<string, string>; error?: RawError}
  | {kind: 'not_found' | 'method_not_allowed'};

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

async function startValidator(): Promise<SpecValidator> {
  const call = await startSpecWorker<RawResult>(new URL('./spec_worker.mjs', import.meta.url),
    {definition: readDefinition()}, 'Mattermost spec', () => { cached = undefined; });
  return {
    async check(request) {
      const result = await call(request);
      if (result.kind !== 'ok') return {kind: result.kind};
      const {operationId, pathParams, error} = result;
      if (error === undefined) return {kind: 'ok', operationId, pathParams};
      const {where, field, detail} = describeFailure(error);
      return {kind: 'ok', operationId, pathParams, failure: {where, name: field, detail}};
    },
  };
}
