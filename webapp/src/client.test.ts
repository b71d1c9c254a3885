import {describe, expect, it} from '@jest/globals';

import {base64url, ClientError, createClient, describeHttpError} from './client.js';
import {capabilities} from './test_support/fixtures.js';
import {fakeService} from './test_support/fake_service.js';

const ctx = {channel_id: 'c'.repeat(26), team_id: 't'.repeat(26)};

describe('base64url', () => {
    it('encodes UTF-8 JSON without padding or URL-unsafe characters', () => {
        const text = JSON.stringify({v: 1, query: 'Zoë Ñandú ✓ ??>>'});
        const encoded = base64url(text);
        expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
        const b64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
        const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
        expect(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))).toBe(text);
    });
});

describe('createClient', () => {
    it('runs an RPC as /offboard rpc through commands/execute with the session cookie and the CSRF header', async () => {
        const service = fakeService({capabilities: () => capabilities});
        const client = createClient({getSiteUrl: () => 'http://mm.test', fetch: service.fetch, getCookies: () => 'a=1; MMCSRF=tok%3D1'});
        const result = await client.rpc('capabilities', {}, ctx);
        expect(result.caller.username).toBe('sysadmin');
        const [call] = service.calls;
        expect(call?.method).toBe('capabilities');
        expect(call?.payload).toEqual({v: 1});
        expect(call?.context).toEqual(ctx);
        expect(call?.credentials).toBe('include');
        expect(call?.headers['X-Requested-With']).toBe('XMLHttpRequest');
        expect(call?.headers['X-CSRF-Token']).toBe('tok=1');
    });

    it('turns an RPC error reply into a ClientError carrying the service message and code', async () => {
        const service = fakeService({'subject.resolve': () => ({error: {code: 'refused', message: 'You cannot offboard yourself; ask another admin.'}})});
        const client = createClient({getSiteUrl: () => '', fetch: service.fetch, getCookies: () => ''});
        const failure = await client.rpc('subject.resolve', {query: 'sysadmin'}, ctx).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(ClientError);
        expect((failure as ClientError).message).toBe('You cannot offboard yourself; ask another admin.');
        expect((failure as ClientError).detail.code).toBe('refused');
    });

    it('explains a stopped service instead of showing Mattermost\'s "command failed"', async () => {
        const service = fakeService({});
        service.setDown(true);
        const client = createClient({getSiteUrl: () => '', fetch: service.fetch, getCookies: () => ''});
        const failure = await client.rpc('capabilities', {}, ctx).catch((e: unknown) => e) as ClientError;
        expect(failure.message).toMatch(/did not answer.*stopped or unreachable.*kept/);
        expect(failure.detail.status_code).toBe(500);
    });

    it('rejects an answer whose shape it does not know (version mismatch) with a readable message', async () => {
        const service = fakeService({capabilities: () => ({version: 'two'})});
        const client = createClient({getSiteUrl: () => '', fetch: service.fetch, getCookies: () => ''});
        await expect(client.rpc('capabilities', {}, ctx)).rejects.toThrow(/does not understand.*same version/);
    });

    it('refuses a payload the service would reject as too large, without sending it', async () => {
        const service = fakeService({'plan.create': () => ({})});
        const client = createClient({getSiteUrl: () => '', fetch: service.fetch, getCookies: () => ''});
        const disabled = Array.from({length: 200}, (_, i) => `mattermost:remove_from_channel:${String(i).padStart(26, '0')}`);
        await expect(client.rpc('plan.create', {inventory_id: 'i'.repeat(26), disabled_steps: disabled}, ctx))
            .rejects.toThrow(/too large to send \(\d+ bytes, at most 8192\)/);
        expect(service.calls).toHaveLength(0);
    });

    it('reports an unreachable Mattermost (network failure)', async () => {
        const client = createClient({getSiteUrl: () => '', fetch: async () => {
            throw new TypeError('Failed to fetch');
        }, getCookies: () => ''});
        await expect(client.rpc('capabilities', {}, ctx)).rejects.toThrow('Cannot reach Mattermost');
    });
});

describe('describeHttpError', () => {
    it.each([
        [404, 'api.command.execute_command.not_found.app_error', '', /not set up in this team/],
        [501, 'api.command.disabled.app_error', '', /Slash commands are disabled/],
        [500, 'api.command.execute_command.failed_resp.app_error', "returned response 401 Unauthorized", /refused the request \(returned response 401/],
        [401, 'api.context.session_expired.app_error', 'Invalid or expired session', /session has expired/],
        [403, 'api.context.permissions.app_error', '', /cannot run commands in this channel/],
        [418, 'x', 'teapot', /Mattermost answered 418: teapot/],
    ])('maps %i %s', (status, id, message, expected) => {
        expect(describeHttpError(status, id, message)).toMatch(expected);
    });
});
