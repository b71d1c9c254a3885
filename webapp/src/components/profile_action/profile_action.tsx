// "Offboard user" on a person's profile popover (registerPopoverUserActionsComponent): opens the modal prefilled.
// Not shown for bots or for yourself, which the service refuses anyway.
import React from 'react';
import {useDispatch, useSelector, useStore} from 'react-redux';

import {openModal} from '../../store/actions.js';
import {currentContext, currentUser} from '../../store/selectors.js';
import type {HostState} from '../../types/mattermost.js';
import type {PopoverUserActionsProps} from '../../types/mattermost.js';

export function ProfileAction({user, hide}: PopoverUserActionsProps) {
    const dispatch = useDispatch();
    const me = useSelector(currentUser);
    const store = useStore<HostState>();
    if (!user || user.is_bot || user.id === me?.id || (user.delete_at ?? 0) > 0) {
        return null;
    }
    return (
        <button
            type='button'
            className='offb-root offb-btn offb-btn--secondary offb-profile-action'
            onClick={() => {
                hide?.();
                dispatch(openModal(`@${user.username}`, currentContext(store.getState())));
            }}
        >
            {'Offboard user'}
        </button>
    );
}
