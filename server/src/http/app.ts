// The service's HTTP surface (fastify): Mattermost's command, action and dialog callbacks, health, readiness, metrics.
// Everything Mattermost sends is verified before use; refusals are counted and change nothing.
import formbody from '@fastify/formbody';
import Fastify, {type FastifyInstance, type FastifyReply} from 'fastify';
import {errorMessage} from '../engine/errors.js';
import type {Logger} from '../engine/types.js';
import {type CommandCaller, handleCommand} from '../mattermost/command.js';
import {type Authorize, handleAction, handleDialogSubmission, type VerifyTrigger} from '../mattermost/interactive.js';
import {CommandRefused} from '../mattermost/verify.js';
import type {ServiceDeps} from '../service/deps.js';
import {isRequestError} from '../service/errors.js';
import type {Metrics} from './metrics.js';

/** Verification as the HTTP layer needs it (mattermost/verify.ts plus the service's access rules). */
export interface Gate {
  verifyCommand(request: {headers: Record<string, string | string[] | undefined>; form: Record<string, unknown>}):
    Promise<CommandCaller>;
  readonly authorize: Authorize;
  readonly verifyTrigger: VerifyTrigger;
}

const BODY_LIMIT = 64 * 1024;
const READY_TIMEOUT_MS = 3000;

export async function buildHttpApp(deps: ServiceDeps, gate: Gate, metrics: Metrics): Promise<FastifyInstance> {
  const app = Fastify({logger: false, bodyLimit: BODY_LIMIT, return503OnClosing: true});
  await app.register(formbody, {bodyLimit: BODY_LIMIT});

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({route, status: String(reply.statusCode)}, reply.elapsedTime / 1000);
    deps.log.debug({method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime)}, 'http');
  });

  app.setErrorHandler((err: {statusCode?: number; message?: string}, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) deps.log.error({err: errorMessage(err)}, 'http handler failed');
    void reply.code(status).send({error: status === 500 ? 'internal error' : errorMessage(err)});
  });

  app.post('/mattermost/command', async (req, reply) => {
    const form = isRecord(req.body) ? req.body : {};
    let caller: CommandCaller;
    try {
      caller = await gate.verifyCommand({headers: req.headers, form});
    } catch (e) {
      // RPC refusals stay silent (empty text creates no post): the webapp reads props.error and may probe quietly.
      const text = typeof form.text === 'string' ? form.text : '';
      return refuse(reply, metrics, deps.log, e, /^\s*rpc\b/.test(text) ? accessProbe(text) ? 'probe' : 'rpc' : 'typed');
    }
    const verb = caller.text.trim().split(/\s+/)[0] || 'help';
    const response = await handleCommand(deps, caller);
    const props = response.props as {ok?: boolean; method?: string | null} | undefined;
    if (verb === 'rpc') metrics.rpc.inc({method: props?.method ?? 'unknown', outcome: props?.ok ? 'ok' : 'error'});
    if (verb === 'rpc' && accessProbe(caller.text)) metrics.accessProbes.inc({outcome: props?.ok ? 'allowed' : 'error'});
    metrics.commands.inc({verb: verb.startsWith('@') || !['rpc', 'help', 'list', 'status'].includes(verb) ? 'offboard' : verb,
      outcome: 'ok'});
    return reply.send(response);
  });

  app.post('/mattermost/dialog', async (req, reply) => {
    try {
      return reply.send(await handleDialogSubmission(deps, gate.authorize, req.body));
    } catch (e) {
      if (e instanceof CommandRefused || isRequestError(e)) {
        metrics.refusals.inc({reason: e instanceof CommandRefused ? e.reason : e.rpcCode});
        return reply.send({error: e.message});
      }
      throw e;
    }
  });

  app.post('/mattermost/action', async (req, reply) => {
    try {
      return reply.send(await handleAction(deps, gate.authorize, gate.verifyTrigger, req.body));
    } catch (e) {
      if (e instanceof CommandRefused || isRequestError(e)) {
        metrics.refusals.inc({reason: e instanceof CommandRefused ? e.reason : e.rpcCode});
        return reply.code(e instanceof CommandRefused ? 403 : 400).send({ephemeral_text: `:no_entry: ${e.message}`});
      }
      throw e;
    }
  });

  app.get('/healthz', async () => ({status: 'ok'}));

  app.get('/readyz', async (_req, reply) => {
    const [store, mattermost] = await Promise.all([
      probe(() => deps.store.ping()),
      probe(() => deps.mm.ping()),
    ]);
    const ready = store === 'ok' && mattermost === 'ok';
    return reply.code(ready ? 200 : 503).send({status: ready ? 'ready' : 'not ready', checks: {store, mattermost}});
  });

  app.get('/metrics', async (_req, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  return app;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The plugin's access question: the `capabilities` RPC (webapp/src/access.ts sends it once per user session). */
function accessProbe(text: string): boolean {
  return /^\s*rpc\s+capabilities\b/.test(text);
}

/**
 * Bad or missing tokens get 401 (the caller is not our Mattermost); other refusals a readable ephemeral reply, or
 * silence for the webapp's RPCs. A user the service does not allow, answered on the plugin's access probe, is routine
 * (every session asks): counted as a denied probe and logged at debug, not as a refusal.
 */
function refuse(reply: FastifyReply, metrics: Metrics, log: Logger, e: unknown, kind: 'typed' | 'rpc' | 'probe') {
  if (!(e instanceof CommandRefused)) throw e;
  const rpc = kind !== 'typed';
  if (kind === 'probe' && e.reason === 'not_allowed') {
    metrics.accessProbes.inc({outcome: 'denied'});
    log.debug({reason: e.reason}, 'access probe: user may not offboard');
  } else {
    metrics.refusals.inc({reason: e.reason});
    log.warn({reason: e.reason, rpc}, 'command refused');
  }
  if (e.reason === 'missing_token' || e.reason === 'bad_token') {
    return reply.code(401).send({error: e.message});
  }
  return reply.send({
    response_type: 'ephemeral',
    text: rpc ? '' : `:no_entry: ${e.message}`,
    props: {ok: false, method: null, error: {code: 'refused', reason: e.reason, message: e.message}},
  });
}

async function probe(fn: () => Promise<unknown>): Promise<string> {
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS).unref()),
    ]);
    return 'ok';
  } catch (e) {
    return errorMessage(e);
  }
}
