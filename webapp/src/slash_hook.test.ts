import {describe, expect, it, jest} from '@jest/globals';

import {createSlashHook, parseOffboardCommand} from './slash_hook.js';

const args = {channel_id: 'c'.repeat(26), team_id: 't'.repeat(26), root_id: ''};

describe('parseOffboardCommand', () => {
    it.each([
        ['/offboard', {open: true, prefill: null}],
        ['  /offboard   ', {open: true, prefill: null}],
        ['/offboard @dana', {open: true, prefill: '@dana'}],
        ['/offboard dana', {open: true, prefill: 'dana'}],
        ['/OFFBOARD @Dana.W', {open: true, prefill: '@Dana.W'}],
        ['/offboard dana@example.com', {open: true, prefill: 'dana@example.com'}],
        ['/offboard help', {open: false}],
        ['/offboard list', {open: false}],
        ['/offboard status abc', {open: false}],
        ['/offboard rpc capabilities eyJ2IjoxfQ', {open: false}],
        ['/offboard @dana now', {open: false}],
        ['/offboarding @dana', {open: false}],
        ['/away', {open: false}],
        ['hello /offboard', {open: false}],
    ])('%s', (message, expected) => {
        expect(parseOffboardCommand(message)).toEqual(expected);
    });
});

describe('createSlashHook', () => {
    it('swallows /offboard @user and opens the modal in the command\'s channel and team', () => {
        const open = jest.fn();
        expect(createSlashHook(open)('/offboard @dana', args)).toEqual({});
        expect(open).toHaveBeenCalledWith('@dana', {channel_id: args.channel_id, team_id: args.team_id});
    });

    it('passes every other command through unchanged', () => {
        const open = jest.fn();
        expect(createSlashHook(open)('/offboard help', args)).toEqual({message: '/offboard help', args});
        expect(createSlashHook(open)('/echo hi', args)).toEqual({message: '/echo hi', args});
        expect(open).not.toHaveBeenCalled();
    });
});
