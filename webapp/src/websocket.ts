// Live run cards: `posted` and `post_edited` websocket events carry the post as a JSON string; run cards among them
// go into the plugin's reducer, which keeps only the newest per post (by updated_at).
import type {Dispatch} from 'redux';

import {parseRunCard, RUN_CARD_POST_TYPE} from './components/run_card/run_card_schema.js';
import {runCardReceived} from './store/actions.js';
import type {WebSocketMessage} from './types/mattermost.js';

export function handleRunCardEvent(dispatch: Dispatch) {
    return (msg: WebSocketMessage): void => {
        const raw = msg.data?.post;
        if (typeof raw !== 'string') {
            return;
        }
        let post: unknown;
        try {
            post = JSON.parse(raw);
        } catch {
            return;
        }
        if (typeof post !== 'object' || post === null) {
            return;
        }
        const {id, channel_id: channelId, type, props} = post as Record<string, unknown>;
        if (type !== RUN_CARD_POST_TYPE || typeof id !== 'string' || typeof channelId !== 'string') {
            return;
        }
        const card = parseRunCard(props);
        if (card) {
            dispatch(runCardReceived(id, channelId, card));
        }
    };
}
