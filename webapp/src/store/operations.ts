// The modal's conversations with the service, one function per wizard action. Each patches the draft with what
// came back; failures propagate as ClientError and the caller keeps every input (see use_operation.ts).
import type {Dispatch} from 'redux';

import {ClientError, type Client, type CommandContext} from '../client.js';
import type {StepSpecView} from '../rpc_types.js';
import {localTimeZone, zonedTimeToIso} from '../schedule_time.js';
import type {HostState} from '../types/mattermost.js';

import {capabilitiesReceived, patchDraft} from './actions.js';
import {disabledStepIds, effectiveOptions} from './draft.js';
import {assigneesToSend, enteredIdentities} from './entered.js';
import {currentContext, pluginState} from './selectors.js';

export interface Ops {
    readonly client: Client;
    readonly dispatch: Dispatch;
    readonly getState: () => HostState;
}

function contextOf(ops: Ops): CommandContext {
    const state = ops.getState();
    return pluginState(state).modal.context ?? currentContext(state);
}

const draftOf = (ops: Ops) => pluginState(ops.getState()).draft;

export async function ensureCapabilities(ops: Ops): Promise<void> {
    if (pluginState(ops.getState()).capabilities) {
        return;
    }
    ops.dispatch(capabilitiesReceived(await ops.client.rpc('capabilities', {}, contextOf(ops))));
}

/** Finds the person; a new person discards what was found for the previous one (never the typed query). */
export async function resolvePerson(ops: Ops): Promise<void> {
    const query = draftOf(ops).query.trim();
    if (!query) {
        throw new ClientError('Type a username, an email address or a user id.', {code: 'bad_request'});
    }
    await ensureCapabilities(ops);
    const {subject, warnings} = await ops.client.rpc('subject.resolve', {query}, contextOf(ops));
    const previous = draftOf(ops).subject;
    if (previous?.user_id === subject.user_id) {
        ops.dispatch(patchDraft({subject, warnings}));
        return;
    }
    ops.dispatch(patchDraft({
        subject, warnings, inventoryId: null, inventory: null, planSteps: null, planKey: null, disabledSteps: [],
        excludedProviders: [], identityInputs: {}, enteredIdentities: {}, assignees: {}, confirmText: '',
    }));
}

/** Starts discovery once per person (with the identities entered so far); later calls only refresh. */
export async function startInventory(ops: Ops): Promise<void> {
    const draft = draftOf(ops);
    if (!draft.subject) {
        throw new ClientError('Pick a person first.', {code: 'bad_request'});
    }
    if (draft.inventoryId === null || (draft.inventory !== null && draft.inventory.subject.user_id !== draft.subject.user_id)) {
        const entered = draft.enteredIdentities;
        const payload = Object.keys(entered).length > 0 ? {user_id: draft.subject.user_id, identities: entered} : {user_id: draft.subject.user_id};
        const {inventory_id: inventoryId} = await ops.client.rpc('inventory.start', payload, contextOf(ops));
        ops.dispatch(patchDraft({inventoryId, inventory: null, planSteps: null, planKey: null}));
    }
    await refreshInventory(ops);
}

/**
 * "Look up again": a new inventory with every identity the admin entered (the other systems resolve automatically);
 * it replaces the current one, and the checklist is rebuilt from it.
 */
export async function lookUpIdentities(ops: Ops): Promise<void> {
    const state = pluginState(ops.getState());
    const {draft} = state;
    if (!draft.subject) {
        throw new ClientError('Pick a person first.', {code: 'bad_request'});
    }
    const {ids, problems} = enteredIdentities(state.capabilities, draft.identityInputs);
    const [problem] = Object.entries(problems);
    if (problem) {
        throw new ClientError(problem[1], {code: 'bad_request', field: `identities.${problem[0]}`});
    }
    const payload = Object.keys(ids).length > 0 ? {user_id: draft.subject.user_id, identities: ids} : {user_id: draft.subject.user_id};
    const {inventory_id: inventoryId} = await ops.client.rpc('inventory.start', payload, contextOf(ops));
    ops.dispatch(patchDraft({inventoryId, inventory: null, planSteps: null, planKey: null, enteredIdentities: ids}));
    await refreshInventory(ops);
}

export async function refreshInventory(ops: Ops): Promise<void> {
    const inventoryId = draftOf(ops).inventoryId;
    if (inventoryId === null) {
        return;
    }
    const {inventory} = await ops.client.rpc('inventory.get', {inventory_id: inventoryId}, contextOf(ops));
    ops.dispatch(patchDraft({inventory}));
}

/** One page of one system's findings, for the inventory's expandable details. */
export async function loadFindings(ops: Ops, provider: string, page: number) {
    const inventoryId = draftOf(ops).inventoryId;
    if (inventoryId === null) {
        throw new ClientError('Discovery has not started yet.', {code: 'not_ready'});
    }
    return ops.client.rpc('inventory.get', {inventory_id: inventoryId, provider, page, per_page: 50}, contextOf(ops));
}

export function planKeyOf(ops: Ops): string {
    const state = pluginState(ops.getState());
    return JSON.stringify(effectiveOptions(state.capabilities, state.draft));
}

/** The full checklist for the current options (every step, so each can be switched); paged like the service. */
export async function buildChecklist(ops: Ops): Promise<void> {
    const state = pluginState(ops.getState());
    const {inventoryId} = state.draft;
    if (inventoryId === null) {
        throw new ClientError('Discovery has not started yet.', {code: 'not_ready'});
    }
    const key = planKeyOf(ops);
    const options = effectiveOptions(state.capabilities, state.draft);
    const first = await ops.client.rpc('plan.create', {inventory_id: inventoryId, options}, contextOf(ops));
    const steps: StepSpecView[] = [...first.steps];
    for (let page = first.next_page; page !== null;) {
        const more = await ops.client.rpc('plan.get', {plan_id: first.plan_id, page, per_page: 200}, contextOf(ops));
        steps.push(...more.steps);
        page = more.next_page;
    }
    const known = new Set(steps.map((s) => s.id));
    ops.dispatch(patchDraft({
        planSteps: steps,
        planKey: key,
        disabledSteps: draftOf(ops).disabledSteps.filter((id) => known.has(id)),
    }));
}

/** Lets the service check the assignees the admin typed (active people, manual steps) before the confirm step. */
export async function checkAssignees(ops: Ops): Promise<void> {
    const state = pluginState(ops.getState());
    const {draft} = state;
    const assignees = assigneesToSend(draft);
    if (draft.inventoryId === null || Object.keys(assignees).length === 0) {
        return;
    }
    await ops.client.rpc('plan.create', {
        inventory_id: draft.inventoryId,
        options: effectiveOptions(state.capabilities, draft),
        disabled_steps: disabledStepIds(draft),
        assignees,
    }, contextOf(ops));
}

/** Builds the final plan (switched-off steps left out, assignees as typed) and starts it as the admin chose. */
export async function startRun(ops: Ops): Promise<void> {
    const state = pluginState(ops.getState());
    const {draft} = state;
    if (draft.inventoryId === null || !draft.subject) {
        throw new ClientError('Pick a person and let discovery finish first.', {code: 'bad_request'});
    }
    const payload: Record<string, unknown> = {confirm_username: draft.confirmText.trim(), mode: draft.mode};
    if (draft.mode === 'schedule') {
        const timezone = draft.timezone || localTimeZone();
        const at = zonedTimeToIso(draft.scheduleDate, draft.scheduleTime, timezone);
        if (at === null) {
            throw new ClientError('Pick a valid date, time and timezone for the scheduled run.', {code: 'bad_request'});
        }
        payload.schedule_at = at;
        payload.timezone = timezone;
    }
    const plan = await ops.client.rpc('plan.create', {
        inventory_id: draft.inventoryId,
        options: effectiveOptions(state.capabilities, draft),
        disabled_steps: disabledStepIds(draft),
        assignees: assigneesToSend(draft),
    }, contextOf(ops));
    const {run} = await ops.client.rpc('run.start', {...payload, plan_id: plan.plan_id}, contextOf(ops));
    ops.dispatch(patchDraft({run, step: 'progress'}));
}

export async function refreshRun(ops: Ops): Promise<void> {
    const run = draftOf(ops).run;
    if (!run) {
        return;
    }
    const result = await ops.client.rpc('run.get', {run_id: run.id, per_page: 1}, contextOf(ops));
    ops.dispatch(patchDraft({run: result.run}));
}
