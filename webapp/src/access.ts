// Asks the service once per user whether they may offboard: the `capabilities` RPC, as the user, in the team they look
// at. An answer is kept for the session; no answer (service down, no /offboard in that team) is asked again in the
// next team. Refusals of RPC calls create no post (the service answers them with empty text), so the probe is silent.
import {ClientError, type Client} from './client.js';
import type {AccessStatus} from './store/action_types.js';
import {accessChecked, capabilitiesReceived} from './store/actions.js';
import {currentContext, currentUser, pluginState} from './store/selectors.js';
import type {HostStore} from './types/mattermost.js';

/** Refusal reasons that are about the user (server/src/mattermost/verify.ts); others are about the setup. */
const DENIED_REASONS = new Set(['not_allowed', 'inactive_user', 'unknown_user']);

export function statusFromError(e: unknown): AccessStatus {
    if (e instanceof ClientError && e.detail.code === 'refused' && DENIED_REASONS.has(e.detail.reason ?? '')) {
        return 'denied';
    }
    return 'unknown';
}

/** Returns `check`, to call on every store change: it starts a probe when one is due and otherwise does nothing. */
export function watchAccess(store: HostStore, client: Client): () => void {
    return () => {
        const state = store.getState();
        const user = currentUser(state);
        const context = currentContext(state);
        if (!user || !context.team_id || !context.channel_id) {
            return;
        }
        const {access} = pluginState(state);
        if (access.userId === user.id && (access.status !== 'unknown' || access.teamId === context.team_id)) {
            return;
        }
        store.dispatch(accessChecked(user.id, context.team_id, 'checking'));
        // The answer is for this user; a different user signed in meanwhile gets their own probe.
        const stillThem = () => currentUser(store.getState())?.id === user.id;
        client.rpc('capabilities', {}, context).then((capabilities) => {
            if (stillThem()) {
                store.dispatch(capabilitiesReceived(capabilities));
                store.dispatch(accessChecked(user.id, context.team_id, 'allowed'));
            }
        }, (e: unknown) => {
            if (stillThem()) {
                store.dispatch(accessChecked(user.id, context.team_id, statusFromError(e)));
            }
        });
    };
}
