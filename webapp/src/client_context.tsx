// Hands the RPC client to components through context (no module singleton), and the ops bundle built on it.
import React, {useContext, useMemo} from 'react';
import {useDispatch, useStore} from 'react-redux';

import type {Client} from './client.js';
import type {Ops} from './store/operations.js';
import type {HostState} from './types/mattermost.js';

export const ClientContext = React.createContext<Client | null>(null);

export function useClient(): Client {
    const client = useContext(ClientContext);
    if (!client) {
        throw new Error('the offboarding client is missing: wrap the component with withClient()');
    }
    return client;
}

export function useOps(): Ops {
    const client = useClient();
    const dispatch = useDispatch();
    const store = useStore();
    return useMemo(() => ({client, dispatch, getState: () => store.getState() as HostState}), [client, dispatch, store]);
}

/** The component the registry receives: the plugin's component inside the client's context. */
export function withClient<P extends object>(Component: React.ComponentType<P>, client: Client): React.ComponentType<P> {
    function WithClient(props: P) {
        return (
            <ClientContext.Provider value={client}>
                <Component {...props}/>
            </ClientContext.Provider>
        );
    }
    WithClient.displayName = `WithClient(${Component.displayName ?? Component.name})`;
    return WithClient;
}
