// The plugin registry with Mattermost's method names and argument shapes (webapp/channels/src/plugins/registry.ts):
// positional arguments or one object with the same names (reArg). Methods this host does not provide throw, so a
// plugin using one is noticed in the browser tests instead of silently doing nothing.
import type React from 'react';
import type {Reducer} from 'redux';

import type {SlashCommandArgs, WebSocketMessage} from '../../../webapp/src/types/mattermost.js';

import type {HostStore} from './host_store.js';

interface Registration<T> {
    readonly id: string;
    readonly pluginId: string;
    readonly value: T;
}

type SlashHook = (message: string, args: SlashCommandArgs) => unknown;

function reArg(names: readonly string[], args: readonly unknown[]): Record<string, unknown> {
    const [first] = args;
    if (args.length === 1 && typeof first === 'object' && first !== null && !Array.isArray(first) &&
        names.some((n) => Object.hasOwn(first, n))) {
        return first as Record<string, unknown>;
    }
    return Object.fromEntries(names.map((n, i) => [n, args[i]]));
}

export type SlashOutcome = {consumed: true} | {error: string} | {message: string; args: SlashCommandArgs};

export class HostRegistry {
    rootComponents: Registration<React.ComponentType>[] = [];
    popoverUserActions: Registration<React.ComponentType<Record<string, unknown>>>[] = [];
    postTypes = new Map<string, Registration<React.ComponentType<Record<string, unknown>>>>();
    mainMenuActions: Registration<{text: React.ReactNode; action: () => void}>[] = [];
    slashHooks: Registration<SlashHook>[] = [];
    private wsHandlers: Registration<{event: string; handler: (msg: WebSocketMessage) => void}>[] = [];
    private reconnectHandlers = new Map<string, () => void>();
    private version = 0;
    private listeners = new Set<() => void>();
    private nextId = 0;

    constructor(private readonly store: HostStore) {}

    subscribe = (listener: () => void): (() => void) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    };

    getVersion = (): number => this.version;

    private changed(): void {
        this.version += 1;
        for (const l of this.listeners) {
            l();
        }
    }

    private add<T>(list: Registration<T>[], pluginId: string, value: T): string {
        const id = `${pluginId}_${++this.nextId}`;
        list.push({id, pluginId, value});
        this.changed();
        return id;
    }

    /** The object handed to `plugin.initialize(registry, store)`. */
    forPlugin(pluginId: string): Record<string, (...args: unknown[]) => unknown> {
        const methods: Record<string, (...args: unknown[]) => unknown> = {
            registerRootComponent: (...a) => this.add(this.rootComponents, pluginId, reArg(['component'], a).component as React.ComponentType),
            registerPopoverUserActionsComponent: (...a) => this.add(this.popoverUserActions, pluginId,
                reArg(['component'], a).component as React.ComponentType<Record<string, unknown>>),
            registerPostTypeComponent: (...a) => {
                const {type, component} = reArg(['type', 'component'], a);
                if (typeof type !== 'string' || !type.startsWith('custom_')) {
                    throw new Error('registerPostTypeComponent: the type must start with "custom_"');
                }
                const id = `${pluginId}_${++this.nextId}`;
                this.postTypes.set(type, {id, pluginId, value: component as React.ComponentType<Record<string, unknown>>});
                this.changed();
                return id;
            },
            registerMainMenuAction: (...a) => {
                const {text, action} = reArg(['text', 'action', 'mobileIcon'], a);
                return this.add(this.mainMenuActions, pluginId, {text: text as React.ReactNode, action: action as () => void});
            },
            registerSlashCommandWillBePostedHook: (...a) => this.add(this.slashHooks, pluginId, reArg(['hook'], a).hook as SlashHook),
            registerReducer: (...a) => {
                this.store.addPluginReducer(pluginId, reArg(['reducer'], a).reducer as Reducer);
            },
            registerWebSocketEventHandler: (...a) => {
                const {event, handler} = reArg(['event', 'handler'], a);
                this.wsHandlers = this.wsHandlers.filter((h) => !(h.pluginId === pluginId && h.value.event === event));
                this.add(this.wsHandlers, pluginId, {event: String(event), handler: handler as (msg: WebSocketMessage) => void});
            },
            unregisterWebSocketEventHandler: (...a) => {
                const {event} = reArg(['event'], a);
                this.wsHandlers = this.wsHandlers.filter((h) => !(h.pluginId === pluginId && h.value.event === event));
            },
            registerReconnectHandler: (...a) => {
                this.reconnectHandlers.set(pluginId, reArg(['handler'], a).handler as () => void);
            },
            unregisterReconnectHandler: () => {
                this.reconnectHandlers.delete(pluginId);
            },
            unregisterComponent: (...a) => {
                const {componentId} = reArg(['componentId'], a);
                this.rootComponents = this.rootComponents.filter((r) => r.id !== componentId);
                this.popoverUserActions = this.popoverUserActions.filter((r) => r.id !== componentId);
                this.mainMenuActions = this.mainMenuActions.filter((r) => r.id !== componentId);
                this.slashHooks = this.slashHooks.filter((r) => r.id !== componentId);
                this.changed();
            },
            unregisterPostTypeComponent: (...a) => {
                const {componentId} = reArg(['componentId'], a);
                for (const [type, r] of this.postTypes) {
                    if (r.id === componentId) {
                        this.postTypes.delete(type);
                    }
                }
                this.changed();
            },
        };
        return new Proxy(methods, {
            get: (target, name) => {
                if (typeof name === 'string' && !(name in target) && /^(un)?register/.test(name)) {
                    return () => {
                        throw new Error(`the host page does not provide registry.${name}`);
                    };
                }
                return target[name as string];
            },
        });
    }

    /** Runs the slash command hooks in order, like actions/hooks.ts runSlashCommandWillBePostedHooks. */
    async runSlashHooks(message: string, args: SlashCommandArgs): Promise<SlashOutcome> {
        let current = {message, args};
        for (const {value: hook} of this.slashHooks) {
            const result = await hook(current.message, current.args) as {message?: string; args?: SlashCommandArgs; error?: {message: string}} | undefined;
            if (result) {
                if (result.error) {
                    return {error: result.error.message};
                }
                if (!result.message) {
                    return {consumed: true};
                }
                current = {message: result.message, args: result.args ?? current.args};
            }
        }
        return current;
    }

    dispatchWebSocket(msg: WebSocketMessage): void {
        for (const {value} of this.wsHandlers) {
            if (value.event === msg.event) {
                try {
                    value.handler(msg);
                } catch (e) {
                    console.error(`plugin websocket handler for ${msg.event} failed`, e);
                }
            }
        }
    }

    reconnected(): void {
        for (const handler of this.reconnectHandlers.values()) {
            handler();
        }
    }
}
