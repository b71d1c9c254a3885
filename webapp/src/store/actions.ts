// Action creators (plain objects: the plugin needs no thunk middleware from the host).
import type {CommandContext} from '../client.js';
import type {RunCard} from '../components/run_card/run_card_schema.js';
import type {Capabilities} from '../rpc_types.js';

import {
    ACCESS_CHECKED, type AccessStatus, CAPABILITIES_RECEIVED, DRAFT_PATCHED, DRAFT_RESET, MODAL_CLOSED, MODAL_OPENED,
    RUN_CARD_RECEIVED, type PluginAction,
} from './action_types.js';
import type {Draft} from './draft.js';

/** Opens the modal; `prefill` is a username (from `/offboard @user` or a profile card). */
export function openModal(prefill: string | null, context: CommandContext): PluginAction {
    return {type: MODAL_OPENED, prefill, context};
}

export function closeModal(): PluginAction {
    return {type: MODAL_CLOSED};
}

export function patchDraft(patch: Partial<Draft>): PluginAction {
    return {type: DRAFT_PATCHED, patch};
}

export function resetDraft(query = ''): PluginAction {
    return {type: DRAFT_RESET, query};
}

export function capabilitiesReceived(capabilities: Capabilities): PluginAction {
    return {type: CAPABILITIES_RECEIVED, capabilities};
}

export function runCardReceived(postId: string, channelId: string, card: RunCard): PluginAction {
    return {type: RUN_CARD_RECEIVED, postId, channelId, card};
}

/** The service's answer (or its absence) about whether `userId` may offboard, from a probe run in `teamId`. */
export function accessChecked(userId: string, teamId: string, status: AccessStatus): PluginAction {
    return {type: ACCESS_CHECKED, userId, teamId, status};
}
