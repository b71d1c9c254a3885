// The host page layout: channel sidebar, the channel (header with the main menu, posts, message box), the
// channel's members (each opens a profile popover) and the plugins' root components.
import React, {useEffect, useState, useSyncExternalStore} from 'react';
import {useSelector, useStore} from 'react-redux';

import type {UserProfile} from '../../../../webapp/src/types/mattermost.js';
import {api} from '../api.js';
import {loadUsers, selectChannel} from '../boot.js';
import type {HostRootState, HostStore} from '../host_store.js';
import {HOST_CSS} from '../host_styles.js';
import type {HostRegistry} from '../registry.js';

import {MessageBox} from './message_box.js';
import {PluginBoundary} from './plugin_boundary.js';
import {PostList} from './post_list.js';
import {ProfilePopover} from './profile_popover.js';

function MainMenu({registry}: {registry: HostRegistry}) {
    const [open, setOpen] = useState(false);
    return (
        <div className='host-menu'>
            <button
                type='button'
                className='host-btn'
                aria-haspopup='menu'
                aria-expanded={open}
                onClick={() => setOpen(!open)}
            >
                {'Main menu'}
            </button>
            {open && (
                <ul
                    className='host-menu__list'
                    role='menu'
                >
                    {registry.mainMenuActions.map(({id, value}) => (
                        <li
                            key={id}
                            role='none'
                        >
                            <button
                                type='button'
                                role='menuitem'
                                className='host-menu__item'
                                onClick={() => {
                                    setOpen(false);
                                    value.action();
                                }}
                            >
                                {value.text}
                            </button>
                        </li>
                    ))}
                    {registry.mainMenuActions.length === 0 && <li className='host-muted'>{'No actions'}</li>}
                </ul>
            )}
        </div>
    );
}

function Members({channelId, onOpen}: {channelId: string; onOpen(user: UserProfile): void}) {
    const store = useStore() as HostStore;
    const [ids, setIds] = useState<string[]>([]);
    const profiles = useSelector((s: HostRootState) => s.entities.users.profiles);
    useEffect(() => {
        let live = true;
        api<{user_id: string}[]>('GET', `/api/v4/channels/${channelId}/members?per_page=200`).then(async (members) => {
            const memberIds = members.map((m) => m.user_id);
            await loadUsers(store, memberIds);
            if (live) {
                setIds(memberIds);
            }
        }).catch(() => setIds([]));
        return () => {
            live = false;
        };
    }, [channelId, store]);
    return (
        <aside
            className='host-members'
            aria-label='Channel members'
        >
            <h2 className='host-members__title'>{'Members'}</h2>
            <ul className='host-members__list'>
                {ids.map((id) => profiles[id]).filter((u): u is UserProfile => Boolean(u)).map((u) => (
                    <li key={u.id}>
                        <button
                            type='button'
                            className='host-member'
                            onClick={() => onOpen(u)}
                        >
                            <img className='host-avatar' src={`/api/v4/users/${u.id}/image`} alt='' width={24} height={24}/>
                            {u.username}
                        </button>
                    </li>
                ))}
            </ul>
        </aside>
    );
}

export function App({registry, theme}: {registry: HostRegistry; theme: string}) {
    useSyncExternalStore(registry.subscribe, registry.getVersion);
    const store = useStore() as HostStore;
    const [profile, setProfile] = useState<UserProfile | null>(null);
    const team = useSelector((s: HostRootState) => s.entities.teams.teams[s.entities.teams.currentTeamId]);
    const channels = useSelector((s: HostRootState) => s.host.channelOrder.map((id) => s.entities.channels.channels[id]));
    const channelId = useSelector((s: HostRootState) => s.entities.channels.currentChannelId);
    const me = useSelector((s: HostRootState) => s.entities.users.profiles[s.entities.users.currentUserId]);
    const current = channels.find((c) => c?.id === channelId);
    return (
        <div className={`host host--${theme}`}>
            <style>{HOST_CSS}</style>
            <nav className='host-sidebar' aria-label='Channels'>
                <div className='host-sidebar__team'>{team?.display_name ?? '…'}</div>
                <div className='host-sidebar__me'>{me ? `@${me.username}` : ''}</div>
                <ul className='host-sidebar__list'>
                    {channels.map((c) => c && (
                        <li key={c.id}>
                            <button
                                type='button'
                                className='host-sidebar__channel'
                                aria-current={c.id === channelId ? 'page' : undefined}
                                onClick={() => selectChannel(store, c.id)}
                            >
                                <span aria-hidden='true' className='host-sidebar__icon'>{c.type === 'P' ? '◆' : '#'}</span>
                                {c.type === 'P' && <span className='host-sr-only'>{'Private channel: '}</span>}
                                {c.display_name}
                            </button>
                        </li>
                    ))}
                </ul>
            </nav>
            <main className='host-center'>
                <header className='host-header'>
                    <h1 className='host-header__title'>{current?.display_name ?? ''}</h1>
                    <MainMenu registry={registry}/>
                </header>
                <PostList
                    registry={registry}
                    onOpenProfile={(u) => setProfile(u)}
                />
                <MessageBox registry={registry}/>
            </main>
            {channelId && (
                <Members
                    channelId={channelId}
                    onOpen={setProfile}
                />
            )}
            {profile && (
                <ProfilePopover
                    user={profile}
                    registry={registry}
                    hide={() => setProfile(null)}
                />
            )}
            {registry.rootComponents.map(({id, value: Component}) => (
                <PluginBoundary key={id}>
                    <Component/>
                </PluginBoundary>
            ))}
        </div>
    );
}
