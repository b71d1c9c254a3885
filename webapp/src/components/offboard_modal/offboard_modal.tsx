// The "Offboard a user" modal (registered as a root component): a stepper over person → identities → inventory →
// checklist → confirm → progress. All state lives in the plugin's reducer, so errors and closing lose nothing.
import React, {useEffect, useRef} from 'react';
import {useSelector} from 'react-redux';

import {closeModal, patchDraft, resetDraft} from '../../store/actions.js';
import {WIZARD_STEPS, WIZARD_STEP_TITLES, type Draft, type WizardStep} from '../../store/draft.js';
import {
    buildChecklist, checkAssignees, ensureCapabilities, planKeyOf, refreshInventory, refreshRun, startInventory, startRun,
} from '../../store/operations.js';
import {cardForRun, pluginState} from '../../store/selectors.js';
import type {HostState} from '../../types/mattermost.js';
import {Busy, ErrorBanner, STEP_HEADING_ID} from '../widgets/controls.js';

import {ChecklistStep} from './checklist_step.js';
import {ConfirmStep, confirmMatches, scheduleValid} from './confirm_step.js';
import {DialogFrame} from './dialog_frame.js';
import {IdentitiesStep} from './identities_step.js';
import {InventoryStep} from './inventory_step.js';
import {PersonStep} from './person_step.js';
import {ProgressStep} from './progress_step.js';
import {useOperation} from './use_operation.js';

const POLL_INVENTORY_MS = 1000;
const POLL_RUN_MS = 2000;

function Stepper({current}: {current: WizardStep}) {
    const index = WIZARD_STEPS.indexOf(current);
    return (
        <ol
            className='offb-stepper'
            aria-label='Steps'
        >
            {WIZARD_STEPS.map((step, i) => (
                <li
                    key={step}
                    className={`offb-stepper__item${i < index ? ' offb-stepper__item--done' : ''}`}
                    aria-current={i === index ? 'step' : undefined}
                >
                    <span
                        className='offb-stepper__num'
                        aria-hidden='true'
                    >
                        {i + 1}
                    </span>
                    {WIZARD_STEP_TITLES[step]}
                </li>
            ))}
        </ol>
    );
}

/** An error about one field is shown next to it when the step on screen has that field; elsewhere in the banner. */
function shownInline(draft: Draft): boolean {
    const field = draft.error?.field ?? '';
    if (draft.step === 'checklist' && field.startsWith('assignees.')) {
        const id = field.slice('assignees.'.length);
        return Boolean(draft.planSteps?.some((s) => s.id === id && s.kind === 'manual'));
    }
    return draft.step === 'identities' && field.startsWith('identities.') &&
        draft.identityInputs[field.slice('identities.'.length)] !== undefined;
}

export function OffboardModal() {
    const state = useSelector((s: HostState) => pluginState(s));
    const runCard = useSelector((s: HostState) => (state.draft.run ? cardForRun(s, state.draft.run.id) : undefined));
    const op = useOperation();
    const {draft, modal, capabilities} = state;
    const firstStep = useRef(true);

    useEffect(() => {
        if (modal.open && !capabilities && !draft.error && !draft.busy) {
            op.run(null, ensureCapabilities);
        }
    }, [modal.open]);

    // Discovery runs in the background: poll until every system has answered (or a call fails).
    const discovering = (draft.step === 'identities' || draft.step === 'inventory' || draft.step === 'checklist') &&
        draft.inventoryId !== null && !draft.inventory?.done;
    useEffect(() => {
        if (!modal.open || !discovering || draft.error || draft.busy) {
            return undefined;
        }
        const timer = setTimeout(() => op.run(null, refreshInventory), POLL_INVENTORY_MS);
        return () => clearTimeout(timer);
    });

    // Until the run card reaches this browser, run.get shows the counts.
    const waitingForCard = draft.step === 'progress' && draft.run !== null && !runCard;
    useEffect(() => {
        if (!modal.open || !waitingForCard || draft.error) {
            return undefined;
        }
        const timer = setTimeout(() => op.run(null, refreshRun), POLL_RUN_MS);
        return () => clearTimeout(timer);
    });

    // Each new step announces itself: focus moves to its heading.
    useEffect(() => {
        if (firstStep.current) {
            firstStep.current = false;
            return;
        }
        document.getElementById(STEP_HEADING_ID)?.focus();
    }, [draft.step]);

    if (!modal.open) {
        return null;
    }
    const go = (step: WizardStep) => op.ops.dispatch(patchDraft({step, error: null}));
    const busy = draft.busy !== null;
    const index = WIZARD_STEPS.indexOf(draft.step);
    const back = index > 0 && draft.step !== 'progress' ? WIZARD_STEPS[index - 1] : undefined;

    let primary: {label: string; enabled: boolean; onClick(): void} | null = null;
    switch (draft.step) {
    case 'person':
        primary = {label: 'Next', enabled: Boolean(draft.subject && !draft.subject.is_bot), onClick: () => {
            go('identities');
            op.run('Starting discovery…', startInventory);
        }};
        break;
    case 'identities':
        primary = {label: 'Next', enabled: Boolean(draft.inventory), onClick: () => go('inventory')};
        break;
    case 'inventory':
        primary = {label: 'Next', enabled: Boolean(draft.inventory?.done), onClick: () => {
            go('checklist');
            if (draft.planKey !== planKeyOf(op.ops)) {
                op.run('Building the checklist…', buildChecklist);
            }
        }};
        break;
    case 'checklist':
        primary = {label: 'Next', enabled: draft.planSteps !== null && draft.planKey === planKeyOf(op.ops), onClick: () => {
            // Typed assignees are checked by the service here, so a wrong name is fixed next to its field; the step
            // changes inside the operation, so "Try again" after a failed check continues too.
            op.run('Checking the assignees…', async (ops) => {
                await checkAssignees(ops);
                ops.dispatch(patchDraft({step: 'confirm', error: null}));
            });
        }};
        break;
    case 'confirm': {
        const labels = {now: `Offboard @${draft.subject?.username ?? ''}`, schedule: 'Schedule offboarding', approval: 'Request approval'};
        primary = {label: labels[draft.mode], enabled: confirmMatches(draft) && scheduleValid(draft), onClick: () => {
            op.run('Starting the run…', startRun);
        }};
        break;
    }
    case 'progress':
        primary = {label: 'Close', enabled: true, onClick: () => op.ops.dispatch(closeModal())};
        break;
    }

    const footer = (
        <>
            {draft.step === 'progress' ? (
                <button
                    type='button'
                    className='offb-btn offb-btn--tertiary'
                    onClick={() => op.ops.dispatch(resetDraft())}
                >
                    {'Offboard another person'}
                </button>
            ) : (
                <button
                    type='button'
                    className='offb-btn offb-btn--tertiary'
                    disabled={busy}
                    onClick={() => op.ops.dispatch(resetDraft())}
                >
                    {'Start over'}
                </button>
            )}
            <span className='offb-grow'/>
            {back && (
                <button
                    type='button'
                    className='offb-btn offb-btn--secondary'
                    disabled={busy}
                    onClick={() => go(back)}
                >
                    {'Back'}
                </button>
            )}
            {primary && (
                <button
                    type='button'
                    className={`offb-btn ${draft.step === 'confirm' ? 'offb-btn--danger' : 'offb-btn--primary'}`}
                    disabled={busy || !primary.enabled}
                    onClick={primary.onClick}
                >
                    {primary.label}
                </button>
            )}
        </>
    );

    return (
        <DialogFrame
            titleId='offb-modal-title'
            title='Offboard a user'
            onClose={() => op.ops.dispatch(closeModal())}
            footer={footer}
        >
            <Stepper current={draft.step}/>
            {draft.step === 'person' && <PersonStep op={op}/>}
            {draft.step === 'identities' && <IdentitiesStep op={op}/>}
            {draft.step === 'inventory' && <InventoryStep op={op}/>}
            {draft.step === 'checklist' && <ChecklistStep op={op}/>}
            {draft.step === 'confirm' && <ConfirmStep op={op}/>}
            {draft.step === 'progress' && <ProgressStep/>}
            {draft.busy && <Busy label={draft.busy}/>}
            {draft.error && !shownInline(draft) && (
                <ErrorBanner
                    message={draft.error.message}
                    onRetry={op.canRetry() ? op.retry : undefined}
                />
            )}
        </DialogFrame>
    );
}
