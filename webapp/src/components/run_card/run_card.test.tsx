import {describe, expect, it} from '@jest/globals';
import {act, screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {accessChecked, runCardReceived} from '../../store/actions.js';
import type {Post} from '../../types/mattermost.js';
import {handleRunCardEvent} from '../../websocket.js';
import {card, CHANNEL_ID, RUN_ID, run, TEAM_ID} from '../../test_support/fixtures.js';
import {fakeService} from '../../test_support/fake_service.js';
import {admin, createTestStore, member, renderWithHost, testClient} from '../../test_support/render.js';

import {RunCardPost} from './run_card_post.js';
import {parseRunCard, RUN_CARD_POST_TYPE} from './run_card_schema.js';

const POST_ID = 'postpostpostpostpostpost01';

function post(props: unknown, message = '- [x] Revoke all sessions of @dana'): Post {
    return {id: POST_ID, channel_id: CHANNEL_ID, user_id: 'bot', type: RUN_CARD_POST_TYPE, message,
        props: props as Record<string, unknown>, create_at: 1, update_at: 1};
}

function setup(user = admin, props: unknown = {offboarding_run: card()}) {
    const service = fakeService({'run.act': () => ({run: run()})});
    const store = createTestStore(user);
    const view = renderWithHost(<RunCardPost post={post(props)}/>, store, testClient(service));
    return {service, store, view};
}

describe('parseRunCard', () => {
    it('accepts the contract and rejects anything else', () => {
        expect(parseRunCard({offboarding_run: card()})?.run_id).toBe(RUN_ID);
        expect(parseRunCard({offboarding_run: {...card(), v: 2}})).toBeNull();
        expect(parseRunCard({offboarding_run: {...card(), status: 'exploded'}})).toBeNull();
        expect(parseRunCard({offboarding_run: {...card(), steps: 'many'}})).toBeNull();
        expect(parseRunCard({})).toBeNull();
        expect(parseRunCard(null)).toBeNull();
        expect(parseRunCard('offboarding_run')).toBeNull();
    });
});

describe('RunCardPost', () => {
    it('shows the progress bar, the status and the steps grouped by system and phase', () => {
        setup();
        const bar = screen.getByRole('progressbar', {name: 'Offboarding progress for @dana'});
        expect(bar.getAttribute('aria-valuenow')).toBe('3');
        expect(bar.getAttribute('aria-valuemax')).toBe('5');
        expect(screen.getByText('Running')).toBeTruthy();
        expect(screen.getByText(/3 of 5 steps finished · 1 failed · 1 waiting for a person/)).toBeTruthy();
        const mattermost = screen.getByRole('button', {name: /mattermost 2\/4/i});
        expect(mattermost.getAttribute('aria-expanded')).toBe('true');
        expect(screen.getByRole('button', {name: /github 0\/1/i})).toBeTruthy();
        expect(screen.getAllByRole('heading', {level: 4}).map((h) => h.textContent)).toEqual(['Contain', 'Revoke', 'Clean up', 'Revoke']);
        expect(screen.getAllByRole('img', {name: 'Done'})).toHaveLength(2);
        expect(screen.getAllByRole('img', {name: 'Failed'})).toHaveLength(1);
        expect(screen.getByRole('img', {name: 'Waiting for a person'})).toBeTruthy();
    });

    it('renders the text fallback when the props are malformed instead of crashing', () => {
        setup(admin, {offboarding_run: {v: 1, run_id: RUN_ID, steps: null}});
        expect(screen.getByText(/could not be displayed/)).toBeTruthy();
        expect(screen.getByText('- [x] Revoke all sessions of @dana')).toBeTruthy();
        expect(screen.queryByRole('progressbar')).toBeNull();
    });

    it('expands a failure to show its reason', async () => {
        setup();
        expect(screen.queryByText(/giving up/)).toBeNull();
        const toggle = screen.getByRole('button', {name: 'Show reason'});
        await userEvent.click(toggle);
        expect(toggle.getAttribute('aria-expanded')).toBe('true');
        expect(screen.getByText('Mattermost answered 500 twice; giving up')).toBeTruthy();
    });

    it('retries a failed step through run.act', async () => {
        const {service} = setup();
        await userEvent.click(screen.getByRole('button', {name: /Retry Remove @dana from team Acme Corp/}));
        expect(service.callsOf('run.act').map((c) => c.payload)).toEqual([
            {v: 1, run_id: RUN_ID, action: 'retry_step', step_id: 'mattermost:remove_from_team:acme'},
        ]);
        expect(service.callsOf('run.act')[0]?.context.channel_id).toBe(CHANNEL_ID);
    });

    it('completes a manual step only with a note', async () => {
        const {service} = setup();
        await userEvent.click(screen.getByRole('button', {name: /Complete… Collect the laptop/}));
        const save = screen.getByRole('button', {name: 'Mark as done'});
        expect((save as HTMLButtonElement).disabled).toBe(true);
        await userEvent.type(screen.getByLabelText('What was done? (required)'), 'Laptop returned to IT');
        await userEvent.click(save);
        expect(service.callsOf('run.act').map((c) => c.payload)).toEqual([
            {v: 1, run_id: RUN_ID, action: 'complete_manual', step_id: 'mattermost:manual_review:laptop', note: 'Laptop returned to IT'},
        ]);
        expect(screen.queryByRole('button', {name: 'Mark as done'})).toBeNull();
    });

    it('shows a refused action as a readable error next to the step, keeping the card', async () => {
        const {service} = setup();
        service.on('run.act', () => ({error: {code: 'refused', message: 'Step mattermost:remove_from_team:acme is done; only failed steps can be retried.'}}));
        await userEvent.click(screen.getByRole('button', {name: /Retry Remove @dana/}));
        expect(screen.getByRole('alert').textContent).toMatch(/only failed steps can be retried/);
        expect(screen.getByRole('progressbar')).toBeTruthy();
    });

    it('hides every action from people the service does not let offboard, and shows them once it does', () => {
        const {store} = setup(member);
        expect(screen.queryByRole('button', {name: /Retry|Complete|Skip|Cancel run|Approve/})).toBeNull();
        expect(screen.getByRole('button', {name: 'Show reason'})).toBeTruthy();
        act(() => {
            store.dispatch(accessChecked(member.id, TEAM_ID, 'allowed'));
        });
        expect(screen.getByRole('button', {name: /Retry Remove @dana/})).toBeTruthy();
        expect(screen.getByRole('button', {name: 'Cancel run'})).toBeTruthy();
    });

    it('hides them from an admin the service refused', () => {
        const {store} = setup(admin);
        expect(screen.getByRole('button', {name: 'Cancel run'})).toBeTruthy();
        act(() => {
            store.dispatch(accessChecked(admin.id, TEAM_ID, 'denied'));
        });
        expect(screen.queryByRole('button', {name: /Retry|Complete|Skip|Cancel run|Approve/})).toBeNull();
    });

    it('offers approval to a second admin but not to the initiator', async () => {
        const waiting = {offboarding_run: card({status: 'awaiting_approval', approval_required: true})};
        const first = setup(admin, waiting);
        expect(screen.queryByRole('button', {name: 'Approve run'})).toBeNull();
        expect(screen.getByText('Waiting for a second admin to approve this run.')).toBeTruthy();
        first.view.unmount();
        const other = {...admin, id: 'otheradminotheradminother1', username: 'alice'};
        const {service} = setup(other, waiting);
        await userEvent.click(screen.getByRole('button', {name: 'Approve run'}));
        expect(service.callsOf('run.act')[0]?.payload).toEqual({v: 1, run_id: RUN_ID, action: 'approve'});
    });

    it('follows post_edited: a newer card from the websocket replaces the post\'s props, an older one does not', () => {
        const {store} = setup();
        const newer = card({status: 'completed', updated_at: 1_700_000_005_000,
            counts: {pending: 0, running: 0, done: 4, already_done: 0, failed: 0, skipped: 0, manual_pending: 0, manual_done: 1}});
        const onEvent = handleRunCardEvent(store.dispatch);
        act(() => onEvent({event: 'post_edited', data: {post: JSON.stringify(post({offboarding_run: newer}))}}));
        expect(screen.getByText('Completed')).toBeTruthy();
        expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('5');
        expect(screen.queryByRole('button', {name: 'Cancel run'})).toBeNull();
        act(() => {
            store.dispatch(runCardReceived(POST_ID, CHANNEL_ID, card({updated_at: 1_700_000_001_000})));
        });
        expect(screen.getByText('Completed')).toBeTruthy();
    });

    it('ignores websocket posts that are not run cards or are malformed', () => {
        const {store} = setup();
        const onEvent = handleRunCardEvent(store.dispatch);
        act(() => {
            onEvent({event: 'posted', data: {post: '{not json'}});
            onEvent({event: 'posted', data: {post: JSON.stringify({...post({offboarding_run: card({status: 'cancelled', updated_at: 2e12})}), type: ''})}});
            onEvent({event: 'post_edited', data: {post: JSON.stringify(post({offboarding_run: {broken: true}}))}});
        });
        expect(screen.getByText('Running')).toBeTruthy();
    });

    it('collapses a long run per system, keeping systems with failures open', async () => {
        const many = Array.from({length: 45}, (_, i) => ({...card().steps[0]!, id: `mattermost:s:${i}`, title: `Step ${i}`}));
        const failing = {...card().steps[2]!, provider: 'github', id: 'github:x'};
        setup(admin, {offboarding_run: card({steps: [...many, failing], total: 46})});
        const mm = screen.getByRole('button', {name: /mattermost 45\/45/i});
        expect(mm.getAttribute('aria-expanded')).toBe('false');
        expect(screen.queryByText('Step 3')).toBeNull();
        expect(screen.getByRole('button', {name: /github 0\/1/i}).getAttribute('aria-expanded')).toBe('true');
        await userEvent.click(mm);
        expect(within(document.body).getByText('Step 3')).toBeTruthy();
    });
});
