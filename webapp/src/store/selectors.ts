// Selectors over the host state: the plugin's own slice and the few host entities it needs.
import type {CommandContext} from '../client.js';
import type {Capabilities} from '../rpc_types.js';
import manifest from '../manifest.js';
import type {RunCard} from '../components/run_card/run_card_schema.js';
import type {HostState, UserProfile} from '../types/mattermost.js';

import {initialState, type CardEntry, type PluginState} from './reducer.js';

export const PLUGIN_STATE_KEY = `plugins-${manifest.id}` as const;

export function pluginState(state: HostState): PluginState {
    return (state[PLUGIN_STATE_KEY] as PluginState | undefined) ?? initialState;
}

/** Provider titles by id, from the service's capabilities (empty before they are loaded). */
export function providerTitles(capabilities: Capabilities | null | undefined): Record<string, string> {
    return Object.fromEntries((capabilities?.providers ?? []).map((p) => [p.id, p.title]));
}

export function currentUser(state: HostState): UserProfile | undefined {
    const {currentUserId, profiles} = state.entities.users;
    return profiles[currentUserId];
}

export function isSystemAdmin(user: UserProfile | undefined): boolean {
    return Boolean(user?.roles.split(/\s+/).includes('system_admin'));
}

/**
 * Whether the current user gets the entry points and the run card's buttons: what the service answered for them
 * (it allows system admins, `access.allowed_users` and `access.allowed_groups`). Without an answer yet, or when the
 * service could not be asked, system admins get them (the service always allows them; a call then shows why it
 * failed) and everyone else waits. The service re-checks every call with a fresh role read either way.
 */
export function mayOffboard(state: HostState): boolean {
    const user = currentUser(state);
    if (!user) {
        return false;
    }
    const {access} = pluginState(state);
    if (access.userId === user.id && access.status === 'allowed') {
        return true;
    }
    if (access.userId === user.id && access.status === 'denied') {
        return false;
    }
    return isSystemAdmin(user);
}

/** The channel and team the user is looking at: where a command from a menu or profile card runs. */
export function currentContext(state: HostState): CommandContext {
    return {channel_id: state.entities.channels.currentChannelId, team_id: state.entities.teams.currentTeamId};
}

/**
 * The API base the way playbooks sets Client4's URL: this page's origin plus the subpath, so the session cookie and
 * the CSRF cookie apply (SiteURL may name a proxy's public address instead).
 */
export function siteUrl(): string {
    return `${window.location.origin}${window.basename ?? ''}`.replace(/\/+$/, '');
}

export function cardEntryForPost(state: HostState, postId: string): CardEntry | undefined {
    return pluginState(state).cards[postId];
}

export function cardForRun(state: HostState, runId: string): CardEntry | undefined {
    let found: CardEntry | undefined;
    for (const entry of Object.values(pluginState(state).cards)) {
        if (entry.card.run_id === runId && (!found || entry.card.updated_at > found.card.updated_at)) {
            found = entry;
        }
    }
    return found;
}

/** The newer of two cards (the post's own props vs. the latest websocket edit). */
export function newerCard(a: RunCard | null, b: RunCard | null | undefined): RunCard | null {
    if (!a) {
        return b ?? null;
    }
    if (!b) {
        return a;
    }
    return b.updated_at > a.updated_at ? b : a;
}
