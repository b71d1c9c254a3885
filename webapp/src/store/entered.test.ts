import {describe, expect, it} from '@jest/globals';

import {capabilities, planSteps} from '../test_support/fixtures.js';

import {emptyDraft} from './draft.js';
import {assigneesToSend, enteredIdentities, identityProblem, splitIds} from './entered.js';

const iam = {label: 'IAM user name', placeholder: 'dana', pattern: '^[\\w+=,.@-]{1,64}$', max_ids: 3};

describe('entered identities', () => {
    it('splits on lines, commas and spaces, trimming and dropping duplicates regardless of case', () => {
        expect(splitIds(' dana.admin\n\ndana-old ,DANA.ADMIN;  x ')).toEqual(['dana.admin', 'dana-old', 'x']);
        expect(splitIds(' \n , ')).toEqual([]);
    });

    it('says what is wrong before anything is sent: too many, too long, not matching', () => {
        expect(identityProblem(iam, ['a', 'b', 'c'])).toBeNull();
        expect(identityProblem(iam, ['a', 'b', 'c', 'd'])).toBe('Enter at most 3 IAM user names.');
        expect(identityProblem({...iam, max_ids: 1}, ['a', 'b'])).toBe('Enter one IAM user name, not 2.');
        expect(identityProblem({...iam, pattern: null}, ['x'.repeat(129)])).toMatch(/longer than 128 characters/);
        expect(identityProblem(iam, ['dana/ops'])).toBe('"dana/ops" is not a valid IAM user name.');
    });

    it('sends only editable systems with something entered, and reports the others\' problems', () => {
        const caps = {...capabilities, providers: [...capabilities.providers, {id: 'aws', title: 'AWS', plan_options: [], identity_input: iam}]};
        expect(enteredIdentities(caps, {aws: 'dana, dana.admin', mattermost: 'dana'})).toEqual({ids: {aws: ['dana', 'dana.admin']}, problems: {}});
        expect(enteredIdentities(caps, {aws: ' '})).toEqual({ids: {}, problems: {}});
        expect(enteredIdentities(caps, {aws: 'a b c d'}).problems).toEqual({aws: 'Enter at most 3 IAM user names.'});
    });
});

describe('assignees to send', () => {
    const laptop = 'mattermost:manual_review:laptop';
    const draft = {...emptyDraft(), planSteps: planSteps()};

    it('sends changes of running manual items only, compared without @ and case', () => {
        expect(assigneesToSend({...draft, assignees: {[laptop]: 'IT-desk'}})).toEqual({});
        expect(assigneesToSend({...draft, assignees: {[laptop]: ' carol '}})).toEqual({[laptop]: 'carol'});
        expect(assigneesToSend({...draft, assignees: {[laptop]: ''}})).toEqual({[laptop]: ''});
        expect(assigneesToSend({...draft, assignees: {'mattermost:revoke_sessions:dana': 'carol'}})).toEqual({});
        expect(assigneesToSend({...draft, assignees: {[laptop]: 'carol'}, disabledSteps: [laptop]})).toEqual({});
        expect(assigneesToSend({...draft, assignees: {[laptop]: 'carol'}, excludedProviders: ['mattermost']})).toEqual({});
    });
});
