// The person's identity in one system, as the admin corrects it: an "Edit" button opens a labelled field (one id per
// line or comma-separated), checked as typed; "Look up again" runs discovery again with every identity entered so far.
import React, {useEffect, useRef} from 'react';
import {useSelector} from 'react-redux';

import {patchDraft} from '../../store/actions.js';
import {identityProblem, splitIds} from '../../store/entered.js';
import {lookUpIdentities} from '../../store/operations.js';
import {pluginState} from '../../store/selectors.js';
import type {IdentityInputView} from '../../rpc_types.js';
import type {HostState} from '../../types/mattermost.js';

import type {Operation} from './use_operation.js';

interface Props {
    providerId: string;
    title: string;
    input: IdentityInputView;
    op: Operation;
}

export function IdentityEditor({providerId, title, input, op}: Props) {
    const draft = useSelector((state: HostState) => pluginState(state).draft);
    const text = draft.identityInputs[providerId];
    const open = text !== undefined;
    const entered = draft.enteredIdentities[providerId] ?? [];
    const editButton = useRef<HTMLButtonElement>(null);
    const wasOpen = useRef(open);
    // Closing the editor gives focus back to the button that opened it.
    useEffect(() => {
        if (wasOpen.current && !open) {
            editButton.current?.focus();
        }
        wasOpen.current = open;
    }, [open]);

    const field = `identities.${providerId}`;
    const setText = (value: string | undefined) => {
        const inputs = {...draft.identityInputs};
        if (value === undefined) {
            delete inputs[providerId];
        } else {
            inputs[providerId] = value;
        }
        op.ops.dispatch(patchDraft({identityInputs: inputs, ...(draft.error?.field === field ? {error: null} : {})}));
    };
    const id = `offb-identity-${providerId}`;
    const many = input.max_ids > 1;
    const label = many ? `${title}: ${input.label}s` : `${title}: ${input.label}`;
    const problem = open ? identityProblem(input, splitIds(text)) ?? (draft.error?.field === field ? draft.error.message : null) : null;
    const busy = draft.busy !== null;
    // Typed but not looked up yet: Next would go on with the identities shown above.
    const pending = open && splitIds(text).join('\n') !== entered.join('\n');
    const lookUp = () => {
        op.run('Looking up the entered identities…', lookUpIdentities);
    };

    if (!open) {
        return (
            <div className='offb-row'>
                {entered.length > 0 && <span className='offb-muted'>{`Entered by you: ${entered.join(', ')}`}</span>}
                <button
                    ref={editButton}
                    id={`${id}-edit`}
                    type='button'
                    className='offb-btn offb-btn--tertiary'
                    onClick={() => setText(entered.join(many ? '\n' : ''))}
                >
                    {`Edit ${input.label}${many ? 's' : ''}`}
                </button>
            </div>
        );
    }
    const describedBy = [`${id}-help`, problem ? `${id}-error` : ''].filter(Boolean).join(' ');
    const common = {
        id,
        className: 'offb-input',
        value: text,
        placeholder: input.placeholder,
        autoFocus: true,
        spellCheck: false,
        autoCapitalize: 'off',
        autoComplete: 'off',
        'aria-invalid': problem ? true : undefined,
        'aria-describedby': describedBy,
    };
    return (
        <div className='offb-identity-editor'>
            <div className='offb-field'>
                <label htmlFor={id}>{label}</label>
                {many ? (
                    <textarea
                        {...common}
                        rows={3}
                        onChange={(e) => setText(e.target.value)}
                    />
                ) : (
                    <input
                        {...common}
                        onChange={(e) => setText(e.target.value)}
                        onKeyDown={(e) => {
                            if (e.key === 'Enter' && !problem && !busy) {
                                e.preventDefault();
                                lookUp();
                            }
                        }}
                    />
                )}
                <div
                    id={`${id}-help`}
                    className='offb-muted'
                >
                    {many ? 'One per line or separated by commas. Leave empty to find them automatically again.' :
                        'Leave empty to find it automatically again.'}
                    {pending && !problem && ' Not looked up yet: the identities above are still the ones in use.'}
                </div>
                {problem && (
                    <div
                        id={`${id}-error`}
                        className='offb-error offb-error--inline'
                        role='alert'
                    >
                        {problem}
                    </div>
                )}
            </div>
            <div className='offb-row'>
                <button
                    type='button'
                    className='offb-btn offb-btn--secondary'
                    disabled={busy || problem !== null}
                    onClick={lookUp}
                >
                    {'Look up again'}
                </button>
                <button
                    type='button'
                    className='offb-btn offb-btn--tertiary'
                    disabled={busy}
                    onClick={() => setText(undefined)}
                >
                    {'Cancel'}
                </button>
            </div>
        </div>
    );
}
