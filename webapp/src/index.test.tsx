import {beforeAll, describe, expect, it, jest} from '@jest/globals';
import {act, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {RUN_CARD_POST_TYPE} from './components/run_card/run_card_schema.js';
import manifest from './manifest.js';
import {pluginState} from './store/selectors.js';
import {capabilities} from './test_support/fixtures.js';
import {fakeService, type FakeService} from './test_support/fake_service.js';
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

/** The service as the plugin's startup probe meets it: answering capabilities for admins, refusing everyone else. */
function serviceFor(answer: (payload: Record<string, unknown>) => unknown = () => capabilities): FakeService {
    return fakeService({capabilities: answer});
}

function initialize(user: UserProfile | null, service: FakeService = serviceFor()): {store: HostStore; calls: Calls} {
    // The plugin builds its client on the page's fetch, as in the browser.
    globalThis.fetch = service.fetch;
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

    it('gives everyone else only the run card and its live updates', async () => {
        const service = serviceFor(() => ({error: {code: 'refused', reason: 'not_allowed', message: '@bob may not use /offboard'}}));
        const {calls} = initialize(member, service);
        await waitFor(() => expect(service.calls).toHaveLength(1));
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

describe('who gets the entry points: the service decides', () => {
    const refused = (reason: string) => () => ({error: {code: 'refused', reason, message: 'You may not use /offboard.'}});
    const alice: UserProfile = {id: 'alicealicealicealicealice1', username: 'alice', roles: 'system_user'};

    it('asks the service once and gives an allowed user who is not an admin every entry point', async () => {
        const service = serviceFor(() => ({...capabilities, caller: {user_id: alice.id, username: 'alice', is_system_admin: false}}));
        const {store, calls} = initialize(alice, service);
        expect(calls.registerSlashCommandWillBePostedHook).toBeUndefined();
        await waitFor(() => expect(calls.registerSlashCommandWillBePostedHook).toHaveLength(1));
        expect(calls.registerRootComponent).toHaveLength(1);
        expect(calls.registerPopoverUserActionsComponent).toHaveLength(1);
        expect(calls.registerMainMenuAction).toHaveLength(1);
        expect(service.calls.map((c) => [c.method, c.payload, c.context])).toEqual([['capabilities', {v: 1},
            {channel_id: expect.any(String), team_id: expect.any(String)}]]);
        expect(pluginState(store.getState()).capabilities?.caller.username).toBe('alice');
        // Further store changes do not ask again.
        act(() => {
            store.dispatch({type: 'test/current_user', user: alice});
        });
        expect(service.calls).toHaveLength(1);
    });

    it('takes the entry points away from an admin the service refuses, and keeps them when it cannot be asked', async () => {
        const refusing = serviceFor(refused('inactive_user'));
        const first = initialize(admin, refusing);
        expect(first.calls.registerSlashCommandWillBePostedHook).toHaveLength(1);
        await waitFor(() => expect(first.calls.unregisterComponent).toHaveLength(4));
        expect(first.calls.unregisterComponent?.map((c) => c[0])).toEqual([
            'registerRootComponent_1', 'registerPopoverUserActionsComponent_1', 'registerMainMenuAction_1',
            'registerSlashCommandWillBePostedHook_1']);

        // A refusal about the set-up (a stale trigger_id) is not an answer about the admin.
        const stale = serviceFor(refused('stale_trigger'));
        const second = initialize(admin, stale);
        await waitFor(() => expect(pluginState(second.store.getState()).access.status).toBe('unknown'));
        expect(second.calls.unregisterComponent).toBeUndefined();
        const down = serviceFor();
        down.setDown(true);
        const third = initialize(admin, down);
        await waitFor(() => expect(pluginState(third.store.getState()).access.status).toBe('unknown'));
        expect(third.calls.unregisterComponent).toBeUndefined();
    });

    it('asks again in another team when there was no answer, and never after a refusal', async () => {
        const service = serviceFor();
        service.setDown(true);
        const {store, calls} = initialize(alice, service);
        await waitFor(() => expect(pluginState(store.getState()).access.status).toBe('unknown'));
        expect(calls.registerRootComponent).toBeUndefined();
        service.setDown(false);
        act(() => {
            store.dispatch({type: 'test/current_team', teamId: 'otherteamotherteamotherte1'});
        });
        await waitFor(() => expect(calls.registerRootComponent).toHaveLength(1));
        expect(service.calls.map((c) => c.context.team_id)).toEqual([expect.any(String), 'otherteamotherteamotherte1']);

        const refusing = serviceFor(refused('not_allowed'));
        const bob = initialize(member, refusing);
        await waitFor(() => expect(pluginState(bob.store.getState()).access.status).toBe('denied'));
        act(() => {
            bob.store.dispatch({type: 'test/current_team', teamId: 'otherteamotherteamotherte1'});
        });
        expect(refusing.calls).toHaveLength(1);
        expect(bob.calls.registerRootComponent).toBeUndefined();
    });
});
