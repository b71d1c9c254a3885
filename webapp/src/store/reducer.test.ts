import {describe, expect, it} from '@jest/globals';

import {card, run} from '../test_support/fixtures.js';

import {closeModal, openModal, patchDraft, runCardReceived} from './actions.js';
import {disabledStepIds, emptyDraft, effectiveOptions} from './draft.js';
import {draftForOpen, initialState, reducer} from './reducer.js';
import {capabilities, dana, planSteps} from '../test_support/fixtures.js';

const ctx = {channel_id: 'c'.repeat(26), team_id: 't'.repeat(26)};

describe('draftForOpen', () => {
    const inProgress = {...emptyDraft('@dana'), step: 'checklist' as const, subject: dana, confirmText: 'da', busy: 'x',
        error: {message: 'old', code: null, field: null}};

    it('resumes the same person (or no person) with input kept and stale busy/error cleared', () => {
        for (const prefill of [null, '', '@dana', 'DANA']) {
            const d = draftForOpen(inProgress, prefill);
            expect(d.step).toBe('checklist');
            expect(d.confirmText).toBe('da');
            expect(d.busy).toBeNull();
            expect(d.error).toBeNull();
        }
    });

    it('starts over for another person and after a started run', () => {
        expect(draftForOpen(inProgress, '@carol')).toEqual(emptyDraft('@carol'));
        expect(draftForOpen({...inProgress, step: 'progress', run: run()}, null)).toEqual(emptyDraft());
    });
});

describe('reducer', () => {
    it('opens and closes the modal without touching the draft', () => {
        let state = reducer(initialState, openModal('@dana', ctx));
        state = reducer(state, patchDraft({confirmText: 'dana'}));
        state = reducer(state, closeModal());
        expect(state.modal).toEqual({open: false, context: ctx});
        expect(state.draft.confirmText).toBe('dana');
    });

    it('keeps the newest run card per post', () => {
        let state = reducer(initialState, runCardReceived('p1', 'c1', card({updated_at: 20})));
        state = reducer(state, runCardReceived('p1', 'c1', card({updated_at: 10, status: 'cancelled'})));
        expect(state.cards.p1?.card.status).toBe('running');
        state = reducer(state, runCardReceived('p1', 'c1', card({updated_at: 30, status: 'completed'})));
        expect(state.cards.p1?.card.status).toBe('completed');
    });

    it('ignores actions that are not its own', () => {
        expect(reducer(initialState, {type: 'RECEIVED_POSTS'})).toBe(initialState);
    });
});

describe('draft helpers', () => {
    it('fills option defaults from capabilities and applies the admin\'s choices', () => {
        expect(effectiveOptions(capabilities, {options: {}})).toEqual({mattermost: {account: 'configured', keep_teams: ''}});
        expect(effectiveOptions(capabilities, {options: {mattermost: {account: 'keep'}}})).toEqual({mattermost: {account: 'keep', keep_teams: ''}});
        expect(effectiveOptions(null, {options: {mattermost: {account: 'keep'}}})).toEqual({});
    });

    it('switches off every step of an excluded system', () => {
        const steps = planSteps();
        expect(disabledStepIds({planSteps: steps, disabledSteps: ['x'], excludedProviders: []})).toEqual(['x']);
        expect(disabledStepIds({planSteps: steps, disabledSteps: [], excludedProviders: ['mattermost']})).toHaveLength(steps.length);
    });
});
