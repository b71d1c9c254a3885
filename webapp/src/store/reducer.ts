// The plugin's reducer, mounted by the host under state['plugins-<id>'] (registry.registerReducer).
import type {Action} from 'redux';

import type {CommandContext} from '../client.js';
import type {RunCard} from '../components/run_card/run_card_schema.js';
import type {Capabilities} from '../rpc_types.js';

import {
    ACCESS_CHECKED, type AccessStatus, CAPABILITIES_RECEIVED, DRAFT_PATCHED, DRAFT_RESET, MODAL_CLOSED, MODAL_OPENED,
    RUN_CARD_RECEIVED, type PluginAction,
} from './action_types.js';
import {emptyDraft, type Draft} from './draft.js';

export interface CardEntry {
    readonly postId: string;
    readonly channelId: string;
    readonly card: RunCard;
}

export interface PluginState {
    readonly modal: {readonly open: boolean; readonly context: CommandContext | null};
    readonly draft: Draft;
    readonly capabilities: Capabilities | null;
    /** The newest run card seen per post (from `posted` / `post_edited`). */
    readonly cards: Readonly<Record<string, CardEntry>>;
    /** Whether the service lets the current user offboard (access.ts asks it). */
    readonly access: {readonly userId: string | null; readonly teamId: string | null; readonly status: AccessStatus};
}

export const initialState: PluginState = {
    modal: {open: false, context: null},
    draft: emptyDraft(),
    capabilities: null,
    cards: {},
    access: {userId: null, teamId: null, status: 'unknown'},
};

function normalizeQuery(q: string): string {
    return q.trim().replace(/^@/, '').toLowerCase();
}

/**
 * The draft to show when the modal opens: a started run or another person starts over; reopening for the same
 * person (or without one) resumes where the admin left off.
 */
export function draftForOpen(draft: Draft, prefill: string | null): Draft {
    const resumed = {...draft, busy: null, error: null};
    if (draft.step === 'progress') {
        return emptyDraft(prefill ?? '');
    }
    if (prefill === null || prefill.trim() === '') {
        return resumed;
    }
    const current = normalizeQuery(draft.subject?.username ?? draft.query);
    return current === normalizeQuery(prefill) ? resumed : emptyDraft(prefill);
}

/** Takes any action (the host dispatches its own through every reducer); only the plugin's are handled. */
export function reducer(state: PluginState = initialState, incoming: Action): PluginState {
    const action = incoming as PluginAction;
    switch (action.type) {
    case MODAL_OPENED:
        return {...state, modal: {open: true, context: action.context}, draft: draftForOpen(state.draft, action.prefill)};
    case MODAL_CLOSED:
        return {...state, modal: {...state.modal, open: false}};
    case DRAFT_PATCHED:
        return {...state, draft: {...state.draft, ...action.patch}};
    case DRAFT_RESET:
        return {...state, draft: emptyDraft(action.query)};
    case CAPABILITIES_RECEIVED:
        return {...state, capabilities: action.capabilities};
    case ACCESS_CHECKED:
        return {...state, access: {userId: action.userId, teamId: action.teamId, status: action.status}};
    case RUN_CARD_RECEIVED: {
        const existing = state.cards[action.postId];
        // Events can arrive out of order (a reconnect replays): only a newer card replaces the one shown.
        if (existing && existing.card.updated_at > action.card.updated_at) {
            return state;
        }
        return {...state, cards: {...state.cards, [action.postId]: {postId: action.postId, channelId: action.channelId, card: action.card}}};
    }
    default:
        return state;
    }
}
