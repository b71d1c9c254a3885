// Component-test harness: a real Redux store shaped like the host's (entities + the plugin's reducer) and the
// plugin's client over a fake transport; no module mocks.
import {act, render, screen} from '@testing-library/react';
import React from 'react';
import {Provider} from 'react-redux';
import {combineReducers, legacy_createStore as createStore, type Action, type Reducer} from 'redux';

import {createClient, type Client} from '../client.js';
import {ClientContext} from '../client_context.js';
import {openModal} from '../store/actions.js';
import {reducer} from '../store/reducer.js';
import {PLUGIN_STATE_KEY} from '../store/selectors.js';
import type {HostState, HostStore, UserProfile} from '../types/mattermost.js';

import {ADMIN_ID, CHANNEL_ID, TEAM_ID} from './fixtures.js';
import type {FakeService} from './fake_service.js';

export const admin: UserProfile = {id: ADMIN_ID, username: 'sysadmin', roles: 'system_user system_admin', email: 'sysadmin@example.com'};
export const member: UserProfile = {id: 'bobbobbobbobbobbobbobbobbo', username: 'bob', roles: 'system_user'};

type EntitiesAction = {type: 'test/current_user'; user: UserProfile} | {type: 'test/current_team'; teamId: string};

export function createTestStore(user: UserProfile | null = admin): HostStore {
    const entities = (state: HostState['entities'] | undefined, incoming: Action): HostState['entities'] => {
        const s = state ?? {
            users: {currentUserId: user?.id ?? '', profiles: user ? {[user.id]: user} : {}},
            teams: {currentTeamId: TEAM_ID},
            channels: {currentChannelId: CHANNEL_ID},
        };
        const action = incoming as EntitiesAction;
        if (action.type === 'test/current_user') {
            return {...s, users: {currentUserId: action.user.id, profiles: {...s.users.profiles, [action.user.id]: action.user}}};
        }
        if (action.type === 'test/current_team') {
            return {...s, teams: {currentTeamId: action.teamId}};
        }
        return s;
    };
    return createStore(combineReducers({entities, [PLUGIN_STATE_KEY]: reducer}) as unknown as Reducer<HostState, Action>);
}

export function testClient(service: FakeService): Client {
    return createClient({getSiteUrl: () => 'http://mm.test', fetch: service.fetch, getCookies: () => 'MMCSRF=csrf-token-1; other=x'});
}

export function renderWithHost(ui: React.ReactElement, store: HostStore, client: Client) {
    // The plugin's state changes when the (fake) service answers, outside any user event, exactly as in a browser;
    // the tests wait for the result with findBy*/waitFor. React's act() check (switched on by testing-library in
    // beforeAll) would flag every such answer.
    (globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = false;
    function Host({children}: {children: React.ReactNode}) {
        return (
            <Provider store={store}>
                <ClientContext.Provider value={client}>{children}</ClientContext.Provider>
            </Provider>
        );
    }
    return render(ui, {wrapper: Host});
}

/** Where the tests open the modal from: Town Square of the test team. */
export const modalContext = {channel_id: CHANNEL_ID, team_id: TEAM_ID};

/** Opens the modal for `/offboard @dana` and waits until the service has resolved her. */
export async function openForDana(store: HostStore): Promise<void> {
    act(() => {
        store.dispatch(openModal('@dana', modalContext));
    });
    await screen.findByText('Dana Whitfield');
}
