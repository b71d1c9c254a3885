// The channel's posts, oldest first; custom post types render through the component a plugin registered.
import React from 'react';
import {useSelector} from 'react-redux';

import type {UserProfile} from '../../../../webapp/src/types/mattermost.js';
import type {HostPost, HostRootState} from '../host_store.js';
import type {HostRegistry} from '../registry.js';

import {PluginBoundary} from './plugin_boundary.js';

interface Props {
    registry: HostRegistry;
    onOpenProfile(user: UserProfile, anchor: HTMLElement): void;
}

function PostView({post, registry, onOpenProfile}: Props & {post: HostPost}) {
    const user = useSelector((s: HostRootState) => s.entities.users.profiles[post.user_id]);
    const custom = post.type.startsWith('custom_') ? registry.postTypes.get(post.type) : undefined;
    const Component = custom?.value;
    return (
        <article
            className={`host-post${post.root_id ? ' host-post--reply' : ''}`}
            data-post-id={post.id}
            data-post-type={post.type || 'default'}
        >
            <img
                className='host-avatar'
                src={`/api/v4/users/${post.user_id}/image`}
                alt=''
                width={32}
                height={32}
            />
            <div className='host-post__body'>
                <div className='host-post__meta'>
                    <button
                        type='button'
                        className='host-post__user'
                        onClick={(e) => user && onOpenProfile(user, e.currentTarget)}
                    >
                        {user?.username ?? 'someone'}
                    </button>
                    {user?.is_bot && <span className='host-badge'>{'BOT'}</span>}
                    <time dateTime={new Date(post.create_at).toISOString()}>{new Date(post.create_at).toLocaleTimeString()}</time>
                    {post.ephemeral && <span className='host-muted'>{'(Only visible to you)'}</span>}
                    {post.edit_at ? <span className='host-muted'>{'Edited'}</span> : null}
                </div>
                {Component ? (
                    <PluginBoundary>
                        <Component post={post}/>
                    </PluginBoundary>
                ) : (
                    <div className='host-post__message'>{post.message}</div>
                )}
            </div>
        </article>
    );
}

export function PostList(props: Props) {
    const posts = useSelector((s: HostRootState) => s.host.posts[s.entities.channels.currentChannelId] ?? []);
    return (
        <div
            className='host-posts'
            role='log'
            aria-label='Posts'
        >
            {posts.length === 0 && <p className='host-muted'>{'No posts yet.'}</p>}
            {posts.map((p) => (
                <PostView
                    key={p.id}
                    post={p}
                    {...props}
                />
            ))}
        </div>
    );
}
