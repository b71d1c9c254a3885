// RPC over the slash command: `/offboard rpc <method> <base64url(JSON)>` from the webapp, answered in `props`.
// The caller is already verified (token, signed trigger_id, fresh role check) before anything here runs.
import {errorMessage} from '../engine/errors.js';
import {type Json, MAX_ENTERED_IDENTITIES} from '../engine/types.js';
import type {ServiceDeps} from '../service/deps.js';
import {isRequestError, RequestError} from '../service/errors.js';
import {parseIdentityHints} from '../service/identity_hints.js';
import {assertOffboardable, getInventoryOrThrow, resolveSubject, startInventory} from '../service/inventory.js';
import {actOnRun, createPlan, getRunOrThrow, startRun} from '../service/runs.js';
import {
  pageOf, renderFinding, renderInventory, renderRun, renderStep, renderStepSpec, renderSubject,
} from '../service/views.js';
import {
  isRpcMethod, MAX_RPC_PAYLOAD_BYTES, RPC_SCHEMAS, RUN_ACTIONS, type RpcErrorCode, type RpcMethod, type RpcPayload,
} from './rpc_schema.js';

export interface RpcCaller {
  readonly userId: string;
  readonly username: string;
  readonly isSystemAdmin: boolean;
}

export type RpcReply =
  | {readonly ok: true; readonly method: RpcMethod; readonly result: Record<string, Json>}
  | {readonly ok: false; readonly method: string | null; readonly error: RpcError};

/** `field` names the payload entry the error is about (`assignees.<step id>`), so the modal can show it there. */
export type RpcError = {
  readonly code: RpcErrorCode;
  readonly message: string;
  readonly field?: string;
};

const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** Payload maps whose entries are fields in the modal. */
const FIELD_MAPS = ['identities', 'assignees'];

/** Parses `<method> <payload>` (the text after `rpc`) and runs the method; never throws. */
export async function handleRpc(deps: ServiceDeps, caller: RpcCaller, text: string): Promise<RpcReply> {
  const [method = '', encoded = '', ...rest] = text.trim().split(/\s+/);
  try {
    if (!isRpcMethod(method)) throw new RequestError('unknown_method', `Unknown RPC method "${method.slice(0, 40)}".`);
    if (rest.length > 0) throw new RequestError('bad_request', 'Expected exactly one payload after the method.');
    const payload = decodePayload(method, encoded);
    const result = await dispatch(deps, caller, method, payload);
    return {ok: true, method, result};
  } catch (e) {
    const known = isRequestError(e);
    if (!known) deps.log.error({err: errorMessage(e), method}, 'rpc failed');
    return {
      ok: false,
      method: isRpcMethod(method) ? method : null,
      error: known
        ? {code: e.rpcCode, message: e.message, ...(e.field === null ? {} : {field: e.field})}
        : {code: 'internal', message: `The offboarding service failed: ${errorMessage(e)}`},
    };
  }
}

function decodePayload<M extends RpcMethod>(method: M, encoded: string): RpcPayload<M> {
  if (encoded.length > Math.ceil((MAX_RPC_PAYLOAD_BYTES * 4) / 3) + 4) {
    throw new RequestError('payload_too_large', `The payload exceeds ${MAX_RPC_PAYLOAD_BYTES} bytes.`);
  }
  if (!encoded || !BASE64URL.test(encoded)) throw new RequestError('bad_request', 'The payload must be base64url JSON.');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw new RequestError('bad_request', 'The payload is not valid JSON.');
  }
  const parsed = RPC_SCHEMAS[method].safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
    // An entry the modal shows as a field (identities.<system>, assignees.<step>) is named so the error lands there.
    const [first] = parsed.error.issues;
    const field = first && FIELD_MAPS.includes(String(first.path[0])) && first.path.length >= 2
      ? `${String(first.path[0])}.${String(first.path[1])}` : null;
    throw new RequestError('bad_request', `Invalid ${method} payload: ${problems.join('; ')}`, {}, field);
  }
  return parsed.data as RpcPayload<M>;
}

async function dispatch(deps: ServiceDeps, caller: RpcCaller, method: RpcMethod, p: unknown): Promise<Record<string, Json>> {
  switch (method) {
    case 'capabilities': return capabilities(deps, caller);
    case 'subject.resolve': {
      const subject = await resolveSubject(deps, (p as RpcPayload<'subject.resolve'>).query);
      assertOffboardable(deps, subject, caller.userId);
      const warnings = subject.roles.includes('system_admin') ? ['system_admin'] : [];
      return {subject: renderSubject(subject), warnings};
    }
    case 'inventory.start': {
      const q = p as RpcPayload<'inventory.start'>;
      const hints = parseIdentityHints(deps, q.identities);
      const subject = await resolveSubject(deps, q.user_id);
      assertOffboardable(deps, subject, caller.userId);
      const record = await startInventory(deps, subject, caller.userId, hints);
      return {inventory_id: record.id};
    }
    case 'inventory.get': return inventoryGet(deps, p as RpcPayload<'inventory.get'>);
    case 'plan.create': {
      const q = p as RpcPayload<'plan.create'>;
      const plan = await createPlan(deps, {inventoryId: q.inventory_id, options: q.options,
        disabledSteps: q.disabled_steps, assignees: q.assignees}, caller.userId);
      const page = pageOf(plan.steps, 0, 200);
      return {plan_id: plan.id, subject: renderSubject(plan.subject), options: plan.options,
        steps: page.items.map(renderStepSpec), total: page.total, next_page: page.next_page};
    }
    case 'plan.get': {
      const q = p as RpcPayload<'plan.get'>;
      const plan = await deps.store.getPlan(q.plan_id);
      if (!plan) throw new RequestError('not_found', `Plan ${q.plan_id} does not exist.`);
      const page = pageOf(plan.steps, q.page, q.per_page);
      return {plan_id: plan.id, subject: renderSubject(plan.subject), options: plan.options,
        steps: page.items.map(renderStepSpec), total: page.total, next_page: page.next_page};
    }
    case 'run.start': {
      const q = p as RpcPayload<'run.start'>;
      const plan = await deps.store.getPlan(q.plan_id);
      if (plan) assertOffboardable(deps, plan.subject, caller.userId);
      const run = await startRun(deps,
        {planId: q.plan_id, confirmUsername: q.confirm_username, mode: q.mode, scheduleAt: q.schedule_at}, caller.userId);
      return {run: renderRun(run, await deps.store.listSteps(run.id))};
    }
    case 'run.get': {
      const q = p as RpcPayload<'run.get'>;
      const run = await getRunOrThrow(deps, q.run_id);
      const steps = await deps.store.listSteps(run.id);
      const page = pageOf(steps, q.page, q.per_page);
      return {run: renderRun(run, steps), steps: page.items.map(renderStep), total: page.total, next_page: page.next_page};
    }
    case 'run.list': {
      const q = p as RpcPayload<'run.list'>;
      const runs = await deps.store.listRuns({limit: (q.page + 1) * q.per_page + 1});
      const page = pageOf(runs, q.page, q.per_page);
      return {runs: await Promise.all(page.items.map(async (r) => renderRun(r, await deps.store.listSteps(r.id)))),
        next_page: page.next_page};
    }
    case 'run.act': {
      const q = p as RpcPayload<'run.act'>;
      const run = await actOnRun(deps, q.run_id, q.action, caller.userId, q.step_id, q.note);
      return {run: renderRun(run, await deps.store.listSteps(run.id))};
    }
  }
}

function capabilities(deps: ServiceDeps, caller: RpcCaller): Record<string, Json> {
  return {
    version: 1,
    caller: {user_id: caller.userId, username: caller.username, is_system_admin: caller.isSystemAdmin},
    require_approval: deps.config.access.require_approval,
    run_actions: [...RUN_ACTIONS],
    providers: deps.providers.map((pr) => ({
      id: pr.id,
      title: pr.title,
      identity_input: pr.identityInput ? {
        label: pr.identityInput.label, placeholder: pr.identityInput.placeholder, pattern: pr.identityInput.pattern ?? null,
        max_ids: Math.min(pr.identityInput.maxIds ?? MAX_ENTERED_IDENTITIES, MAX_ENTERED_IDENTITIES),
      } : null,
      plan_options: pr.planOptions.map((o) => ({
        key: o.key, title: o.title, type: o.type, default: o.default,
        choices: o.choices ? o.choices.map((c) => ({value: c.value, title: c.title})) : null,
      })),
    })),
  };
}

async function inventoryGet(deps: ServiceDeps, q: RpcPayload<'inventory.get'>): Promise<Record<string, Json>> {
  const record = await getInventoryOrThrow(deps, q.inventory_id);
  const titles = new Map(deps.providers.map((pr) => [pr.id, pr.title]));
  const view = renderInventory(record, titles);
  if (q.provider === undefined) return {inventory: view};
  const state = record.providers.find((s) => s.provider === q.provider);
  if (!state) throw new RequestError('not_found', `Provider "${q.provider}" is not part of this inventory.`);
  const page = pageOf(state.findings, q.page, q.per_page);
  return {inventory: view, findings: page.items.map(renderFinding), total: page.total, next_page: page.next_page};
}
