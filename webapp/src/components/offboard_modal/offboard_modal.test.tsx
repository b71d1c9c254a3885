import {describe, expect, it} from '@jest/globals';
import {act, screen, waitFor} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {closeModal, openModal, runCardReceived} from '../../store/actions.js';
import {pluginState} from '../../store/selectors.js';
import {capabilities, card, CHANNEL_ID, dana, findings, INVENTORY_ID, inventory, PLAN_ID, planSteps, run, TEAM_ID} from '../../test_support/fixtures.js';
import {fakeService} from '../../test_support/fake_service.js';
import {createTestStore, openForDana, renderWithHost, testClient} from '../../test_support/render.js';

import {OffboardModal} from './offboard_modal.js';

const ctx = {channel_id: CHANNEL_ID, team_id: TEAM_ID};

function setup() {
    let polls = 0;
    const service = fakeService({
        'capabilities': () => capabilities,
        'subject.resolve': (p) => (p.query === '@sysadmin' ?
            {error: {code: 'refused', message: 'You cannot offboard yourself; ask another admin.'}} :
            {subject: dana, warnings: []}),
        'inventory.start': () => ({inventory_id: INVENTORY_ID}),
        'inventory.get': (p) => {
            if (p.provider) {
                return {inventory: inventory(true), findings, total: 2, next_page: null};
            }
            polls += 1;
            return {inventory: inventory(polls > 1)};
        },
        'plan.create': (p) => {
            const account = (p.options as {mattermost?: {account?: string}}).mattermost?.account ?? 'configured';
            const disabled = (p.disabled_steps as string[] | undefined) ?? [];
            const steps = planSteps(account).filter((s) => !disabled.includes(s.id));
            return {plan_id: PLAN_ID, subject: dana, options: p.options, steps, total: steps.length, next_page: null};
        },
        'run.start': () => ({run: run()}),
        'run.get': () => ({run: run(), steps: [], total: 0, next_page: null}),
    });
    const store = createTestStore();
    renderWithHost(<OffboardModal/>, store, testClient(service));
    return {service, store};
}

async function next() {
    await userEvent.click(screen.getByRole('button', {name: 'Next'}));
}

async function walkToConfirm(store: ReturnType<typeof setup>['store']) {
    await openForDana(store);
    await next();
    await screen.findByText('exact match', {}, {timeout: 5000});
    await next();
    await next();
    await screen.findByText('5 of 5 steps will run.');
    await next();
    await screen.findByRole('heading', {name: 'Confirm'});
}

describe('OffboardModal', () => {
    it('walks from /offboard @dana to a started run, sending what the admin chose', async () => {
        const {service, store} = setup();
        act(() => {
            store.dispatch(openModal('@dana', ctx));
        });
        expect(screen.getByRole('dialog', {name: 'Offboard a user'})).toBeTruthy();
        await screen.findByText('Dana Whitfield');
        expect(screen.getByText('@dana · dana@example.com')).toBeTruthy();
        expect(service.callsOf('subject.resolve')[0]?.payload).toEqual({v: 1, query: '@dana'});
        expect(service.callsOf('subject.resolve')[0]?.context).toEqual(ctx);

        await next();
        expect(await screen.findByText('Looking up Mattermost…')).toBeTruthy();
        expect(await screen.findByText('exact match', {}, {timeout: 5000})).toBeTruthy();
        expect(service.callsOf('inventory.start')[0]?.payload).toEqual({v: 1, user_id: dana.user_id});

        await next();
        expect(screen.getByText('OAuth app')).toBeTruthy();
        const details = screen.getByRole('button', {name: 'Show details for Mattermost'});
        await userEvent.click(details);
        expect(await screen.findByText(/Personal access token "CI deploy script"/)).toBeTruthy();
        expect(details.getAttribute('aria-expanded')).toBe('true');

        await next();
        expect(await screen.findByText('5 of 5 steps will run.')).toBeTruthy();
        await userEvent.click(screen.getByRole('switch', {name: /Revoke personal access token "CI deploy script"/}));
        expect(screen.getByText('4 of 5 steps will run.')).toBeTruthy();
        expect(screen.getByText('Manual · Collect the laptop.')).toBeTruthy();
        expect((screen.getByLabelText('Assignee of "Collect the laptop"') as HTMLInputElement).value).toBe('@it-desk');
        await userEvent.selectOptions(screen.getByLabelText('Mattermost account'), 'keep');
        await waitFor(() => expect(screen.queryByRole('switch', {name: /Deactivate the Mattermost account/})).toBeNull());
        expect(service.callsOf('plan.create').at(-1)?.payload.options).toEqual({mattermost: {account: 'keep', keep_teams: ''}});
        expect(screen.getByText('3 of 4 steps will run.')).toBeTruthy();

        await next();
        const go = screen.getByRole('button', {name: 'Offboard @dana'});
        expect((go as HTMLButtonElement).disabled).toBe(true);
        await userEvent.type(screen.getByLabelText(/to confirm/), 'Dana');
        expect((go as HTMLButtonElement).disabled).toBe(false);
        await userEvent.click(go);

        await screen.findByRole('heading', {name: 'Progress'});
        const finalPlan = service.callsOf('plan.create').at(-1)?.payload;
        expect(finalPlan?.disabled_steps).toEqual(['mattermost:revoke_token:t1']);
        expect(service.callsOf('run.start')[0]?.payload).toEqual({v: 1, plan_id: PLAN_ID, confirm_username: 'Dana', mode: 'now'});
        expect(screen.getByText('Waiting for the run card…')).toBeTruthy();

        act(() => {
            store.dispatch(runCardReceived('cardpostcardpostcardpost01', 'runchannelrunchannelrunch1', card()));
        });
        expect(screen.getByRole('progressbar', {name: 'Offboarding progress for @dana'}).getAttribute('aria-valuenow')).toBe('3');
        expect(screen.queryByText('Waiting for the run card…')).toBeNull();
    });

    it('keeps everything when the service is down, and "Try again" works once it is back', async () => {
        const {service, store} = setup();
        await walkToConfirm(store);
        await userEvent.type(screen.getByLabelText(/to confirm/), 'dana');
        service.setDown(true);
        await userEvent.click(screen.getByRole('button', {name: 'Offboard @dana'}));
        expect((await screen.findByRole('alert')).textContent).toMatch(/did not answer: it may be stopped or unreachable/);
        expect((screen.getByLabelText(/to confirm/) as HTMLInputElement).value).toBe('dana');
        expect(screen.getByRole('heading', {name: 'Confirm'})).toBeTruthy();
        expect(service.callsOf('run.start')).toHaveLength(0);

        service.setDown(false);
        await userEvent.click(screen.getByRole('button', {name: 'Try again'}));
        await screen.findByRole('heading', {name: 'Progress'});
        expect(service.callsOf('run.start')).toHaveLength(1);
        expect(screen.queryByRole('alert')).toBeNull();
    });

    it('shows the service\'s refusal (yourself) and does not let the admin continue', async () => {
        const {store} = setup();
        act(() => {
            store.dispatch(openModal('@sysadmin', ctx));
        });
        expect((await screen.findByRole('alert')).textContent).toMatch('You cannot offboard yourself; ask another admin.');
        expect((screen.getByRole('button', {name: 'Next'}) as HTMLButtonElement).disabled).toBe(true);
        expect((screen.getByLabelText('Username, email or user id') as HTMLInputElement).value).toBe('@sysadmin');
    });

    it('warns before offboarding a system admin, showing their roles', async () => {
        const {service, store} = setup();
        const alice = {...dana, user_id: 'aliceid0aliceid0aliceid0al', username: 'alice', display_name: 'Alice Nguyen',
            email: 'alice@example.com', roles: ['system_user', 'system_admin'], is_system_admin: true};
        service.on('subject.resolve', () => ({subject: alice, warnings: ['system_admin']}));
        act(() => {
            store.dispatch(openModal('@alice', ctx));
        });
        await screen.findByText('Alice Nguyen');
        expect(screen.getByRole('list', {name: 'Roles'}).textContent).toBe('system usersystem admin');
        expect(screen.getByText(/@alice is a system admin\. The run removes the admin role/)).toBeTruthy();
        expect((screen.getByRole('button', {name: 'Next'}) as HTMLButtonElement).disabled).toBe(false);
    });

    it('schedules with date, time and timezone converted to an ISO instant with offset', async () => {
        const {service, store} = setup();
        await walkToConfirm(store);
        await userEvent.click(screen.getByLabelText('Schedule'));
        await userEvent.type(screen.getByLabelText('Date'), '2031-07-15');
        await userEvent.clear(screen.getByLabelText('Time'));
        await userEvent.type(screen.getByLabelText('Time'), '17:30');
        await userEvent.selectOptions(screen.getByLabelText('Timezone'), 'Europe/Berlin');
        await userEvent.type(screen.getByLabelText(/to confirm/), 'dana');
        await userEvent.click(screen.getByRole('button', {name: 'Schedule offboarding'}));
        await screen.findByRole('heading', {name: 'Progress'});
        expect(service.callsOf('run.start')[0]?.payload).toMatchObject({
            mode: 'schedule', schedule_at: '2031-07-15T17:30:00+02:00', timezone: 'Europe/Berlin',
        });
    });

    it('traps focus, closes on Esc and resumes where the admin left off', async () => {
        const {store} = setup();
        await walkToConfirm(store);
        await userEvent.type(screen.getByLabelText(/to confirm/), 'da');
        const dialog = screen.getByRole('dialog');
        const last = screen.getByRole('button', {name: 'Offboard @dana'});
        expect((last as HTMLButtonElement).disabled).toBe(true);
        screen.getByRole('button', {name: 'Back'}).focus();
        await userEvent.tab();
        expect(dialog.contains(document.activeElement)).toBe(true);
        expect(document.activeElement).toBe(screen.getByRole('button', {name: 'Close'}));
        await userEvent.tab({shift: true});
        expect(document.activeElement).toBe(screen.getByRole('button', {name: 'Back'}));

        await userEvent.keyboard('{Escape}');
        expect(screen.queryByRole('dialog')).toBeNull();
        expect(pluginState(store.getState()).modal.open).toBe(false);
        act(() => {
            store.dispatch(openModal(null, ctx));
        });
        expect(screen.getByRole('heading', {name: 'Confirm'})).toBeTruthy();
        expect((screen.getByLabelText(/to confirm/) as HTMLInputElement).value).toBe('da');
    });

    it('gives focus back to what opened it when it closes', async () => {
        const store = createTestStore();
        renderWithHost(
            <>
                <button type='button'>{'Opener'}</button>
                <OffboardModal/>
            </>,
            store, testClient(fakeService({capabilities: () => capabilities, 'subject.resolve': () => ({subject: dana, warnings: []})})),
        );
        screen.getByRole('button', {name: 'Opener'}).focus();
        act(() => {
            store.dispatch(openModal('@dana', ctx));
        });
        expect(document.activeElement).toBe(screen.getByLabelText('Username, email or user id'));
        await screen.findByText('Dana Whitfield');
        await userEvent.keyboard('{Escape}');
        expect(document.activeElement).toBe(screen.getByRole('button', {name: 'Opener'}));
    });

    it('leaves a whole system out from the identities step: its checklist items are switched off', async () => {
        const {service, store} = setup();
        act(() => {
            store.dispatch(openModal('@dana', ctx));
        });
        await screen.findByText('Dana Whitfield');
        await next();
        await screen.findByText('exact match', {}, {timeout: 5000});
        await userEvent.click(screen.getByRole('switch', {name: 'Include Mattermost'}));
        await next();
        expect(screen.getByText('Left out: Mattermost.')).toBeTruthy();
        await next();
        expect(await screen.findByText('0 of 5 steps will run.')).toBeTruthy();
        const item = screen.getByRole('switch', {name: 'Revoke all sessions of @dana'}) as HTMLInputElement;
        expect(item.checked).toBe(false);
        expect(item.disabled).toBe(true);
        await next();
        await userEvent.type(screen.getByLabelText(/to confirm/), 'dana');
        await userEvent.click(screen.getByRole('button', {name: 'Offboard @dana'}));
        await screen.findByRole('heading', {name: 'Progress'});
        expect((service.callsOf('plan.create').at(-1)?.payload.disabled_steps as string[]).sort())
            .toEqual(planSteps().map((s) => s.id).sort());
    });

    it('starts over when opened for another person', async () => {
        const {store} = setup();
        await walkToConfirm(store);
        act(() => {
            store.dispatch(closeModal());
            store.dispatch(openModal('@carol', ctx));
        });
        expect(screen.getByRole('heading', {name: 'Who is leaving?'})).toBeTruthy();
        expect((screen.getByLabelText('Username, email or user id') as HTMLInputElement).value).toBe('@carol');
    });
});
