// The profile popover: picture, name, position and email, then the plugins' PopoverUserActions components with
// the documented props {user, hide, status}. Esc or "Close" hides it and focus returns to where it was opened.
import React, {useEffect, useRef} from 'react';

import type {UserProfile} from '../../../../webapp/src/types/mattermost.js';
import type {HostRegistry} from '../registry.js';

import {PluginBoundary} from './plugin_boundary.js';

interface Props {
    user: UserProfile;
    registry: HostRegistry;
    hide(): void;
}

export function ProfilePopover({user, registry, hide}: Props) {
    const box = useRef<HTMLDivElement>(null);
    useEffect(() => {
        const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        box.current?.focus();
        return () => opener?.focus();
    }, []);
    const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username;
    return (
        <div
            ref={box}
            className='host-popover'
            role='dialog'
            aria-label={`Profile of ${name}`}
            tabIndex={-1}
            onKeyDown={(e) => {
                if (e.key === 'Escape') {
                    hide();
                }
            }}
        >
            <img
                className='host-avatar host-avatar--large'
                src={`/api/v4/users/${user.id}/image`}
                alt=''
                width={64}
                height={64}
            />
            <div className='host-popover__name'>{name}</div>
            <div className='host-muted'>{`@${user.username}`}</div>
            {user.position && <div>{user.position}</div>}
            {user.email && <div className='host-muted'>{user.email}</div>}
            <div className='host-popover__actions'>
                {registry.popoverUserActions.map(({id, value: Component}) => (
                    <PluginBoundary key={id}>
                        <Component
                            user={user}
                            hide={hide}
                            status='online'
                        />
                    </PluginBoundary>
                ))}
            </div>
            <button
                type='button'
                className='host-btn'
                onClick={hide}
            >
                {'Close'}
            </button>
        </div>
    );
}
