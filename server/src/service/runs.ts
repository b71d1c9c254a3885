// Plans and runs: turn a finished inventory into a checklist, start it (now, scheduled, or after approval),
// and apply admin actions. Shared by the RPC handlers, the dialog path and the CLI.
import * as actions from '../engine/actions.js';
import {buildPlan, resolvePlanOptions} from '../engine/plan.js';
import type {PlanRecord} from '../engine/ports.js';
import {ENTERED_BY_ADMIN, type Finding, type Identity, type JsonObject, type ProviderId, type Run, type StepSpec}
  from '../engine/types.js';
import {newId} from '../ids.js';
import {isNotFound} from '../mattermost/client.js';
import type {RunAction} from '../mattermost/rpc_schema.js';
import type {ServiceDeps} from './deps.js';
import {RequestError} from './errors.js';
import {getInventoryOrThrow, inventoryDone} from './inventory.js';

export interface PlanRequest {
  readonly inventoryId: string;
  readonly options: Record<ProviderId, JsonObject>;
  readonly disabledSteps: readonly string[];
  /** Manual step id → username of the person who should do it (checked against Mattermost). */
  readonly assignees?: Readonly<Record<string, string>>;
}

/** Builds the checklist from a finished inventory; a provider whose discovery failed becomes a manual check. */
export async function createPlan(deps: ServiceDeps, req: PlanRequest, initiatorId: string): Promise<PlanRecord> {
  const inventory = await getInventoryOrThrow(deps, req.inventoryId);
  if (!inventoryDone(inventory)) {
    throw new RequestError('not_ready', 'Discovery is still running; try again when the inventory is complete.');
  }
  for (const key of Object.keys(req.options)) {
    if (!deps.providers.some((p) => p.id === key)) throw new RequestError('bad_request', `Unknown provider "${key}".`);
  }
  const findings = new Map<ProviderId, Finding[]>();
  const identities = new Map<ProviderId, Identity[]>();
  const options: Record<ProviderId, JsonObject> = {};
  const failed: StepSpec[] = [];
  for (const provider of deps.providers) {
    const state = inventory.providers.find((s) => s.provider === provider.id);
    options[provider.id] = resolveOptionsOrThrow(provider, req.options[provider.id] ?? {});
    if (state?.status === 'failed') {
      failed.push(discoveryFailedStep(provider.id, provider.title, state.error ?? 'unknown error'));
      continue;
    }
    findings.set(provider.id, [...(state?.findings ?? [])]);
    identities.set(provider.id, [...(state?.identities ?? [])]);
  }
  let steps: StepSpec[];
  try {
    steps = buildPlan({
      providers: deps.providers.filter((p) => findings.has(p.id)),
      findings, identities, options, disabledSteps: req.disabledSteps,
    });
  } catch (e) {
    throw new RequestError('bad_request', e instanceof Error ? e.message : String(e));
  }
  const record: PlanRecord = {
    id: newId(),
    inventoryId: inventory.id,
    subject: inventory.subject,
    initiatorId,
    options,
    steps: await assign(deps, [...failed, ...steps], req.assignees ?? {}),
    createdAt: deps.clock.now(),
  };
  await deps.store.savePlan(record);
  return record;
}

/**
 * Sets the assignee of manual steps; each must be a manual step of this plan and an active Mattermost user. An empty
 * name leaves the step unassigned (anyone who may offboard completes it). Errors name the field they are about.
 */
async function assign(deps: ServiceDeps, steps: StepSpec[], assignees: Readonly<Record<string, string>>):
  Promise<StepSpec[]> {
  const out = [...steps];
  for (const [stepId, who] of Object.entries(assignees)) {
    const refuse = (message: string) => new RequestError('bad_request', message, {}, `assignees.${stepId}`);
    const at = out.findIndex((s) => s.id === stepId);
    const step = out[at];
    if (!step) throw refuse(`Cannot assign "${stepId.slice(0, 80)}": no such step in the plan.`);
    if (step.kind !== 'manual') throw refuse(`"${step.title}" runs automatically; only manual steps get an assignee.`);
    const username = who.trim().replace(/^@/, '').toLowerCase();
    if (username === '') {
      const {assignee: _dropped, ...unassigned} = step;
      out[at] = unassigned;
      continue;
    }
    const user = await deps.mm.getUserByUsername(username).catch((e: unknown) => {
      if (isNotFound(e)) throw refuse(`Cannot assign "${step.title}" to @${username}: no such user.`);
      throw e;
    });
    if (user.delete_at > 0 || user.is_bot) {
      throw refuse(`Cannot assign "${step.title}" to @${username}: not an active person.`);
    }
    out[at] = {...step, assignee: user.username};
  }
  return out;
}

function resolveOptionsOrThrow(provider: ServiceDeps['providers'][number], given: JsonObject): JsonObject {
  try {
    return resolvePlanOptions(provider, given);
  } catch (e) {
    throw new RequestError('bad_request', `${provider.title}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function discoveryFailedStep(provider: ProviderId, title: string, error: string): StepSpec {
  return {
    id: `${provider}:manual_review:discovery`,
    provider,
    phase: 'revoke',
    action: 'manual_review',
    target: provider,
    title: `Check ${title} by hand: automatic discovery failed`,
    kind: 'manual',
    dependsOn: [],
    params: {error},
    instructions: `Discovery in ${title} failed (${error}). Find and remove this person's access by hand, `
      + 'then complete this item with a note of what you removed.',
  };
}

export interface StartRequest {
  readonly planId: string;
  readonly confirmUsername: string;
  readonly mode: 'now' | 'schedule' | 'approval';
  readonly scheduleAt?: string;
}

/** Starts a run from a plan after the admin confirmed by typing the username. */
export async function startRun(deps: ServiceDeps, req: StartRequest, initiatorId: string): Promise<Run> {
  const plan = await deps.store.getPlan(req.planId);
  if (!plan) throw new RequestError('not_found', `Plan ${req.planId} does not exist.`);
  if (req.confirmUsername.replace(/^@/, '').toLowerCase() !== plan.subject.username.toLowerCase()) {
    throw new RequestError('bad_request', `Type the username "${plan.subject.username}" to confirm.`);
  }
  if (plan.steps.length === 0) throw new RequestError('bad_request', 'The plan has no steps: nothing to run.');
  const active = await deps.store.listRuns({
    subjectUserId: plan.subject.userId, statuses: ['scheduled', 'awaiting_approval', 'running'], limit: 1,
  });
  if (active[0]) {
    throw new RequestError('conflict', `@${plan.subject.username} already has an unfinished run (${active[0].id}).`);
  }
  let scheduleAt: number | null = null;
  if (req.mode === 'schedule') {
    scheduleAt = Date.parse(req.scheduleAt ?? '');
    if (!Number.isFinite(scheduleAt)) throw new RequestError('bad_request', 'schedule_at is not a valid time.');
    if (scheduleAt <= deps.clock.now()) throw new RequestError('bad_request', 'The scheduled time is in the past.');
  }
  const run = await actions.createRun(deps.store, deps.clock, {
    id: newId(),
    subject: plan.subject,
    initiatorId,
    planId: plan.id,
    steps: plan.steps,
    options: plan.options,
    scheduleAt,
    requireApproval: req.mode === 'approval' || deps.config.access.require_approval,
    enteredIdentities: await enteredIdentities(deps, plan.inventoryId),
  });
  // Scheduled and awaiting-approval runs get their channel and card now too; a Mattermost failure never loses the run.
  return deps.progress ? deps.progress.runCreated(run) : run;
}

/**
 * Identities an admin entered in the modal decide who is offboarded where, so `run.created` names them (in the run's
 * own transaction): per system, who entered them and what each entry resolved to.
 */
async function enteredIdentities(deps: ServiceDeps, inventoryId: string): Promise<JsonObject> {
  const inventory = await deps.store.getInventory(inventoryId);
  const out: JsonObject = {};
  for (const state of inventory?.providers ?? []) {
    const entered = state.identities.filter((i) => i.source.startsWith(ENTERED_BY_ADMIN));
    if (!inventory || entered.length === 0) continue;
    out[state.provider] = {entered_by: inventory.initiatorId, inventory_id: inventory.id,
      identities: entered.map((i) => ({id: i.id, label: i.label, confidence: i.confidence, source: i.source}))};
  }
  return out;
}

export async function getRunOrThrow(deps: ServiceDeps, runId: string): Promise<Run> {
  const run = await deps.store.getRun(runId);
  if (!run) throw new RequestError('not_found', `Run ${runId} does not exist.`);
  return run;
}

/** Applies an admin action; engine refusals (wrong state, self-approval) become readable RPC errors. */
export async function actOnRun(
  deps: ServiceDeps, runId: string, action: RunAction, actor: string, stepId?: string, note?: string,
): Promise<Run> {
  await getRunOrThrow(deps, runId);
  const {store, clock} = deps;
  try {
    switch (action) {
      case 'approve': await actions.approveRun(store, clock, runId, actor); break;
      case 'cancel': await actions.cancelRun(store, clock, runId, actor); break;
      case 'retry_step': await actions.retryStep(store, clock, runId, stepId ?? '', actor); break;
      case 'skip_step': await actions.skipStep(store, clock, runId, stepId ?? '', actor, note ?? ''); break;
      case 'complete_manual': await actions.completeManualStep(store, clock, runId, stepId ?? '', actor, note ?? ''); break;
    }
  } catch (e) {
    if (e instanceof RequestError) throw e;
    throw new RequestError('refused', e instanceof Error ? e.message : String(e));
  }
  // Cancels and skips change steps the executor no longer looks at: the card learns of them here.
  deps.progress?.changed(runId);
  return getRunOrThrow(deps, runId);
}
