// Identities per system are editable where the service allows it: labelled fields checked as typed, "Look up again"
// with every entered identity (a new inventory replaces the old), readable errors next to the field or in the banner,
// and nothing typed is lost across errors, back and next.
import {describe, expect, it} from '@jest/globals';
import {screen, waitFor, within} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import {pluginState} from '../../store/selectors.js';
import type {Capabilities, InventoryView} from '../../rpc_types.js';
import {capabilities, dana, inventory, INVENTORY_ID, PLAN_ID, planSteps} from '../../test_support/fixtures.js';
import {fakeService} from '../../test_support/fake_service.js';
import {createTestStore, openForDana, renderWithHost, testClient} from '../../test_support/render.js';

import {OffboardModal} from './offboard_modal.js';

const SECOND_INVENTORY = 'secondinventorysecondinven';

const withEditable: Capabilities = {
    ...capabilities,
    providers: [
        ...capabilities.providers,
        {id: 'github', title: 'GitHub', plan_options: [],
            identity_input: {label: 'GitHub login', placeholder: 'octocat', pattern: '^@?[A-Za-z0-9][A-Za-z0-9_-]{0,38}$', max_ids: 1}},
        {id: 'aws', title: 'AWS', plan_options: [],
            identity_input: {label: 'IAM user name', placeholder: 'dana.whitfield', pattern: '^[\\w+=,.@-]{1,64}$', max_ids: 20}},
    ],
};

function threeSystems(id: string, entered: boolean): InventoryView {
    const base = inventory(true);
    return {...base, id, providers: [
        ...base.providers,
        {id: 'github', title: 'GitHub', status: 'done', error: null, counts: entered ? {org_membership: 1} : {}, total_findings: entered ? 1 : 0,
            identities: [entered ?
                {id: 'dwhitfield', label: '@dwhitfield', source: 'entered by admin', confidence: 'exact'} :
                {id: 'dana', label: '@dana (no GitHub account found)', source: 'no mapping, SAML identity or verified email matches', confidence: 'not_found'}]},
        {id: 'aws', title: 'AWS', status: 'done', error: null, counts: {}, total_findings: 0,
            identities: entered ? [
                {id: 'iam:200000000002:dana.admin', label: 'IAM user dana.admin in prod', source: 'entered by admin', confidence: 'exact'},
                {id: 'iam:*:dana-old', label: 'IAM user dana-old: in none of the 3 accounts checked', source: 'entered by admin: no account has this IAM user', confidence: 'not_found'},
            ] : []},
    ]};
}

function setup() {
    const service = fakeService({
        'capabilities': () => withEditable,
        'subject.resolve': () => ({subject: dana, warnings: []}),
        'inventory.start': (p) => ({inventory_id: p.identities ? SECOND_INVENTORY : INVENTORY_ID}),
        'inventory.get': (p) => ({inventory: threeSystems(String(p.inventory_id), p.inventory_id === SECOND_INVENTORY)}),
        'plan.create': (p) => ({plan_id: PLAN_ID, subject: dana, options: p.options, steps: planSteps(), total: 5, next_page: null}),
    });
    const store = createTestStore();
    renderWithHost(<OffboardModal/>, store, testClient(service));
    return {service, store};
}

async function toIdentities(store: ReturnType<typeof setup>['store']) {
    await openForDana(store);
    await userEvent.click(screen.getByRole('button', {name: 'Next'}));
    await screen.findByText('@dana (no GitHub account found)');
}

const group = (name: string) => screen.getByRole('group', {name});

describe('editing identities per system', () => {
    it('offers editing only where the service allows it, and looks up again with every entered identity', async () => {
        const {service, store} = setup();
        await toIdentities(store);
        expect(service.callsOf('inventory.start')[0]?.payload).toEqual({v: 1, user_id: dana.user_id});
        expect(within(group('Mattermost')).queryByRole('button', {name: /Edit/})).toBeNull();

        await userEvent.click(screen.getByRole('button', {name: 'Edit GitHub login'}));
        const login = screen.getByLabelText('GitHub: GitHub login');
        expect(document.activeElement).toBe(login);
        expect(login.getAttribute('placeholder')).toBe('octocat');
        await userEvent.type(login, 'dwhitfield, dana-gh');
        expect(within(group('GitHub')).getByRole('alert').textContent).toBe('Enter one GitHub login, not 2.');
        expect(login.getAttribute('aria-invalid')).toBe('true');
        const lookUp = within(group('GitHub')).getByRole('button', {name: 'Look up again'}) as HTMLButtonElement;
        expect(lookUp.disabled).toBe(true);
        await userEvent.clear(login);
        await userEvent.type(login, '@dwhitfield');
        expect(within(group('GitHub')).queryByRole('alert')).toBeNull();
        expect(within(group('GitHub')).getByText(/Not looked up yet/)).toBeTruthy();

        await userEvent.click(screen.getByRole('button', {name: 'Edit IAM user names'}));
        const names = screen.getByLabelText('AWS: IAM user names');
        expect(names.tagName).toBe('TEXTAREA');
        await userEvent.type(names, 'dana.admin{Enter}dana-old, DANA.ADMIN');

        // Keyboard: the editors sit in the tab order after the items they belong to.
        login.focus();
        await userEvent.tab();
        expect(document.activeElement).toBe(lookUp);

        service.setDown(true);
        await userEvent.click(lookUp);
        expect((await screen.findByRole('alert')).textContent).toMatch(/did not answer/);
        expect((screen.getByLabelText('GitHub: GitHub login') as HTMLInputElement).value).toBe('@dwhitfield');
        expect((screen.getByLabelText('AWS: IAM user names') as HTMLTextAreaElement).value).toBe('dana.admin\ndana-old, DANA.ADMIN');
        expect(pluginState(store.getState()).draft.inventoryId).toBe(INVENTORY_ID);

        service.setDown(false);
        await userEvent.click(within(group('AWS')).getByRole('button', {name: 'Look up again'}));
        await screen.findByText('@dwhitfield');
        expect(service.callsOf('inventory.start').at(-1)?.payload).toEqual({v: 1, user_id: dana.user_id,
            identities: {github: ['@dwhitfield'], aws: ['dana.admin', 'dana-old']}});
        expect(screen.getByText('IAM user dana-old: in none of the 3 accounts checked')).toBeTruthy();
        expect(screen.getAllByText(/entered by admin/)).toHaveLength(3);
        expect(pluginState(store.getState()).draft.inventoryId).toBe(SECOND_INVENTORY);
        expect(screen.queryByText(/Not looked up yet/)).toBeNull();

        // The checklist is built from the new inventory; going back and forth keeps the entries.
        await userEvent.click(screen.getByRole('button', {name: 'Next'}));
        await userEvent.click(screen.getByRole('button', {name: 'Next'}));
        await screen.findByText('5 of 5 steps will run.');
        expect(service.callsOf('plan.create').at(-1)?.payload.inventory_id).toBe(SECOND_INVENTORY);
        const started = service.callsOf('inventory.start').length;
        for (let i = 0; i < 3; i++) {
            await userEvent.click(screen.getByRole('button', {name: 'Back'}));
        }
        await userEvent.click(screen.getByRole('button', {name: 'Next'}));
        await screen.findByText('@dwhitfield');
        expect((screen.getByLabelText('GitHub: GitHub login') as HTMLInputElement).value).toBe('@dwhitfield');
        expect(service.callsOf('inventory.start')).toHaveLength(started);
    });

    it('shows the service\'s refusal next to the field, clears it on edit, and Cancel returns focus', async () => {
        const {service, store} = setup();
        await toIdentities(store);
        service.on('inventory.start', () => ({error: {code: 'bad_request', field: 'identities.github',
            message: 'GitHub: "dwhitfield" is not a valid GitHub login.'}}));
        await userEvent.click(screen.getByRole('button', {name: 'Edit GitHub login'}));
        await userEvent.type(screen.getByLabelText('GitHub: GitHub login'), 'dwhitfield{Enter}');
        const alert = await within(group('GitHub')).findByRole('alert');
        expect(alert.textContent).toBe('GitHub: "dwhitfield" is not a valid GitHub login.');
        expect(screen.getAllByRole('alert')).toHaveLength(1);
        expect(screen.getByLabelText('GitHub: GitHub login').getAttribute('aria-describedby')).toContain(alert.id);
        await userEvent.type(screen.getByLabelText('GitHub: GitHub login'), 'x');
        expect(screen.queryByRole('alert')).toBeNull();

        await userEvent.click(within(group('GitHub')).getByRole('button', {name: 'Cancel'}));
        await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', {name: 'Edit GitHub login'})));
        expect(screen.queryByLabelText('GitHub: GitHub login')).toBeNull();
        expect(pluginState(store.getState()).draft.identityInputs).toEqual({});
    });
});
