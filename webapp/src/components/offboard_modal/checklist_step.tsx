// Step 4: the checklist the service proposes, grouped by phase, each item with a switch; per-system options
// (such as "keep the account") rebuild the checklist. Manual items show their instructions and an assignee field.
import React, {useEffect} from 'react';
import {useSelector} from 'react-redux';

import {patchDraft} from '../../store/actions.js';
import {disabledStepIds, effectiveOptions, type OptionValue} from '../../store/draft.js';
import {assigneeOf} from '../../store/entered.js';
import {buildChecklist, planKeyOf} from '../../store/operations.js';
import {pluginState, providerTitles} from '../../store/selectors.js';
import {PHASES, type PlanOptionView, type StepSpecView} from '../../rpc_types.js';
import type {HostState} from '../../types/mattermost.js';
import {PHASE_TITLES} from '../run_card/run_card_view.js';
import {Busy, StepHeading, Switch} from '../widgets/controls.js';

import type {Operation} from './use_operation.js';

interface OptionFieldProps {
    id: string;
    option: PlanOptionView;
    value: OptionValue;
    onChange(value: OptionValue): void;
}

function OptionField({id, option, value, onChange}: OptionFieldProps) {
    if (option.type === 'boolean') {
        return (
            <Switch
                id={id}
                label={option.title}
                checked={value === true}
                onChange={onChange}
            />
        );
    }
    if (option.type === 'choice') {
        return (
            <div className='offb-field'>
                <label htmlFor={id}>{option.title}</label>
                <select
                    id={id}
                    className='offb-input'
                    value={String(value ?? '')}
                    onChange={(e) => onChange(e.target.value)}
                >
                    {(option.choices ?? []).map((c) => (
                        <option
                            key={c.value}
                            value={c.value}
                        >
                            {c.title}
                        </option>
                    ))}
                </select>
            </div>
        );
    }
    return (
        <div className='offb-field'>
            <label htmlFor={id}>{option.title}</label>
            <input
                id={id}
                className='offb-input'
                value={String(value ?? '')}
                onChange={(e) => onChange(e.target.value)}
            />
        </div>
    );
}

const REPLAN_DELAY_MS = 400;

interface AssigneeFieldProps {
    id: string;
    step: StepSpecView;
    value: string;
    disabled: boolean;
    error: string | null;
    onChange(value: string): void;
}

/** Who does a manual step: a Mattermost username (the service checks it); empty leaves the step unassigned. */
function AssigneeField({id, step, value, disabled, error, onChange}: AssigneeFieldProps) {
    return (
        <div className='offb-field offb-assignee'>
            <label htmlFor={id}>
                {'Assignee'}
                <span className='offb-sr-only'>{` of "${step.title}"`}</span>
            </label>
            <input
                id={id}
                className='offb-input'
                value={value}
                placeholder='username'
                disabled={disabled}
                spellCheck={false}
                autoCapitalize='off'
                autoComplete='off'
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? `${id}-error` : `${id}-help`}
                onChange={(e) => onChange(e.target.value)}
            />
            {error ? (
                <div
                    id={`${id}-error`}
                    className='offb-error offb-error--inline'
                    role='alert'
                >
                    {error}
                </div>
            ) : (
                <div
                    id={`${id}-help`}
                    className='offb-muted'
                >
                    {'A Mattermost username; empty: unassigned, anyone who may offboard completes it.'}
                </div>
            )}
        </div>
    );
}

const domId = (stepId: string) => stepId.replace(/[^A-Za-z0-9_-]/g, '_');

export function ChecklistStep({op}: {op: Operation}) {
    const state = useSelector((s: HostState) => pluginState(s));
    const {draft, capabilities} = state;
    const options = effectiveOptions(capabilities, draft);
    const stale = draft.planKey !== JSON.stringify(options);

    // The checklist follows the options: rebuilt (after typing settles) whenever they differ from the last build.
    useEffect(() => {
        if (!stale || draft.busy || draft.error || !draft.inventory?.done) {
            return undefined;
        }
        const timer = setTimeout(() => {
            if (draft.planKey !== planKeyOf(op.ops)) {
                op.run('Building the checklist…', buildChecklist);
            }
        }, draft.planSteps ? REPLAN_DELAY_MS : 0);
        return () => clearTimeout(timer);
    });

    const setOption = (provider: string, key: string, value: OptionValue) => op.ops.dispatch(patchDraft({
        options: {...draft.options, [provider]: {...draft.options[provider], [key]: value}},
    }));
    const toggleStep = (id: string, on: boolean) => op.ops.dispatch(patchDraft({
        disabledSteps: on ? draft.disabledSteps.filter((s) => s !== id) : [...draft.disabledSteps, id],
    }));
    const setAssignee = (id: string, value: string) => op.ops.dispatch(patchDraft({
        assignees: {...draft.assignees, [id]: value},
        ...(draft.error?.field === `assignees.${id}` ? {error: null} : {}),
    }));
    const steps = draft.planSteps ?? [];
    const off = new Set(disabledStepIds(draft));
    const titles = providerTitles(capabilities);

    return (
        <div>
            <StepHeading>{'Checklist'}</StepHeading>
            {(capabilities?.providers ?? []).filter((p) => p.plan_options.length > 0 && !draft.excludedProviders.includes(p.id)).map((p) => (
                <fieldset
                    key={p.id}
                    className='offb-box'
                >
                    <legend className='offb-box__title'>{`${p.title} options`}</legend>
                    {p.plan_options.map((o) => (
                        <OptionField
                            key={o.key}
                            id={`offb-option-${p.id}-${o.key}`}
                            option={o}
                            value={options[p.id]?.[o.key] ?? null}
                            onChange={(v) => setOption(p.id, o.key, v)}
                        />
                    ))}
                </fieldset>
            ))}
            {draft.planSteps === null && !draft.error && <Busy label='Building the checklist…'/>}
            {draft.planSteps !== null && (
                <p aria-live='polite'>{`${steps.length - off.size} of ${steps.length} steps will run.`}</p>
            )}
            {PHASES.filter((phase) => steps.some((s) => s.phase === phase)).map((phase) => (
                <fieldset
                    key={phase}
                    className='offb-box'
                >
                    <legend className='offb-box__title'>{PHASE_TITLES[phase]}</legend>
                    {steps.filter((s) => s.phase === phase).map((s) => {
                        const excluded = draft.excludedProviders.includes(s.provider);
                        const manual = s.kind === 'manual' ? `Manual${s.instructions ? ` · ${s.instructions}` : ''}` : null;
                        const note = excluded ? `${titles[s.provider] ?? s.provider} was left out on the identities step.` : manual;
                        const error = draft.error?.field === `assignees.${s.id}` ? draft.error.message : null;
                        return (
                            <div
                                key={s.id}
                                className='offb-checklist-item'
                            >
                                <Switch
                                    id={`offb-step-${domId(s.id)}`}
                                    label={s.title}
                                    checked={!off.has(s.id)}
                                    disabled={excluded}
                                    description={note ?? undefined}
                                    onChange={(on) => toggleStep(s.id, on)}
                                />
                                {s.kind === 'manual' && (
                                    <AssigneeField
                                        id={`offb-assignee-${domId(s.id)}`}
                                        step={s}
                                        value={assigneeOf(draft, s)}
                                        disabled={off.has(s.id)}
                                        error={error}
                                        onChange={(v) => setAssignee(s.id, v)}
                                    />
                                )}
                            </div>
                        );
                    })}
                </fieldset>
            ))}
        </div>
    );
}
