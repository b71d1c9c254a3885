// Plugin entry: registration only. The run card and live updates are for everyone in the run channel; the entry
// points (slash hook, profile card button, main menu item, the modal) only for people the service lets offboard
// (system admins, access.allowed_users, access.allowed_groups), as it answers the probe in access.ts.
import {watchAccess} from './access.js';
import {createClient} from './client.js';
import {withClient} from './client_context.js';
import {OffboardModal} from './components/offboard_modal/offboard_modal.js';
import {ProfileAction} from './components/profile_action/profile_action.js';
import {RunCardPost} from './components/run_card/run_card_post.js';
import {RUN_CARD_POST_TYPE} from './components/run_card/run_card_schema.js';
import manifest from './manifest.js';
import {createSlashHook} from './slash_hook.js';
import {openModal} from './store/actions.js';
import {reducer} from './store/reducer.js';
import {currentContext, mayOffboard, siteUrl} from './store/selectors.js';
import {ensureStyles} from './styles.js';
import type {HostStore, PluginClass, PluginRegistry} from './types/mattermost.js';
import {handleRunCardEvent} from './websocket.js';

export const MAIN_MENU_TEXT = 'Offboard a user…';

export default class Plugin implements PluginClass {
    private stopWatching: (() => void) | null = null;

    initialize(registry: PluginRegistry, store: HostStore): void {
        ensureStyles();
        const client = createClient({getSiteUrl: siteUrl});
        registry.registerReducer(reducer);
        registry.registerPostTypeComponent(RUN_CARD_POST_TYPE, withClient(RunCardPost, client));
        const onCard = handleRunCardEvent(store.dispatch);
        registry.registerWebSocketEventHandler('posted', onCard);
        registry.registerWebSocketEventHandler('post_edited', onCard);

        const open = (prefill: string | null, context = currentContext(store.getState())) => {
            store.dispatch(openModal(prefill, context));
        };
        let entryPoints: string[] = [];
        const checkAccess = watchAccess(store, client);
        // The current user and the service's answer arrive after the plugin loads, and may change: follow both.
        const sync = () => {
            checkAccess();
            const wanted = mayOffboard(store.getState());
            if (wanted && entryPoints.length === 0) {
                entryPoints = [
                    registry.registerRootComponent(withClient(OffboardModal, client)),
                    registry.registerPopoverUserActionsComponent(withClient(ProfileAction, client)),
                    registry.registerMainMenuAction(MAIN_MENU_TEXT, () => open(null), null),
                    registry.registerSlashCommandWillBePostedHook(createSlashHook(open)),
                ];
            } else if (!wanted && entryPoints.length > 0) {
                const ids = entryPoints;
                entryPoints = [];
                for (const id of ids) {
                    registry.unregisterComponent(id);
                }
            }
        };
        this.stopWatching = store.subscribe(sync);
        sync();
    }

    uninitialize(): void {
        this.stopWatching?.();
        this.stopWatching = null;
    }
}

window.registerPlugin(manifest.id, new Plugin());
