// Step 1: who is leaving. The query comes prefilled from `/offboard @user` or a profile card and is resolved at
// once; the card shows avatar, name, email and roles, and warns about admins (bots and yourself are refused).
import React, {useEffect, useRef} from 'react';
import {useSelector} from 'react-redux';

import {patchDraft} from '../../store/actions.js';
import {resolvePerson} from '../../store/operations.js';
import {pluginState} from '../../store/selectors.js';
import type {SubjectView} from '../../rpc_types.js';
import type {HostState} from '../../types/mattermost.js';
import {Avatar} from '../widgets/avatar.js';

import type {Operation} from './use_operation.js';
import {StepHeading} from '../widgets/controls.js';

const WARNINGS: Readonly<Record<string, string>> = {
    system_admin: 'is a system admin. The run removes the admin role with the rest of their access: make sure ' +
        'another admin remains.',
};

export function PersonCard({subject, warnings}: {subject: SubjectView; warnings: readonly string[]}) {
    return (
        <div
            className='offb-person'
            aria-label={`${subject.display_name}, @${subject.username}`}
            role='group'
        >
            <Avatar
                userId={subject.user_id}
                name={subject.display_name}
                size={48}
            />
            <div className='offb-person__text'>
                <div className='offb-person__name'>{subject.display_name}</div>
                <div className='offb-muted'>{`@${subject.username}`}{subject.email && ` · ${subject.email}`}</div>
                <ul
                    className='offb-badges'
                    aria-label='Roles'
                >
                    {subject.roles.map((role) => (
                        <li
                            key={role}
                            className={`offb-badge${role === 'system_admin' ? ' offb-badge--warn' : ''}`}
                        >
                            {role.replace(/_/g, ' ')}
                        </li>
                    ))}
                    {subject.is_bot && <li className='offb-badge offb-badge--warn'>{'bot'}</li>}
                </ul>
                {warnings.map((w) => (
                    <p
                        key={w}
                        className='offb-warning'
                    >
                        <strong>{'Warning: '}</strong>
                        {`@${subject.username} ${WARNINGS[w] ?? `has the warning "${w}".`}`}
                    </p>
                ))}
            </div>
        </div>
    );
}

export function PersonStep({op}: {op: Operation}) {
    const draft = useSelector((state: HostState) => pluginState(state).draft);
    const autoResolved = useRef<string | null>(null);
    const find = () => op.run('Looking up the person…', resolvePerson);

    // A prefilled query (from `/offboard @user`) is looked up once, right away.
    useEffect(() => {
        if (draft.query && !draft.subject && !draft.busy && !draft.error && autoResolved.current !== draft.query) {
            autoResolved.current = draft.query;
            find();
        }
    });

    return (
        <div>
            <StepHeading>{'Who is leaving?'}</StepHeading>
            <form
                className='offb-row'
                onSubmit={(e) => {
                    e.preventDefault();
                    find();
                }}
            >
                <label
                    htmlFor='offb-query'
                    className='offb-sr-only'
                >
                    {'Username, email or user id'}
                </label>
                <input
                    id='offb-query'
                    className='offb-input offb-grow'
                    value={draft.query}
                    placeholder='@username, email or user id'
                    autoComplete='off'
                    autoFocus={true}
                    onChange={(e) => op.ops.dispatch(patchDraft({query: e.target.value}))}
                />
                <button
                    type='submit'
                    className='offb-btn offb-btn--secondary'
                    disabled={draft.busy !== null}
                >
                    {'Find'}
                </button>
            </form>
            <p className='offb-muted'>{'Bots and your own account cannot be offboarded here.'}</p>
            {draft.subject && (
                <PersonCard
                    subject={draft.subject}
                    warnings={draft.warnings}
                />
            )}
        </div>
    );
}
