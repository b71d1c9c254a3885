// Loading what the webapp loads before plugins: the current user, the team, the user's channels in it and the
// posts of the channel shown; plus the websocket stand-in (SSE) that keeps posts and plugins live.
import type {Dispatch} from 'redux';

import type {UserProfile, WebSocketMessage} from '../../../webapp/src/types/mattermost.js';

import {api} from './api.js';
import type {Channel, HostPost, HostStore, Team} from './host_store.js';
import type {HostRegistry} from './registry.js';

export async function loadChannels(dispatch: Dispatch, teamId: string): Promise<Channel[]> {
    const channels = await api<Channel[]>('GET', `/api/v4/users/me/teams/${teamId}/channels`);
    const sorted = channels.filter((c) => c.type === 'O' || c.type === 'P').sort((a, b) => a.display_name.localeCompare(b.display_name));
    dispatch({type: 'host/channels', channels: sorted});
    return sorted;
}

export async function loadUsers(store: HostStore, ids: readonly string[]): Promise<void> {
    const known = store.getState().entities.users.profiles;
    const missing = [...new Set(ids)].filter((id) => !known[id]);
    if (missing.length > 0) {
        store.dispatch({type: 'host/users', users: await api<UserProfile[]>('POST', '/api/v4/users/ids', missing)});
    }
}

export async function selectChannel(store: HostStore, channelId: string): Promise<void> {
    store.dispatch({type: 'host/select_channel', channelId});
    const list = await api<{order: string[]; posts: Record<string, HostPost>}>('GET', `/api/v4/channels/${channelId}/posts?per_page=200`);
    const posts = Object.values(list.posts);
    await loadUsers(store, posts.map((p) => p.user_id));
    store.dispatch({type: 'host/posts', channelId, posts});
}

export async function loadWorkspace(store: HostStore, teamId: string, channelId: string): Promise<void> {
    store.dispatch({type: 'host/me', user: await api<UserProfile>('GET', '/api/v4/users/me')});
    store.dispatch({type: 'host/team', team: await api<Team>('GET', `/api/v4/teams/${teamId}`)});
    await loadChannels(store.dispatch, teamId);
    await selectChannel(store, channelId);
}

/** Applies a websocket message to the host's posts, then hands it to the plugins' handlers. */
export function startEvents(store: HostStore, registry: HostRegistry): () => void {
    const source = new EventSource('/host/events');
    let dropped = false;
    source.onmessage = async (e: MessageEvent<string>) => {
        const msg = JSON.parse(e.data) as WebSocketMessage;
        const raw = typeof msg.data.post === 'string' ? JSON.parse(msg.data.post) as HostPost : null;
        if (raw) {
            const post = msg.event === 'ephemeral_message' ? {...raw, ephemeral: true} : raw;
            const state = store.getState();
            if (!state.entities.channels.channels[post.channel_id]) {
                await loadChannels(store.dispatch, state.entities.teams.currentTeamId);
            }
            await loadUsers(store, [post.user_id]);
            store.dispatch({type: 'host/post', post});
        }
        registry.dispatchWebSocket(msg);
    };
    source.onerror = () => {
        dropped = true;
    };
    source.onopen = () => {
        if (dropped) {
            dropped = false;
            registry.reconnected();
        }
    };
    return () => source.close();
}
