// The host page's entry: puts the libraries Mattermost shares with plugins on window (plugins/export.ts), creates
// the store and registry, loads the workspace, then loads each plugin bundle and lets it register.
import PropTypes from 'prop-types';
import React from 'react';
import ReactDOM from 'react-dom';
import {createRoot} from 'react-dom/client';
import * as ReactRedux from 'react-redux';
import * as Redux from 'redux';

import type {PluginClass} from '../../../webapp/src/types/mattermost.js';

import {api} from './api.js';
import {loadWorkspace, startEvents} from './boot.js';
import {App} from './components/app.js';
import {createHostStore} from './host_store.js';
import {HostRegistry} from './registry.js';

interface Boot {
    teamId: string;
    channelId: string;
    theme: 'light' | 'dark';
    plugins: {id: string; bundleUrl: string}[] | null;
}

declare global {
    interface Window {
        __HOST_BOOT__: Boot;
        React: typeof React;
        ReactDOM: typeof ReactDOM;
        Redux: typeof Redux;
        ReactRedux: typeof ReactRedux;
        PropTypes: typeof PropTypes;
    }
}

window.React = React;
window.ReactDOM = ReactDOM;
window.Redux = Redux;
window.ReactRedux = ReactRedux;
window.PropTypes = PropTypes;
window.basename = '';

const boot = window.__HOST_BOOT__;
const store = createHostStore();
const registry = new HostRegistry(store);
window.registerPlugin = (id: string, plugin: PluginClass) => {
    plugin.initialize(registry.forPlugin(id) as never, store as never);
};

function loadScript(src: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = src;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error(`could not load ${src}`));
        document.body.appendChild(script);
    });
}

const rootElement = document.getElementById('root');
if (rootElement) {
    createRoot(rootElement).render(
        <ReactRedux.Provider store={store}>
            <App
                registry={registry}
                theme={boot.theme}
            />
        </ReactRedux.Provider>,
    );
}

loadWorkspace(store, boot.teamId, boot.channelId).then(async () => {
    startEvents(store, registry);
    // Like the webapp: the enabled plugins' bundles come from GET /api/v4/plugins/webapp unless given.
    const plugins = boot.plugins ?? (await api<{id: string; webapp: {bundle_path: string}}[]>('GET', '/api/v4/plugins/webapp'))
        .map((p) => ({id: p.id, bundleUrl: p.webapp.bundle_path}));
    for (const plugin of plugins) {
        await loadScript(plugin.bundleUrl);
    }
    document.body.dataset.pluginsLoaded = 'true';
}).catch((e: unknown) => {
    document.body.dataset.bootError = e instanceof Error ? e.message : String(e);
    console.error('host page failed to start', e);
});
