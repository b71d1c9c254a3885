import {beforeAll, describe, expect, it, jest} from '@jest/globals';
import {act, screen} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {RUN_CARD_POST_TYPE} from './components/run_card/run_card_schema.js';
import manifest from './manifest.js';
import {pluginState} from './store/selectors.js';
import {fakeService} from './test_support/fake_service.js';
import {admin, createTestStore, member, renderWithHost, testClient} from './test_support/render.js';
import type {HostStore, PluginClass, PluginRegistry, PopoverUserActionsProps, UserProfile} from './types/mattermost.js';

type Calls = Record<string, unknown[][]>;

function fakeRegistry(): {registry: PluginRegistry; calls: Calls} {
    const calls: Calls = {};
    const record = (name: string) => (...args: unknown[]) => {
        (calls[name] ??= []).push(args);
        return `${name}_${calls[name]?.length}`;
    };
    const names = ['registerRootComponent', 'registerPopoverUserActionsComponent', 'registerSlashCommandWillBePostedHook',
        'registerPostTypeComponent', 'registerMainMenuAction', 'registerReducer', 'registerWebSocketEventHandler',
        'unregisterWebSocketEventHandler', 'unregisterComponent', 'unregisterPostTypeComponent'];
    return {registry: Object.fromEntries(names.map((n) => [n, record(n)])) as unknown as PluginRegistry, calls};
}

let PluginCtor: new () => PluginClass;
const registerPlugin = jest.fn<(id: string, plugin: PluginClass) => void>();

beforeAll(async () => {
    window.registerPlugin = registerPlugin;
    const mod = await import('./index.js');
    PluginCtor = mod.default;
});

function initialize(user: UserProfile | null): {store: HostStore; calls: Calls} {
    const store = createTestStore(user);
    const {registry, calls} = fakeRegistry();
    new PluginCtor().initialize(registry, store);
    return {store, calls};
}

describe('Plugin registration', () => {
    it('registers itself under the manifest id', () => {
        expect(registerPlugin).toHaveBeenCalledTimes(1);
        expect(registerPlugin.mock.calls[0]?.[0]).toBe(manifest.id);
    });

    it('gives system admins every entry point', () => {
        const {calls} = initialize(admin);
        expect(calls.registerReducer).toHaveLength(1);
        expect(calls.registerPostTypeComponent?.[0]?.[0]).toBe(RUN_CARD_POST_TYPE);
        expect(calls.registerWebSocketEventHandler?.map((c) => c[0])).toEqual(['posted', 'post_edited']);
        expect(calls.registerRootComponent).toHaveLength(1);
        expect(calls.registerPopoverUserActionsComponent).toHaveLength(1);
        expect(calls.registerMainMenuAction?.[0]?.[0]).toBe('Offboard a user…');
        expect(calls.registerSlashCommandWillBePostedHook).toHaveLength(1);
    });

    it('gives everyone else only the run card and its live updates', () => {
        const {calls} = initialize(member);
        expect(calls.registerPostTypeComponent).toHaveLength(1);
        expect(calls.registerWebSocketEventHandler).toHaveLength(2);
        expect(calls.registerRootComponent).toBeUndefined();
        expect(calls.registerPopoverUserActionsComponent).toBeUndefined();
        expect(calls.registerMainMenuAction).toBeUndefined();
        expect(calls.registerSlashCommandWillBePostedHook).toBeUndefined();
    });

    it('registers the entry points once an admin\'s profile arrives after the plugin loaded', () => {
        const {store, calls} = initialize(null);
        expect(calls.registerSlashCommandWillBePostedHook).toBeUndefined();
        act(() => {
            store.dispatch({type: 'test/current_user', user: admin});
            store.dispatch({type: 'test/current_user', user: admin});
        });
        expect(calls.registerSlashCommandWillBePostedHook).toHaveLength(1);
        expect(calls.registerRootComponent).toHaveLength(1);
    });

    it('opens the modal from the main menu and from the slash hook in the command\'s channel', () => {
        const {store, calls} = initialize(admin);
        const menuAction = calls.registerMainMenuAction?.[0]?.[1] as () => void;
        menuAction();
        expect(pluginState(store.getState()).modal).toEqual({open: true, context: {channel_id: expect.any(String), team_id: expect.any(String)}});
        const hook = calls.registerSlashCommandWillBePostedHook?.[0]?.[0] as (m: string, a: object) => unknown;
        const args = {channel_id: 'dmchanneldmchanneldmchann1', team_id: 'teamteamteamteamteamteam01', root_id: ''};
        expect(hook('/offboard @erin', args)).toEqual({});
        expect(pluginState(store.getState()).modal.context).toEqual({channel_id: args.channel_id, team_id: args.team_id});
        expect(pluginState(store.getState()).draft.query).toBe('@erin');
        expect(hook('/offboard list', args)).toEqual({message: '/offboard list', args});
    });

    it('puts "Offboard user" on other people\'s profile cards only', async () => {
        const {store, calls} = initialize(admin);
        const Action = calls.registerPopoverUserActionsComponent?.[0]?.[0] as React.ComponentType<PopoverUserActionsProps>;
        const client = testClient(fakeService({}));
        const hide = jest.fn();
        const carol: UserProfile = {id: 'carolcarolcarolcarolcarol1', username: 'carol', roles: 'system_user'};
        const view = renderWithHost(<Action user={{...carol, is_bot: true}} hide={hide}/>, store, client);
        expect(screen.queryByRole('button', {name: 'Offboard user'})).toBeNull();
        view.rerender(<Action user={admin} hide={hide}/>);
        expect(screen.queryByRole('button', {name: 'Offboard user'})).toBeNull();
        view.rerender(<Action user={carol} hide={hide}/>);
        await userEvent.click(screen.getByRole('button', {name: 'Offboard user'}));
        expect(hide).toHaveBeenCalled();
        expect(pluginState(store.getState()).modal.open).toBe(true);
        expect(pluginState(store.getState()).draft.query).toBe('@carol');
    });
});
