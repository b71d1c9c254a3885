// Dialog submissions and message buttons. Mattermost signs neither, so each carries an HMAC the service minted
// (bound to user, run, purpose and expiry); buttons also carry a signed trigger_id; roles are re-read every time.
import {z} from 'zod';
import {errorMessage} from '../engine/errors.js';
import type {Json} from '../engine/types.js';
import type {ServiceDeps} from '../service/deps.js';
import {isRequestError, RequestError} from '../service/errors.js';
import {assertOffboardable, inventoryDone, resolveSubject, startInventory} from '../service/inventory.js';
import {actOnRun, createPlan, startRun} from '../service/runs.js';
import {DIALOG_CALLBACK, DIALOG_PURPOSE} from './command.js';
import {mintActionToken, verifyActionToken} from './hmac.js';
import type {RpcCaller} from './rpc.js';
import {RUN_ACTIONS} from './rpc_schema.js';

/** Checks a Mattermost user may use the service right now (fresh read with the bot token). */
export type Authorize = (userId: string) => Promise<RpcCaller>;
/** Verifies a signed trigger_id belongs to `userId` and is fresh. */
export type VerifyTrigger = (triggerId: string, userId: string) => Promise<void>;

const id26 = z.string().regex(/^[a-z0-9]{26}$/);

const dialogSchema = z.object({
  type: z.literal('dialog_submission'),
  callback_id: z.literal(DIALOG_CALLBACK),
  state: z.string().max(2048),
  user_id: id26,
  channel_id: id26,
  team_id: id26.or(z.literal('')).optional(),
  cancelled: z.boolean().optional(),
  submission: z.object({
    confirm_username: z.string().max(64).nullish(),
    mode: z.enum(['now', 'approval']).nullish(),
  }).passthrough().nullish(),
});

export interface DialogResponse {
  readonly errors?: Record<string, string>;
  readonly error?: string;
}

const INVENTORY_WAIT_MS = 5 * 60_000;

export async function handleDialogSubmission(deps: ServiceDeps, authorize: Authorize, body: unknown): Promise<DialogResponse> {
  const parsed = dialogSchema.safeParse(body);
  if (!parsed.success) throw new RequestError('bad_request', 'Malformed dialog submission.');
  const d = parsed.data;
  const claims = verifyActionToken(deps.config.service.action_secret, d.state, {
    userId: d.user_id, runId: null, purpose: undefined, now: deps.clock.now(),
  });
  if (!claims.purpose.startsWith(`${DIALOG_PURPOSE}:`)) throw new RequestError('refused', 'This dialog was not issued here.');
  if (d.cancelled) return {};
  const caller = await authorize(d.user_id);
  const subject = await resolveSubject(deps, claims.purpose.slice(DIALOG_PURPOSE.length + 1));
  assertOffboardable(deps, subject, caller.userId);
  const typed = (d.submission?.confirm_username ?? '').trim().replace(/^@/, '').toLowerCase();
  if (typed !== subject.username.toLowerCase()) {
    return {errors: {confirm_username: `Type "${subject.username}" to confirm.`}};
  }
  const mode = d.submission?.mode ?? 'now';
  // The dialog must be answered within Mattermost's timeout; discovery may take longer, so it continues here.
  const work = offboardWithDefaults(deps, subject.userId, caller, mode).catch(async (e: unknown) => {
    deps.log.warn({err: errorMessage(e)}, 'dialog offboarding failed');
    await deps.mm.createEphemeralPost(caller.userId, d.channel_id,
      `:warning: Offboarding @${subject.username} did not start: ${errorMessage(e)}`).catch(() => undefined);
  });
  deps.background.add(work);
  void work.finally(() => deps.background.delete(work));
  return {};
}

async function offboardWithDefaults(deps: ServiceDeps, subjectId: string, caller: RpcCaller, mode: 'now' | 'approval') {
  const subject = await resolveSubject(deps, subjectId);
  const inventory = await startInventory(deps, subject, caller.userId);
  const deadline = deps.clock.now() + INVENTORY_WAIT_MS;
  for (;;) {
    const record = await deps.store.getInventory(inventory.id);
    if (record && inventoryDone(record)) break;
    if (deps.clock.now() > deadline) throw new RequestError('unavailable', 'Discovery did not finish in time.');
    await deps.clock.sleep(250);
  }
  const plan = await createPlan(deps, {inventoryId: inventory.id, options: {}, disabledSteps: []}, caller.userId);
  await startRun(deps, {planId: plan.id, confirmUsername: subject.username, mode}, caller.userId);
}

/** Buttons on run cards: what `context` holds (minted by buildActionContext). */
const actionSchema = z.object({
  user_id: id26,
  post_id: id26.optional(),
  channel_id: id26.optional(),
  trigger_id: z.string().min(1).max(4096),
  context: z.object({
    token: z.string().max(2048),
    action: z.enum(RUN_ACTIONS),
    run_id: id26,
    step_id: z.string().max(300).optional(),
  }).strict(),
}).passthrough();

export const ACTION_PURPOSE = 'button';
const ACTION_TTL_MS = 30 * 24 * 60 * 60_000;

/** The `integration.context` for a run-card button. */
export function buildActionContext(deps: ServiceDeps, runId: string, action: (typeof RUN_ACTIONS)[number], stepId?: string):
  Record<string, Json> {
  const token = mintActionToken(deps.config.service.action_secret, {
    userId: '*', runId, purpose: `${ACTION_PURPOSE}:${action}:${stepId ?? ''}`, exp: deps.clock.now() + ACTION_TTL_MS,
  });
  return stepId ? {token, action, run_id: runId, step_id: stepId} : {token, action, run_id: runId};
}

export interface ActionResponse {
  readonly ephemeral_text?: string;
}

export async function handleAction(
  deps: ServiceDeps, authorize: Authorize, verifyTrigger: VerifyTrigger, body: unknown,
): Promise<ActionResponse> {
  const parsed = actionSchema.safeParse(body);
  if (!parsed.success) throw new RequestError('bad_request', 'Malformed action request.');
  const a = parsed.data;
  await verifyTrigger(a.trigger_id, a.user_id);
  verifyActionToken(deps.config.service.action_secret, a.context.token, {
    userId: '*', runId: a.context.run_id, purpose: `${ACTION_PURPOSE}:${a.context.action}:${a.context.step_id ?? ''}`,
    now: deps.clock.now(),
  });
  const caller = await authorize(a.user_id);
  try {
    const run = await actOnRun(deps, a.context.run_id, a.context.action, caller.userId, a.context.step_id);
    return {ephemeral_text: `Done: ${a.context.action.replace('_', ' ')}. The run is now ${run.status}.`};
  } catch (e) {
    if (isRequestError(e)) return {ephemeral_text: `:warning: ${e.message}`};
    throw e;
  }
}
