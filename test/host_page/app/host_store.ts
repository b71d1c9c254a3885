// The host page's Redux store: the `entities` plugins read (current user, team, channel, profiles) and the host's
// own channel and post lists; plugin reducers are added under `plugins-<id>` as plugins register them.
import {combineReducers, legacy_createStore as createStore, type Action, type Reducer, type Store} from 'redux';

import type {Post, UserProfile} from '../../../webapp/src/types/mattermost.js';

export interface Channel {
    id: string;
    team_id: string;
    name: string;
    display_name: string;
    type: string;
}

export interface HostPost extends Post {
    root_id: string;
    ephemeral?: boolean;
}

export interface Team {
    id: string;
    name: string;
    display_name: string;
}

type HostAction =
    | {type: 'host/me'; user: UserProfile}
    | {type: 'host/users'; users: UserProfile[]}
    | {type: 'host/team'; team: Team}
    | {type: 'host/channels'; channels: Channel[]}
    | {type: 'host/select_channel'; channelId: string}
    | {type: 'host/posts'; channelId: string; posts: HostPost[]}
    | {type: 'host/post'; post: HostPost};

export interface HostRootState {
    entities: {
        users: {currentUserId: string; profiles: Record<string, UserProfile>};
        teams: {currentTeamId: string; teams: Record<string, Team>};
        channels: {currentChannelId: string; channels: Record<string, Channel>};
    };
    host: {channelOrder: string[]; posts: Record<string, HostPost[]>};
    [plugin: `plugins-${string}`]: unknown;
}

function entities(state: HostRootState['entities'] | undefined, incoming: Action): HostRootState['entities'] {
    const s = state ?? {users: {currentUserId: '', profiles: {}}, teams: {currentTeamId: '', teams: {}}, channels: {currentChannelId: '', channels: {}}};
    const action = incoming as HostAction;
    switch (action.type) {
    case 'host/me':
        return {...s, users: {currentUserId: action.user.id, profiles: {...s.users.profiles, [action.user.id]: action.user}}};
    case 'host/users':
        return {...s, users: {...s.users, profiles: {...s.users.profiles, ...Object.fromEntries(action.users.map((u) => [u.id, u]))}}};
    case 'host/team':
        return {...s, teams: {currentTeamId: action.team.id, teams: {...s.teams.teams, [action.team.id]: action.team}}};
    case 'host/channels':
        return {...s, channels: {...s.channels, channels: Object.fromEntries(action.channels.map((c) => [c.id, c]))}};
    case 'host/select_channel':
        return {...s, channels: {...s.channels, currentChannelId: action.channelId}};
    default:
        return s;
    }
}

function upsert(list: HostPost[], post: HostPost): HostPost[] {
    const i = list.findIndex((p) => p.id === post.id);
    if (i === -1) {
        return [...list, post].sort((a, b) => a.create_at - b.create_at);
    }
    const existing = list[i];
    if (existing && existing.update_at > post.update_at) {
        return list;
    }
    return list.map((p, j) => (j === i ? post : p));
}

function host(state: HostRootState['host'] | undefined, incoming: Action): HostRootState['host'] {
    const s = state ?? {channelOrder: [], posts: {}};
    const action = incoming as HostAction;
    switch (action.type) {
    case 'host/channels':
        return {...s, channelOrder: action.channels.map((c) => c.id)};
    case 'host/posts':
        return {...s, posts: {...s.posts, [action.channelId]: [...action.posts].sort((a, b) => a.create_at - b.create_at)}};
    case 'host/post':
        return {...s, posts: {...s.posts, [action.post.channel_id]: upsert(s.posts[action.post.channel_id] ?? [], action.post)}};
    default:
        return s;
    }
}

export interface HostStore extends Store<HostRootState, Action> {
    addPluginReducer(pluginId: string, reducer: Reducer): void;
}

export function createHostStore(): HostStore {
    const reducers: Record<string, Reducer> = {entities: entities as Reducer, host: host as Reducer};
    const store = createStore(combineReducers(reducers) as unknown as Reducer<HostRootState, Action>);
    return Object.assign(store, {
        addPluginReducer(pluginId: string, reducer: Reducer) {
            reducers[`plugins-${pluginId}`] = reducer;
            store.replaceReducer(combineReducers(reducers) as unknown as Reducer<HostRootState, Action>);
        },
    });
}
