// One step of the run card: its state icon and title, the reason of a failure (expandable), and for admins the
// retry / skip / complete buttons; skipping and completing ask for the note the service requires.
import React, {useState} from 'react';

import type {StepState} from '../../rpc_types.js';

import type {CardStep} from './run_card_schema.js';
import {actionKey, type RunAction, type RunActionState} from './use_run_action.js';

export const STATE_LABELS: Readonly<Record<StepState, string>> = {
    pending: 'Pending',
    running: 'Running',
    done: 'Done',
    already_done: 'Already done',
    failed: 'Failed',
    skipped: 'Skipped',
    manual_pending: 'Waiting for a person',
    manual_done: 'Done by hand',
};

const STATE_GLYPHS: Readonly<Record<StepState, string>> = {
    pending: '○',
    running: '◔',
    done: '✓',
    already_done: '✓',
    failed: '✕',
    skipped: '–',
    manual_pending: '✋',
    manual_done: '✓',
};

export function StateIcon({state}: {state: StepState}) {
    return (
        <span
            className={`offb-state offb-state--${state}`}
            role='img'
            aria-label={STATE_LABELS[state]}
            title={STATE_LABELS[state]}
        >
            {STATE_GLYPHS[state]}
        </span>
    );
}

interface NoteFormProps {
    id: string;
    label: string;
    submitLabel: string;
    busy: boolean;
    onSubmit(note: string): void;
    onCancel(): void;
}

function NoteForm({id, label, submitLabel, busy, onSubmit, onCancel}: NoteFormProps) {
    const [note, setNote] = useState('');
    return (
        <form
            className='offb-note-form'
            onSubmit={(e) => {
                e.preventDefault();
                if (note.trim()) {
                    onSubmit(note.trim());
                }
            }}
        >
            <label htmlFor={id}>{label}</label>
            <textarea
                id={id}
                className='offb-input'
                value={note}
                required={true}
                rows={2}
                maxLength={2000}
                autoFocus={true}
                onChange={(e) => setNote(e.target.value)}
                onKeyDown={(e) => {
                    if (e.key === 'Escape') {
                        e.stopPropagation();
                        onCancel();
                    }
                }}
            />
            <div className='offb-row'>
                <button
                    type='submit'
                    className='offb-btn offb-btn--primary'
                    disabled={busy || !note.trim()}
                >
                    {submitLabel}
                </button>
                <button
                    type='button'
                    className='offb-btn offb-btn--tertiary'
                    onClick={onCancel}
                >
                    {'Cancel'}
                </button>
            </div>
        </form>
    );
}

interface Props {
    step: CardStep;
    canAct: boolean;
    runOpen: boolean;
    actions: RunActionState;
}

type NoteAction = Extract<RunAction, 'skip_step' | 'complete_manual'>;

export function StepRow({step, canAct, runOpen, actions}: Props) {
    const [expanded, setExpanded] = useState(false);
    const [noteFor, setNoteFor] = useState<NoteAction | null>(null);
    const domId = `offb-step-${step.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const failed = step.state === 'failed';
    const acting = canAct && runOpen;
    const error = actions.error && [actionKey('retry_step', step.id), actionKey('skip_step', step.id),
        actionKey('complete_manual', step.id)].includes(actions.error.key) ? actions.error.message : null;
    const busy = actions.pending !== null;
    const submitNote = async (action: NoteAction, note: string) => {
        if (await actions.act(action, step.id, note)) {
            setNoteFor(null);
        }
    };
    return (
        <li className={`offb-step offb-step--${step.state}`}>
            <div className='offb-step__line'>
                <StateIcon state={step.state}/>
                <span className='offb-step__title'>{step.title}</span>
                {step.kind === 'manual' && <span className='offb-badge'>{'manual'}</span>}
                {step.verified === true && <span className='offb-badge offb-badge--ok'>{'verified'}</span>}
                {step.assignee && <span className='offb-muted'>{`assigned to ${step.assignee}`}</span>}
                {failed && (
                    <button
                        type='button'
                        className='offb-link'
                        aria-expanded={expanded}
                        aria-controls={`${domId}-details`}
                        onClick={() => setExpanded(!expanded)}
                    >
                        {expanded ? 'Hide reason' : 'Show reason'}
                    </button>
                )}
            </div>
            {failed && expanded && (
                <div
                    id={`${domId}-details`}
                    className='offb-step__reason'
                >
                    {step.error ?? 'No reason was recorded.'}
                </div>
            )}
            {step.note && <div className='offb-muted offb-step__note'>{`Note: ${step.note}`}</div>}
            {acting && noteFor === null && (failed || step.state === 'manual_pending') && (
                <div className='offb-row offb-step__actions'>
                    {failed && (
                        <button
                            type='button'
                            className='offb-btn offb-btn--secondary'
                            disabled={busy}
                            onClick={() => actions.act('retry_step', step.id)}
                        >
                            {'Retry'}
                            <span className='offb-sr-only'>{` ${step.title}`}</span>
                        </button>
                    )}
                    {step.state === 'manual_pending' && (
                        <button
                            type='button'
                            className='offb-btn offb-btn--secondary'
                            disabled={busy}
                            onClick={() => setNoteFor('complete_manual')}
                        >
                            {'Complete…'}
                            <span className='offb-sr-only'>{` ${step.title}`}</span>
                        </button>
                    )}
                    {(failed || step.state === 'manual_pending') && (
                        <button
                            type='button'
                            className='offb-btn offb-btn--tertiary'
                            disabled={busy}
                            onClick={() => setNoteFor('skip_step')}
                        >
                            {'Skip…'}
                            <span className='offb-sr-only'>{` ${step.title}`}</span>
                        </button>
                    )}
                </div>
            )}
            {acting && noteFor !== null && (
                <NoteForm
                    id={`${domId}-note`}
                    label={noteFor === 'complete_manual' ? 'What was done? (required)' : 'Why skip this step? (required)'}
                    submitLabel={noteFor === 'complete_manual' ? 'Mark as done' : 'Skip step'}
                    busy={busy}
                    onSubmit={(note) => submitNote(noteFor, note)}
                    onCancel={() => setNoteFor(null)}
                />
            )}
            {error && (
                <div
                    className='offb-error offb-error--inline'
                    role='alert'
                >
                    {error}
                </div>
            )}
        </li>
    );
}
