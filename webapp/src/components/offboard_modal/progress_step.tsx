// Step 6: live progress. The run card arrives over the websocket (`posted`, then `post_edited`) and is shown
// here as it is in the channel; until it exists, run.get gives the counts.
import React from 'react';
import {useSelector} from 'react-redux';

import {cardForRun, currentUser, mayOffboard, pluginState, providerTitles} from '../../store/selectors.js';
import type {HostState} from '../../types/mattermost.js';
import {RunCardView, STATUS_LABELS} from '../run_card/run_card_view.js';
import {Busy, ProgressBar, StepHeading} from '../widgets/controls.js';

export function ProgressStep() {
    const {draft, capabilities, modal} = useSelector((s: HostState) => pluginState(s));
    const entry = useSelector((s: HostState) => (draft.run ? cardForRun(s, draft.run.id) : undefined));
    const user = useSelector(currentUser);
    const canAct = useSelector(mayOffboard);
    const currentTeamId = useSelector((s: HostState) => s.entities.teams.currentTeamId);
    const run = draft.run;
    if (!run) {
        return null;
    }
    const c = run.counts;
    const finished = c.done + c.already_done + c.skipped + c.manual_done + c.failed;
    const titles = providerTitles(capabilities);
    return (
        <div>
            <StepHeading>{'Progress'}</StepHeading>
            <p>{'Progress is posted in a private channel for this run; you can close this dialog at any time.'}</p>
            {entry ? (
                <RunCardView
                    card={entry.card}
                    context={{channel_id: entry.channelId, team_id: modal.context?.team_id ?? currentTeamId}}
                    canAct={canAct}
                    currentUserId={user?.id ?? ''}
                    providerTitles={titles}
                />
            ) : (
                <div className='offb-box'>
                    <p>{`Run status: ${STATUS_LABELS[run.status]}`}</p>
                    <ProgressBar
                        value={finished}
                        max={run.total_steps}
                        label={`Offboarding progress for @${run.subject.username}`}
                    />
                    <p className='offb-card__summary'>{`${finished} of ${run.total_steps} steps finished`}</p>
                    <Busy label='Waiting for the run card…'/>
                </div>
            )}
        </div>
    );
}
