// The calling side of a simulator's spec-validation worker thread (openapi-backend cannot load inside jest on Node 20,
// so each simulator validates in a worker): start it, wait until it is ready, and send requests with ids.
import {Worker} from 'node:worker_threads';

/** One Ajv error as the workers report it. */
export interface RawError {
  instancePath: string;
  message: string;
  missingProperty?: string;
}

type WorkerMessage<R> =
  | {type: 'ready'}
  | {type: 'init_failed'; failure: string}
  | {type: 'result'; id: number; failure?: string; result?: R};

/** "/requestBody/active must be boolean" → where: body, field: active; missing properties name the property. */
export function describeFailure(error: RawError): {where: 'query' | 'path' | 'body'; field: string; detail: string} {
  const segments = error.instancePath.split('/').filter((s) => s !== '');
  const where = segments[0] === 'query' ? 'query' : segments[0] === 'path' ? 'path' : 'body';
  const tail = segments.slice(1);
  if (error.missingProperty !== undefined && error.missingProperty !== 'requestBody') tail.push(error.missingProperty);
  const field = tail.length > 0 ? tail.join('.') : where === 'body' ? 'body' : 'parameter';
  return {where, field, detail: `${error.instancePath || '/'} ${error.message}`};
}

/**
 * Starts the worker and resolves once it has loaded its spec. `onCrash` runs when the worker dies, so the caller can
 * drop its cached instance; every call then in flight is rejected.
 */
export async function startSpecWorker<R>(url: URL, workerData: unknown, what: string, onCrash: () => void):
  Promise<(request: unknown) => Promise<R>> {
  const worker = new Worker(url, {workerData});
  const pending = new Map<number, {resolve: (r: R) => void; reject: (e: Error) => void}>();
  let nextId = 0;
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (msg: WorkerMessage<R>) => {
      if (msg.type === 'ready') return resolve();
      if (msg.type === 'init_failed') return reject(new Error(`${what} failed to load: ${msg.failure}`));
      const waiter = pending.get(msg.id);
      pending.delete(msg.id);
      if (waiter === undefined) return undefined;
      if (msg.result === undefined) return waiter.reject(new Error(`spec validation failed: ${msg.failure ?? 'unknown'}`));
      return waiter.resolve(msg.result);
    });
    worker.on('error', (e) => {
      reject(e);
      for (const w of pending.values()) w.reject(e);
      pending.clear();
      onCrash();
    });
  });
  // Once up, the worker must never keep a test run or the sandbox alive on its own; until then it has to, or a
  // process only waiting for it would exit. (After the listeners, which ref it.)
  worker.unref();
  return (request) => new Promise<R>((resolve, reject) => {
    const id = nextId++;
    pending.set(id, {resolve, reject});
    worker.postMessage({id, request});
  });
}
