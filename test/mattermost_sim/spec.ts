// Loads Mattermost's OpenAPI v4 spec once per process and validates simulator requests against it.
// Known quirks of the 2023 spec are patched here (see shared/specs/README.md and reference/fidelity.md §4).

import {readFileSync} from 'node:fs';
import {OpenAPIBackend} from 'openapi-backend';
import type {Operation} from 'openapi-backend';
import {findSpec} from '../support/spec_path.js';

export const SPEC_FILE = 'mattermost-openapi-v4.json';

type Json = Record<string, unknown>;

export interface MatchedOperation {
  readonly operationId: string;
  readonly pathParams: Readonly<Record<string, string>>;
  /** Query parameters the spec declares for this operation. */
  readonly declaredQuery: ReadonlySet<string>;
  readonly operation: Operation;
}

export type MatchResult = {kind: 'ok'; match: MatchedOperation} | {kind: 'not_found'} | {kind: 'method_not_allowed'};

export interface ValidationFailure {
  readonly where: 'body' | 'query' | 'path';
  readonly name: string;
  readonly detail: string;
}

let cached: Promise<OpenAPIBackend> | undefined;

/** The shared, initialised backend. Validators are compiled lazily per operation and reused by every simulator. */
export function loadSpec(): Promise<OpenAPIBackend> {
  cached ??= (async () => {
    const definition = JSON.parse(readFileSync(findSpec(SPEC_FILE), 'utf8')) as Json;
    patchKnownQuirks(definition);
    const api = new OpenAPIBackend({definition: definition as never, quick: true, validate: true, ajvOpts: {strict: false}});
    await api.init();
    return api;
  })();
  return cached;
}

function patchKnownQuirks(definition: Json): void {
  // Template URLs ("your-mattermost-url.com") would make the router expect a path prefix.
  delete definition['servers'];
  rewriteUntypedNullable(definition);
  // The spec types post `props` as a string for update/patch, but the server decodes model.Post.Props,
  // a JSON object (StringInterface): https://github.com/mattermost/mattermost/blob/master/server/public/model/post.go
  for (const [path, method] of [['/api/v4/posts/{post_id}', 'put'], ['/api/v4/posts/{post_id}/patch', 'put']] as const) {
    const props = dig(definition, ['paths', path, method, 'requestBody', 'content', 'application/json', 'schema', 'properties', 'props']);
    if (props !== undefined) props['type'] = 'object';
  }
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

export function matchOperation(api: OpenAPIBackend, method: string, path: string): MatchResult {
  const req = {method: method.toLowerCase(), path, headers: {}};
  let operation: Operation;
  try {
    operation = api.router.matchOperation(req, true);
  } catch (e) {
    return String(e).includes('405') ? {kind: 'method_not_allowed'} : {kind: 'not_found'};
  }
  const {params} = api.router.parseRequest(req, operation);
  const declaredQuery = new Set<string>();
  for (const p of operation.parameters ?? []) {
    if ('in' in p && p.in === 'query') declaredQuery.add(p.name);
  }
  return {kind: 'ok', match: {operationId: operation.operationId ?? '', pathParams: params, declaredQuery, operation}};
}

/**
 * Validates query (declared parameters only: the real server ignores unknown ones), path parameters and body.
 * `body` is the parsed JSON (or the text fields of a multipart form); undefined when the request had none.
 */
export function validateAgainstSpec(
  api: OpenAPIBackend,
  match: MatchedOperation,
  req: {method: string; path: string; query: URLSearchParams; body: unknown},
): ValidationFailure | undefined {
  const query: Record<string, string | string[]> = {};
  for (const name of match.declaredQuery) {
    const values = req.query.getAll(name);
    if (values.length === 1) query[name] = values[0] as string;
    else if (values.length > 1) query[name] = values;
  }
  const result = api.validator.validateRequest(
    {method: req.method.toLowerCase(), path: req.path, query, headers: {'content-type': 'application/json'}, body: req.body as never},
    match.operation,
  );
  const first = result.errors?.[0];
  if (result.valid || first === undefined) return undefined;
  const segments = first.instancePath.split('/').filter((s) => s !== '');
  const missing = typeof first.params['missingProperty'] === 'string' ? first.params['missingProperty'] : undefined;
  const where = segments[0] === 'query' ? 'query' : segments[0] === 'path' ? 'path' : 'body';
  const tail = segments.slice(1);
  if (missing !== undefined && missing !== 'requestBody') tail.push(missing);
  const name = tail.length > 0 ? tail.join('.') : where === 'body' ? 'body' : 'parameter';
  return {where, name, detail: `${first.instancePath || '/'} ${first.message ?? 'is invalid'}`};
}
