// Step 5: the admin types the username (like deleting a repository on GitHub) and picks when: now, at a date +
// time + timezone, or after a second admin approves.
import React, {useMemo} from 'react';
import {useSelector} from 'react-redux';

import {patchDraft} from '../../store/actions.js';
import {disabledStepIds, type Draft, type RunMode} from '../../store/draft.js';
import {pluginState} from '../../store/selectors.js';
import {PHASES} from '../../rpc_types.js';
import {localTimeZone, timeZones, zonedTimeToIso} from '../../schedule_time.js';
import type {HostState} from '../../types/mattermost.js';
import {PHASE_TITLES} from '../run_card/run_card_view.js';

import type {Operation} from './use_operation.js';
import {StepHeading} from '../widgets/controls.js';

const MODES: readonly {value: RunMode; label: string; help: string}[] = [
    {value: 'now', label: 'Run now', help: 'Steps start as soon as you confirm.'},
    {value: 'schedule', label: 'Schedule', help: 'For example at the end of the last working day.'},
    {value: 'approval', label: 'Ask a second admin to approve', help: 'Nothing runs until another admin approves on the run card.'},
];

/** True when the typed text names the person (case-insensitive, with or without @). */
export function confirmMatches(draft: Pick<Draft, 'confirmText' | 'subject'>): boolean {
    const typed = draft.confirmText.trim().replace(/^@/, '').toLowerCase();
    return Boolean(draft.subject) && typed === draft.subject?.username.toLowerCase();
}

export function scheduleValid(draft: Pick<Draft, 'mode' | 'scheduleDate' | 'scheduleTime' | 'timezone'>): boolean {
    return draft.mode !== 'schedule' || zonedTimeToIso(draft.scheduleDate, draft.scheduleTime, draft.timezone || localTimeZone()) !== null;
}

export function ConfirmStep({op}: {op: Operation}) {
    const {draft, capabilities} = useSelector((s: HostState) => pluginState(s));
    const zones = useMemo(() => timeZones(), []);
    const patch = (p: Partial<Draft>) => op.ops.dispatch(patchDraft(p));
    const steps = draft.planSteps ?? [];
    const off = new Set(disabledStepIds(draft));
    const running = steps.filter((s) => !off.has(s.id));
    const username = draft.subject?.username ?? '';
    const timezone = draft.timezone || localTimeZone();
    return (
        <div>
            <StepHeading>{'Confirm'}</StepHeading>
            <p>
                {`${running.length} steps will run for @${username} (${draft.subject?.display_name ?? ''}): `}
                {PHASES.map((phase) => [phase, running.filter((s) => s.phase === phase).length] as const)
                    .filter(([, n]) => n > 0).map(([phase, n]) => `${n} ${PHASE_TITLES[phase].toLowerCase()}`).join(', ')}
                {`. ${running.filter((s) => s.kind === 'manual').length} manual, ${off.size} switched off.`}
            </p>
            <fieldset className='offb-box'>
                <legend className='offb-box__title'>{'When'}</legend>
                {capabilities?.require_approval && (
                    <p className='offb-muted'>{'This server requires a second admin to approve every run.'}</p>
                )}
                {MODES.map((m) => (
                    <div
                        key={m.value}
                        className='offb-radio'
                    >
                        <input
                            id={`offb-mode-${m.value}`}
                            type='radio'
                            name='offb-mode'
                            value={m.value}
                            checked={draft.mode === m.value}
                            aria-describedby={`offb-mode-${m.value}-help`}
                            onChange={() => patch({mode: m.value})}
                        />
                        <label htmlFor={`offb-mode-${m.value}`}>{m.label}</label>
                        <span
                            id={`offb-mode-${m.value}-help`}
                            className='offb-muted'
                        >
                            {` ${m.help}`}
                        </span>
                    </div>
                ))}
                {draft.mode === 'schedule' && (
                    <div className='offb-row offb-schedule'>
                        <div className='offb-field'>
                            <label htmlFor='offb-schedule-date'>{'Date'}</label>
                            <input
                                id='offb-schedule-date'
                                type='date'
                                className='offb-input'
                                value={draft.scheduleDate}
                                required={true}
                                onChange={(e) => patch({scheduleDate: e.target.value})}
                            />
                        </div>
                        <div className='offb-field'>
                            <label htmlFor='offb-schedule-time'>{'Time'}</label>
                            <input
                                id='offb-schedule-time'
                                type='time'
                                className='offb-input'
                                value={draft.scheduleTime}
                                required={true}
                                onChange={(e) => patch({scheduleTime: e.target.value})}
                            />
                        </div>
                        <div className='offb-field'>
                            <label htmlFor='offb-schedule-zone'>{'Timezone'}</label>
                            <select
                                id='offb-schedule-zone'
                                className='offb-input'
                                value={timezone}
                                onChange={(e) => patch({timezone: e.target.value})}
                            >
                                {zones.map((z) => (
                                    <option
                                        key={z}
                                        value={z}
                                    >
                                        {z}
                                    </option>
                                ))}
                            </select>
                        </div>
                    </div>
                )}
            </fieldset>
            <div className='offb-field'>
                <label htmlFor='offb-confirm'>
                    {'Type '}
                    <strong>{username}</strong>
                    {' to confirm'}
                </label>
                <input
                    id='offb-confirm'
                    className='offb-input'
                    value={draft.confirmText}
                    autoComplete='off'
                    aria-invalid={draft.confirmText !== '' && !confirmMatches(draft)}
                    onChange={(e) => patch({confirmText: e.target.value})}
                />
            </div>
        </div>
    );
}
