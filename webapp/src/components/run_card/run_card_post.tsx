// The `custom_offboarding_run` post type: parses post.props defensively, prefers a newer card received over the
// websocket (post_edited), and falls back to the post's Markdown message when the props are unusable.
import React from 'react';
import {useSelector} from 'react-redux';

import {cardEntryForPost, currentUser, mayOffboard, newerCard, pluginState, providerTitles} from '../../store/selectors.js';
import type {HostState, PostTypeProps} from '../../types/mattermost.js';

import {RunCardView} from './run_card_view.js';
import {parseRunCard} from './run_card_schema.js';

export function RunCardPost({post}: PostTypeProps) {
    const fromStore = useSelector((state: HostState) => cardEntryForPost(state, post.id)?.card);
    const user = useSelector(currentUser);
    const teamId = useSelector((state: HostState) => state.entities.teams.currentTeamId);
    const capabilities = useSelector((state: HostState) => pluginState(state).capabilities);
    const canAct = useSelector(mayOffboard);
    const card = newerCard(parseRunCard(post.props), fromStore);
    if (!card) {
        return (
            <div className='offb-root offb-card offb-card--fallback'>
                <p className='offb-muted'>{'This offboarding run card could not be displayed; its text version follows.'}</p>
                <div className='offb-card__fallback-text'>{post.message}</div>
            </div>
        );
    }
    const titles = providerTitles(capabilities);
    return (
        <RunCardView
            card={card}
            context={{channel_id: post.channel_id, team_id: teamId}}
            canAct={canAct}
            currentUserId={user?.id ?? ''}
            providerTitles={titles}
        />
    );
}
