// The slice of the Mattermost webapp the plugin touches: the registry (webapp/channels/src/plugins/registry.ts),
// the host store's entities, posts and websocket messages. Hand-written: @mattermost/types is not a dependency.
import type React from 'react';
import type {Action, Reducer, Store} from 'redux';

export interface UserProfile {
    id: string;
    username: string;
    email?: string;
    first_name?: string;
    last_name?: string;
    nickname?: string;
    position?: string;
    roles: string;
    is_bot?: boolean;
    last_picture_update?: number;
    delete_at?: number;
}

export interface Post {
    id: string;
    channel_id: string;
    user_id: string;
    type: string;
    message: string;
    props: Record<string, unknown> | null;
    create_at: number;
    update_at: number;
    edit_at?: number;
}

/** What the plugin reads from the host store (GlobalState from @mattermost/types/store, narrowed). */
export interface HostState {
    entities: {
        users: {currentUserId: string; profiles: Record<string, UserProfile | undefined>};
        teams: {currentTeamId: string};
        channels: {currentChannelId: string};
    };
    [pluginKey: `plugins-${string}`]: unknown;
}

export type HostStore = Store<HostState, Action>;

/** A websocket event as the webapp hands it to plugin handlers (`post` in data is a JSON string). */
export interface WebSocketMessage {
    event: string;
    data: Record<string, unknown>;
    broadcast?: {channel_id?: string; user_id?: string; team_id?: string};
    seq?: number;
}

export interface SlashCommandArgs {
    channel_id: string;
    team_id: string;
    root_id?: string;
}

/** `{message, args}` sends (possibly rewritten), `{}` swallows, `{error}` shows an error (actions/hooks.ts). */
export type SlashCommandHookResult =
    | {message: string; args: SlashCommandArgs}
    | {error: {message: string}}
    | Record<string, never>;

export interface PopoverUserActionsProps {
    user: UserProfile;
    hide?: () => void;
    status?: string;
}

export interface PostTypeProps {
    post: Post;
}

/** The registry methods this plugin calls, with their documented argument shapes. */
export interface PluginRegistry {
    registerRootComponent(component: React.ComponentType): string;
    registerPopoverUserActionsComponent(component: React.ComponentType<PopoverUserActionsProps>): string;
    registerSlashCommandWillBePostedHook(
        hook: (message: string, args: SlashCommandArgs) => SlashCommandHookResult | Promise<SlashCommandHookResult>,
    ): string;
    registerPostTypeComponent(type: string, component: React.ComponentType<PostTypeProps>): string;
    registerMainMenuAction(text: React.ReactNode, action: () => void, mobileIcon: React.ReactNode): string;
    registerReducer(reducer: Reducer): void;
    registerWebSocketEventHandler(event: string, handler: (msg: WebSocketMessage) => void): void;
    unregisterWebSocketEventHandler(event: string): void;
    unregisterComponent(componentId: string): void;
    unregisterPostTypeComponent(componentId: string): void;
}

export interface PluginClass {
    initialize(registry: PluginRegistry, store: HostStore): void | Promise<void>;
    uninitialize?(): void;
}

declare global {
    interface Window {
        registerPlugin(id: string, plugin: PluginClass): void;
        basename?: string;
    }
}
