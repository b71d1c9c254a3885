// Manual checklist items get an editable, labelled assignee: the plan's proposal by default, checked by the service
// before the confirm step (a refusal shows next to the field and keeps everything), and sent with the final plan.
import {describe, expect, it} from '@jest/globals';
import {screen, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {capabilities, dana, INVENTORY_ID, inventory, PLAN_ID, planSteps, run} from '../../test_support/fixtures.js';
import {fakeService} from '../../test_support/fake_service.js';
import {createTestStore, openForDana, renderWithHost, testClient} from '../../test_support/render.js';

import {OffboardModal} from './offboard_modal.js';

const LAPTOP = 'mattermost:manual_review:laptop';

function setup() {
    const service = fakeService({
        'capabilities': () => capabilities,
        'subject.resolve': () => ({subject: dana, warnings: []}),
        'inventory.start': () => ({inventory_id: INVENTORY_ID}),
        'inventory.get': () => ({inventory: inventory(true)}),
        'plan.create': (p) => {
            const who = (p.assignees as Record<string, string> | undefined)?.[LAPTOP];
            if (who === 'ghost') {
                return {error: {code: 'bad_request', field: `assignees.${LAPTOP}`,
                    message: 'Cannot assign "Collect the laptop" to @ghost: no such user.'}};
            }
            return {plan_id: PLAN_ID, subject: dana, options: p.options, steps: planSteps(), total: 5, next_page: null};
        },
        'run.start': () => ({run: run()}),
        'run.get': () => ({run: run(), steps: [], total: 0, next_page: null}),
    });
    const store = createTestStore();
    renderWithHost(<OffboardModal/>, store, testClient(service));
    return {service, store};
}

async function toChecklist(store: ReturnType<typeof setup>['store']) {
    await openForDana(store);
    await userEvent.click(screen.getByRole('button', {name: 'Next'}));
    await screen.findByText('exact match');
    await userEvent.click(screen.getByRole('button', {name: 'Next'}));
    await userEvent.click(screen.getByRole('button', {name: 'Next'}));
    await screen.findByText('5 of 5 steps will run.');
}

const field = () => screen.getByLabelText('Assignee of "Collect the laptop"') as HTMLInputElement;

describe('assignees of manual items', () => {
    it('shows the proposal, refuses an unknown person next to the field, and sends the corrected one', async () => {
        const {service, store} = setup();
        await toChecklist(store);
        expect(field().value).toBe('@it-desk');
        expect(screen.getAllByRole('textbox', {name: /^Assignee/})).toHaveLength(1);

        await userEvent.clear(field());
        await userEvent.type(field(), 'ghost');
        await userEvent.click(screen.getByRole('button', {name: 'Next'}));
        const alert = await screen.findByRole('alert');
        expect(alert.textContent).toBe('Cannot assign "Collect the laptop" to @ghost: no such user.');
        expect(alert.closest('.offb-assignee')).toBe(field().closest('.offb-assignee'));
        expect(field().getAttribute('aria-invalid')).toBe('true');
        expect(field().getAttribute('aria-describedby')).toBe(alert.id);
        expect(screen.getByRole('heading', {name: 'Checklist'})).toBeTruthy();
        expect(field().value).toBe('ghost');
        const check = service.callsOf('plan.create').at(-1)?.payload;
        expect(check).toMatchObject({inventory_id: INVENTORY_ID, assignees: {[LAPTOP]: 'ghost'}, disabled_steps: []});

        await userEvent.clear(field());
        expect(screen.queryByRole('alert')).toBeNull();
        await userEvent.type(field(), '@carol');
        await userEvent.click(screen.getByRole('button', {name: 'Next'}));
        await screen.findByRole('heading', {name: 'Confirm'});
        await userEvent.type(screen.getByLabelText(/to confirm/), 'dana');
        await userEvent.click(screen.getByRole('button', {name: 'Offboard @dana'}));
        await screen.findByRole('heading', {name: 'Progress'});
        expect(service.callsOf('plan.create').at(-1)?.payload.assignees).toEqual({[LAPTOP]: '@carol'});
    });

    it('sends an emptied field as unassigned, and nothing for an unchanged or switched-off item', async () => {
        const {service, store} = setup();
        await toChecklist(store);
        const before = service.callsOf('plan.create').length;
        await userEvent.click(screen.getByRole('button', {name: 'Next'}));
        await screen.findByRole('heading', {name: 'Confirm'});
        // Nothing typed: no check call before the confirm step.
        expect(service.callsOf('plan.create')).toHaveLength(before);

        await userEvent.click(screen.getByRole('button', {name: 'Back'}));
        await userEvent.clear(field());
        await userEvent.click(screen.getByRole('button', {name: 'Next'}));
        await screen.findByRole('heading', {name: 'Confirm'});
        expect(service.callsOf('plan.create').at(-1)?.payload.assignees).toEqual({[LAPTOP]: ''});

        await userEvent.click(screen.getByRole('button', {name: 'Back'}));
        expect(field().value).toBe('');
        const item = within(field().closest('.offb-checklist-item') as HTMLElement).getByRole('switch', {name: 'Collect the laptop'});
        await userEvent.click(item);
        expect(field().disabled).toBe(true);
        await userEvent.click(screen.getByRole('button', {name: 'Next'}));
        await userEvent.type(await screen.findByLabelText(/to confirm/), 'dana');
        await userEvent.click(screen.getByRole('button', {name: 'Offboard @dana'}));
        await screen.findByRole('heading', {name: 'Progress'});
        expect(service.callsOf('plan.create').at(-1)?.payload).toMatchObject({assignees: {}, disabled_steps: [LAPTOP]});
    });

    it('keeps the typed name when the service is down during the check, and "Try again" continues', async () => {
        const {service, store} = setup();
        await toChecklist(store);
        await userEvent.clear(field());
        await userEvent.type(field(), 'carol');
        service.setDown(true);
        await userEvent.click(screen.getByRole('button', {name: 'Next'}));
        const banner = await screen.findByRole('alert');
        expect(banner.textContent).toMatch(/did not answer/);
        expect(banner.closest('.offb-assignee')).toBeNull();
        expect(field().value).toBe('carol');
        service.setDown(false);
        await userEvent.click(within(banner).getByRole('button', {name: 'Try again'}));
        await screen.findByRole('heading', {name: 'Confirm'});
        expect(service.callsOf('plan.create').at(-1)?.payload.assignees).toEqual({[LAPTOP]: 'carol'});
    });
});
