// The message box: a slash command goes through the plugins' hooks first (they may swallow or rewrite it), then
// to POST /api/v4/commands/execute; anything else becomes a post. Errors keep the text, like the webapp.
import React, {useState} from 'react';
import {useSelector} from 'react-redux';

import {api} from '../api.js';
import type {HostRootState} from '../host_store.js';
import type {HostRegistry} from '../registry.js';

export function MessageBox({registry}: {registry: HostRegistry}) {
    const [text, setText] = useState('');
    const [error, setError] = useState<string | null>(null);
    const [sending, setSending] = useState(false);
    const channelId = useSelector((s: HostRootState) => s.entities.channels.currentChannelId);
    const teamId = useSelector((s: HostRootState) => s.entities.teams.currentTeamId);
    const channelName = useSelector((s: HostRootState) => s.entities.channels.channels[channelId]?.display_name ?? '');

    const send = async () => {
        const message = text.trim();
        if (!message || sending) {
            return;
        }
        setSending(true);
        setError(null);
        try {
            if (message.startsWith('/')) {
                const outcome = await registry.runSlashHooks(message, {channel_id: channelId, team_id: teamId, root_id: ''});
                if ('error' in outcome) {
                    setError(outcome.error);
                    return;
                }
                if ('message' in outcome) {
                    await api('POST', '/api/v4/commands/execute', {
                        command: outcome.message, channel_id: outcome.args.channel_id, team_id: outcome.args.team_id,
                    });
                }
            } else {
                await api('POST', '/api/v4/posts', {channel_id: channelId, message});
            }
            setText('');
        } catch (e) {
            setError(e instanceof Error ? e.message : String(e));
        } finally {
            setSending(false);
        }
    };

    return (
        <form
            className='host-message-box'
            onSubmit={(e) => {
                e.preventDefault();
                send();
            }}
        >
            <label
                htmlFor='host-message'
                className='host-sr-only'
            >
                {`Write to ${channelName}`}
            </label>
            <textarea
                id='host-message'
                className='host-message-box__input'
                placeholder={`Write to ${channelName}`}
                value={text}
                rows={2}
                onChange={(e) => setText(e.target.value)}
                onKeyDown={(e) => {
                    if (e.key === 'Enter' && !e.shiftKey) {
                        e.preventDefault();
                        send();
                    }
                }}
            />
            {error && (
                <div
                    className='host-message-box__error'
                    role='alert'
                >
                    {error}
                </div>
            )}
        </form>
    );
}
