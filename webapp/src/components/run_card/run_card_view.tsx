// The run card: status, progress bar, steps grouped by system and phase, and the run-level buttons (approve,
// cancel). Pure rendering of a parsed card; the post component and the modal's progress step both use it.
import React, {useState} from 'react';

import type {CommandContext} from '../../client.js';
import {PHASES, type Phase, type RunStatus} from '../../rpc_types.js';
import {Avatar} from '../widgets/avatar.js';
import {ErrorBanner, ProgressBar} from '../widgets/controls.js';

import {finishedCount, isTerminal, type CardStep, type RunCard} from './run_card_schema.js';
import {StepRow} from './step_row.js';
import {actionKey, useRunAction} from './use_run_action.js';

export const STATUS_LABELS: Readonly<Record<RunStatus, string>> = {
    scheduled: 'Scheduled',
    awaiting_approval: 'Waiting for approval',
    running: 'Running',
    completed: 'Completed',
    completed_with_errors: 'Completed with errors',
    cancelled: 'Cancelled',
};

export const PHASE_TITLES: Readonly<Record<Phase, string>> = {
    contain: 'Contain',
    revoke: 'Revoke',
    cleanup: 'Clean up',
    verify: 'Verify',
    report: 'Report',
};

/** Names of well-known systems, for viewers who have not loaded the service's capabilities (non-admins). */
const KNOWN_PROVIDERS: Readonly<Record<string, string>> = {
    mattermost: 'Mattermost', github: 'GitHub', gitlab: 'GitLab', aws: 'AWS', aws_iam: 'AWS IAM', ldap: 'LDAP',
    okta: 'Okta', google: 'Google Workspace', entra: 'Microsoft Entra ID', slack: 'Slack', jira: 'Jira',
};

export function providerTitle(id: string, titles: Readonly<Record<string, string>>): string {
    return titles[id] ?? KNOWN_PROVIDERS[id] ?? id.charAt(0).toUpperCase() + id.slice(1).replace(/_/g, ' ');
}

/** Groups keep the service's step order inside each system and phase. */
export function groupSteps(steps: readonly CardStep[]): {provider: string; phases: {phase: Phase; steps: CardStep[]}[]}[] {
    const providers = new Map<string, Map<Phase, CardStep[]>>();
    for (const step of steps) {
        const phases = providers.get(step.provider) ?? new Map<Phase, CardStep[]>();
        providers.set(step.provider, phases);
        phases.set(step.phase, [...(phases.get(step.phase) ?? []), step]);
    }
    return [...providers].map(([provider, phases]) => ({
        provider,
        phases: PHASES.filter((p) => phases.has(p)).map((phase) => ({phase, steps: phases.get(phase) ?? []})),
    }));
}

interface Props {
    card: RunCard;
    context: CommandContext;
    /** Shows the action buttons (system admins; the service re-checks). */
    canAct: boolean;
    currentUserId: string;
    providerTitles?: Readonly<Record<string, string>>;
}

const COLLAPSE_OVER = 40;

export function RunCardView({card, context, canAct, currentUserId, providerTitles = {}}: Props) {
    const actions = useRunAction(card.run_id, context);
    const groups = groupSteps(card.steps);
    const [collapsed, setCollapsed] = useState<Record<string, boolean>>({});
    const finished = finishedCount(card);
    const open = !isTerminal(card.status);
    const headingId = `offb-card-${card.run_id}`;
    const runError = actions.error && [actionKey('approve'), actionKey('cancel')].includes(actions.error.key) ? actions.error.message : null;
    const c = card.counts;
    return (
        <section
            className={`offb-root offb-card offb-card--${card.status}`}
            aria-labelledby={headingId}
        >
            <header className='offb-card__header'>
                <Avatar
                    userId={card.subject.user_id}
                    name={card.subject.display_name}
                    size={32}
                />
                <h3
                    id={headingId}
                    className='offb-card__title'
                >
                    {`Offboarding @${card.subject.username}`}
                    <span className='offb-muted'>{` ${card.subject.display_name}`}</span>
                </h3>
                <span className={`offb-status offb-status--${card.status}`}>{STATUS_LABELS[card.status]}</span>
            </header>
            <ProgressBar
                value={finished}
                max={card.total}
                label={`Offboarding progress for @${card.subject.username}`}
                tone={c.failed > 0 ? 'error' : 'ok'}
            />
            <p className='offb-card__summary'>
                {`${finished} of ${card.total} steps finished`}
                {c.failed > 0 && ` · ${c.failed} failed`}
                {c.manual_pending > 0 && ` · ${c.manual_pending} waiting for a person`}
                {c.running > 0 && ` · ${c.running} running`}
            </p>
            {card.status === 'scheduled' && card.scheduled_at !== null && (
                <p>{`Starts ${new Date(card.scheduled_at).toLocaleString()}.`}</p>
            )}
            {card.status === 'awaiting_approval' && (
                <p>
                    {card.initiator_id === currentUserId ? 'Waiting for a second admin to approve this run.' : 'This run needs a second admin to approve it.'}
                </p>
            )}
            {canAct && open && (
                <div className='offb-row'>
                    {card.status === 'awaiting_approval' && card.initiator_id !== currentUserId && (
                        <button
                            type='button'
                            className='offb-btn offb-btn--primary'
                            disabled={actions.pending !== null}
                            onClick={() => actions.act('approve')}
                        >
                            {'Approve run'}
                        </button>
                    )}
                    <button
                        type='button'
                        className='offb-btn offb-btn--danger'
                        disabled={actions.pending !== null}
                        onClick={() => actions.act('cancel')}
                    >
                        {'Cancel run'}
                    </button>
                </div>
            )}
            {runError && <ErrorBanner message={runError}/>}
            {groups.map(({provider, phases}) => {
                const steps = phases.flatMap((p) => p.steps);
                const done = steps.filter((s) => ['done', 'already_done', 'manual_done', 'skipped'].includes(s.state)).length;
                const hasFailure = steps.some((s) => s.state === 'failed');
                const isCollapsed = collapsed[provider] ?? (card.steps.length > COLLAPSE_OVER && !hasFailure);
                const listId = `${headingId}-${provider}`;
                return (
                    <div
                        key={provider}
                        className='offb-card__group'
                    >
                        <button
                            type='button'
                            className='offb-card__group-toggle'
                            aria-expanded={!isCollapsed}
                            aria-controls={listId}
                            onClick={() => setCollapsed({...collapsed, [provider]: !isCollapsed})}
                        >
                            <span aria-hidden='true'>{isCollapsed ? '▸' : '▾'}</span>
                            {` ${providerTitle(provider, providerTitles)} `}
                            <span className='offb-muted'>{`${done}/${steps.length}`}</span>
                        </button>
                        {!isCollapsed && (
                            <div id={listId}>
                                {phases.map(({phase, steps: phaseSteps}) => (
                                    <div
                                        key={phase}
                                        className='offb-card__phase'
                                    >
                                        <h4 className='offb-card__phase-title'>{PHASE_TITLES[phase]}</h4>
                                        <ul className='offb-steps'>
                                            {phaseSteps.map((step) => (
                                                <StepRow
                                                    key={step.id}
                                                    step={step}
                                                    canAct={canAct}
                                                    runOpen={open}
                                                    actions={actions}
                                                />
                                            ))}
                                        </ul>
                                    </div>
                                ))}
                            </div>
                        )}
                    </div>
                );
            })}
            {card.steps_truncated && (
                <p className='offb-muted'>{`Showing the first ${card.steps.length} of ${card.total} steps; the report lists every step.`}</p>
            )}
        </section>
    );
}
