// Runs openapi-backend in a worker thread for spec.ts. It lives here, in plain JavaScript, because openapi-backend
// (CommonJS) requires the ESM-only @apidevtools/json-schema-ref-parser: Node 20.19+ can do that natively, but Jest's
// module runtime cannot (require(esm) needs Node 24.9+ there), so the simulator must load it outside Jest's loader.

import {parentPort, workerData} from 'node:worker_threads';
import {OpenAPIBackend} from 'openapi-backend';
import {firstRequestError} from '../support/spec_validate.mjs';

const api = new OpenAPIBackend({definition: workerData.definition, quick: true, validate: true, ajvOpts: {strict: false}});

function check({method, path, query, body}) {
  const req = {method: method.toLowerCase(), path, headers: {'content-type': 'application/json'}};
  let operation;
  try {
    operation = api.router.matchOperation(req, true);
  } catch (e) {
    return {kind: String(e).includes('405') ? 'method_not_allowed' : 'not_found'};
  }
  const {params} = api.router.parseRequest(req, operation);
  return {
    kind: 'ok', operationId: operation.operationId, pathParams: params,
    error: firstRequestError(api, operation, req, query, body),
  };
}

api.init().then(
  () => {
    parentPort.postMessage({type: 'ready'});
    parentPort.on('message', ({id, request}) => {
      try {
        parentPort.postMessage({type: 'result', id, result: check(request)});
      } catch (e) {
        parentPort.postMessage({type: 'result', id, failure: String(e)});
      }
    });
  },
  (e) => parentPort.postMessage({type: 'init_failed', failure: String(e)}),
);
