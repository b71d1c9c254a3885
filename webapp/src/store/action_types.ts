// Action types: namespaced string literals, so the reducer's switch narrows each payload.
import type {CommandContext} from '../client.js';
import type {RunCard} from '../components/run_card/run_card_schema.js';
import type {Capabilities} from '../rpc_types.js';

import type {Draft} from './draft.js';

export const MODAL_OPENED = 'offboarding/modal_opened' as const;
export const MODAL_CLOSED = 'offboarding/modal_closed' as const;
export const DRAFT_PATCHED = 'offboarding/draft_patched' as const;
export const DRAFT_RESET = 'offboarding/draft_reset' as const;
export const CAPABILITIES_RECEIVED = 'offboarding/capabilities_received' as const;
export const RUN_CARD_RECEIVED = 'offboarding/run_card_received' as const;
export const ACCESS_CHECKED = 'offboarding/access_checked' as const;

/**
 * What the service said about the current user: `allowed` (capabilities answered), `denied` (it refused them),
 * `checking`, or `unknown` (no answer: service down, or no /offboard in the team the probe ran in).
 */
export type AccessStatus = 'checking' | 'allowed' | 'denied' | 'unknown';

export type PluginAction =
    | {type: typeof MODAL_OPENED; prefill: string | null; context: CommandContext}
    | {type: typeof MODAL_CLOSED}
    | {type: typeof DRAFT_PATCHED; patch: Partial<Draft>}
    | {type: typeof DRAFT_RESET; query: string}
    | {type: typeof CAPABILITIES_RECEIVED; capabilities: Capabilities}
    | {type: typeof RUN_CARD_RECEIVED; postId: string; channelId: string; card: RunCard}
    | {type: typeof ACCESS_CHECKED; userId: string; teamId: string; status: AccessStatus};
