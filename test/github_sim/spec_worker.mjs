// Runs openapi-backend for spec.ts in a worker thread, in plain JavaScript: openapi-backend (CommonJS) requires the
// ESM-only @apidevtools/json-schema-ref-parser, which Jest's module runtime cannot load on Node 20 (see
// test/mattermost_sim/spec_worker.mjs). The worker reads the 13 MB spec itself: cheaper than cloning it across threads.
// Paths that only GitHub Enterprise Cloud has (SAML credential authorizations) come from ghec.json, loaded on first use.

import {readFileSync} from 'node:fs';
import {parentPort, workerData} from 'node:worker_threads';
import {OpenAPIBackend} from 'openapi-backend';
import {firstRequestError} from '../support/spec_validate.mjs';

/** Ajv refuses `nullable` without `type` (145 GitHub schemas): express it the JSON Schema way (fidelity.md §2). */
function rewriteUntypedNullable(node) {
  if (Array.isArray(node)) {
    node.forEach(rewriteUntypedNullable);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const value of Object.values(node)) rewriteUntypedNullable(value);
  if (node.nullable === true && node.type === undefined) {
    const inner = {...node};
    delete inner.nullable;
    for (const key of Object.keys(node)) delete node[key];
    node.anyOf = [inner, {type: 'null'}];
  }
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Path templates grouped by segment count. openapi-backend's own router flattens and tries all 1,200 operations on
 * every request (about 11 ms each); this table answers in microseconds. Among templates that
 * match, the one with literal segments further left wins (`/orgs/{org}/repos` over `/orgs/{org}/{x}`).
 */
function buildRoutes(definition) {
  const bySize = new Map();
  for (const [template, item] of Object.entries(definition.paths)) {
    const segments = template.split('/').slice(1).map((s) => (/^\{[^}]+\}$/.test(s) ? {param: s.slice(1, -1)} : {literal: s}));
    const operations = {};
    for (const m of METHODS) if (item[m]) operations[m] = item[m].operationId;
    const list = bySize.get(segments.length) ?? [];
    list.push({template, segments, operations});
    bySize.set(segments.length, list);
  }
  for (const list of bySize.values()) {
    const rank = (r) => r.segments.map((s) => (s.literal === undefined ? '1' : '0')).join('');
    list.sort((a, b) => rank(a).localeCompare(rank(b)));
  }
  return bySize;
}

async function load(file) {
  const definition = JSON.parse(readFileSync(file, 'utf8'));
  // "https://api.github.com" as a server would make the router expect that origin's (empty) path prefix; drop it.
  delete definition.servers;
  rewriteUntypedNullable(definition);
  const routes = buildRoutes(definition);
  // Formats (date-time, uri, ...) are not checked: requests carry few, and Ajv would warn about each unknown one.
  const api = new OpenAPIBackend({definition, quick: true, validate: true, ajvOpts: {strict: false, validateFormats: false}});
  await api.init();
  // getOperation() flattens every path again on each call; look operations up in a map built once instead.
  const operations = new Map(api.getOperations().map((op) => [op.operationId, op]));
  return {api, routes, operations};
}

const GHEC_ONLY = [/^\/orgs\/[^/]+\/credential-authorizations(\/[^/]+)?$/];
const main = await load(workerData.mainFile).catch((e) => e);
let ghec;

function match({routes, operations}, method, path) {
  const parts = path.split('/').slice(1).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  let pathMatched = false;
  for (const route of routes.get(parts.length) ?? []) {
    const params = {};
    const fits = route.segments.every((s, i) => {
      const part = parts[i];
      if (s.literal !== undefined) return s.literal === part;
      params[s.param] = part;
      return part !== '';
    });
    if (!fits) continue;
    pathMatched = true;
    const operationId = route.operations[method];
    if (operationId !== undefined) return {operation: operations.get(operationId), params};
  }
  return {miss: pathMatched ? 'method_not_allowed' : 'not_found'};
}

async function check({method, path, query, body, contentType}) {
  const req = {method: method.toLowerCase(), path, headers: {'content-type': contentType || 'application/json'}};
  let spec = main;
  if (GHEC_ONLY.some((r) => r.test(path))) {
    ghec ??= load(workerData.ghecFile);
    spec = await ghec;
  }
  const found = match(spec, req.method, path);
  if (found.miss) return {kind: found.miss};
  const {operation, params} = found;
  const api = spec.api;
  return {
    kind: 'ok', operationId: operation.operationId, route: operation.path, pathParams: params,
    error: firstRequestError(api, operation, req, query, body),
  };
}

if (main instanceof Error) {
  parentPort.postMessage({type: 'init_failed', failure: String(main)});
} else {
  parentPort.postMessage({type: 'ready'});
  parentPort.on('message', ({id, request}) => {
    check(request).then(
      (result) => parentPort.postMessage({type: 'result', id, result}),
      (e) => parentPort.postMessage({type: 'result', id, failure: String(e)}),
    );
  });
}
