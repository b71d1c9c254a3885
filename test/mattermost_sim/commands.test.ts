// Slash command execution exactly as Mattermost does it: the request to the integration, the reply handling,
// and a trigger_id that verifies against the published key with plain node:crypto.

import {createPublicKey, verify} from 'node:crypto';
import {afterAll, beforeAll, beforeEach, describe, expect, it} from '@jest/globals';
import {seedWorkspace} from './seed.js';
import type {SeededWorkspace} from './seed.js';
import {startMattermostSim} from './sim.js';
import type {MattermostSim} from './sim.js';
import {call, startIntegration} from './test_support.js';
import type {Integration} from './test_support.js';
import type {Command} from './types.js';

let sim: MattermostSim;
let seed: SeededWorkspace;
let service: Integration;
let command: Command;
let aliceToken: string;

beforeAll(async () => {
  sim = await startMattermostSim({commandTimeoutMs: 500});
  seed = seedWorkspace(sim);
  service = await startIntegration();
  command = sim.createCommand({team_id: seed.teams.acme, creator_id: seed.adminUserId, trigger: 'offboard', url: `${service.url}/mattermost/command`, method: 'P'});
  aliceToken = sim.createSession(seed.users.alice);
});

afterAll(async () => {
  await service.close();
  await sim.close();
});

beforeEach(() => {
  service.requests.length = 0;
  service.reply = {status: 200, contentType: 'application/json', body: '{}'};
});

const execute = (command: string, token = aliceToken, channelId = seed.channels.acmeTownSquare) =>
  call(sim, token, 'POST', '/commands/execute', {command, channel_id: channelId, team_id: seed.teams.engineering});

describe('POST /commands/execute', () => {
  it('posts the exact form and headers to the command URL and returns the props to the caller', async () => {
    service.reply.body = JSON.stringify({response_type: 'ephemeral', text: '', props: {result: {v: 1, ok: true}}});
    const postsBefore = sim.state.posts.size;
    const res = await execute('/offboard rpc capabilities eyJ2IjoxfQ');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({response_type: 'ephemeral', text: '', props: {result: {v: 1, ok: true}}, goto_location: ''});
    expect(res.body.trigger_id).toMatch(/^[a-z0-9]{26}$/);

    expect(service.requests).toHaveLength(1);
    const req = service.requests[0];
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/mattermost/command');
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req?.headers['accept']).toBe('application/json');
    expect(req?.headers['authorization']).toBe(`Token ${command.token}`);
    expect(req?.headers['user-agent']).toBe('Mattermost-Bot/1.1');
    const form = new URLSearchParams(req?.body);
    expect([...form.keys()].sort()).toEqual(['channel_id', 'channel_name', 'command', 'response_url', 'team_domain', 'team_id', 'text', 'token', 'trigger_id', 'user_id', 'user_name']);
    expect(Object.fromEntries(form)).toMatchObject({
      token: command.token, team_id: seed.teams.acme, team_domain: 'acme', channel_id: seed.channels.acmeTownSquare,
      channel_name: 'town-square', user_id: seed.users.alice, user_name: 'alice', command: '/offboard', text: 'rpc capabilities eyJ2IjoxfQ',
    });
    expect(form.get('response_url')).toMatch(new RegExp(`^${sim.url}/hooks/commands/[a-z0-9]{26}$`));
    // Ephemeral with empty text: a silent reply, no post anywhere.
    expect(sim.state.posts.size).toBe(postsBefore);
    expect(sim.state.ephemeralFor(seed.users.alice)).toEqual([]);
  });

  it('signs a trigger_id that verifies with node:crypto against /config/client?format=old', async () => {
    await execute('/offboard');
    const triggerId = new URLSearchParams(service.requests[0]?.body).get('trigger_id') ?? '';
    const config = await call(sim, undefined, 'GET', '/config/client?format=old');
    const pubB64: string = config.body.AsymmetricSigningPublicKey;
    const raw = Buffer.from(triggerId, 'base64').toString();
    const [cid, uid, ts, sig] = raw.split(':');
    const key = createPublicKey({key: Buffer.from(pubB64, 'base64'), format: 'der', type: 'spki'});
    const ok = verify('sha256', Buffer.from(`${cid}:${uid}:${ts}:`), key, Buffer.from(sig ?? '', 'base64'));
    expect(ok).toBe(true);
    expect(uid).toBe(seed.users.alice);
    expect(Date.now() - Number(ts)).toBeLessThan(5000);
    const tampered = verify('sha256', Buffer.from(`${cid}:${seed.users.bob}:${ts}:`), key, Buffer.from(sig ?? '', 'base64'));
    expect(tampered).toBe(false);
  });

  it('creates a post by the caller for in_channel replies and an ephemeral one for ephemeral text', async () => {
    service.reply.body = JSON.stringify({response_type: 'in_channel', text: 'Offboarding started', type: 'custom_offboarding_run', props: {run: 'r1'}});
    expect((await execute('/offboard @dana')).status).toBe(200);
    const posted = sim.state.postsInChannel(seed.channels.acmeTownSquare)[0];
    expect(posted).toMatchObject({user_id: seed.users.alice, message: 'Offboarding started', type: 'custom_offboarding_run', props: {run: 'r1', from_webhook: 'true'}});

    service.reply.body = JSON.stringify({text: 'Only you can see this'});
    await execute('/offboard help');
    expect(sim.state.ephemeralFor(seed.users.alice).map((e) => e.post.message)).toEqual(['Only you can see this']);
    expect(sim.state.postsInChannel(seed.channels.acmeTownSquare)[0]?.id).toBe(posted?.id);
  });

  it('treats a non-JSON content type as plain text and sends @mentions of team members', async () => {
    service.reply = {status: 200, contentType: 'text/plain', body: '{"response_type":"in_channel"}'};
    const res = await execute('/offboard @dana and @nobody');
    expect(res.body).toMatchObject({response_type: '', text: '{"response_type":"in_channel"}'});
    const form = new URLSearchParams(service.requests[0]?.body);
    expect(form.getAll('user_mentions')).toEqual(['dana']);
    expect(form.getAll('user_mentions_ids')).toEqual([seed.subject.userId]);
  });

  it('turns integration failures into errors for the caller', async () => {
    service.reply = {status: 500, contentType: 'application/json', body: '{"error":"boom"}'};
    const failed = await execute('/offboard');
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({id: 'api.command.execute_command.failed_resp.app_error', status_code: 500});
    expect(failed.body.message).toContain('500 Internal Server Error');

    service.reply = {status: 200, contentType: 'application/json', body: '{"response_type":"shout"}'};
    expect((await execute('/offboard')).body.id).toBe('api.command.execute_command.failed.app_error');
  });

  it('times out integrations slower than OutgoingIntegrationRequestsTimeout', async () => {
    service.reply = {status: 200, contentType: 'application/json', body: '{"text":"late"}', delayMs: 1500};
    const started = Date.now();
    const res = await execute('/offboard');
    expect(Date.now() - started).toBeLessThan(1400);
    expect(res.status).toBe(500);
    expect(res.body.id).toBe('api.command.execute_command.failed.app_error');
    expect(sim.state.ephemeralFor(seed.users.alice).some((e) => e.post.message === 'late')).toBe(false);
  });

  it('scopes commands to the channel\'s team and needs create_post there', async () => {
    const wrongTeam = await execute('/offboard', aliceToken, seed.channels.engineeringTownSquare);
    expect(wrongTeam.status).toBe(404);
    expect(wrongTeam.body.message).toMatch(/^Command with a trigger of 'offboard' not found\./);
    const erin = sim.createSession(seed.users.erin);
    const notMember = await execute('/offboard', erin, seed.channels.acmeLeadership);
    expect(notMember.status).toBe(403);
    expect(service.requests).toHaveLength(0);
  });

  it('accepts delayed replies on response_url, at most five times', async () => {
    await execute('/offboard status');
    const responseUrl = new URLSearchParams(service.requests[0]?.body).get('response_url') ?? '';
    const reply = (text: string) => fetch(responseUrl, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({response_type: 'in_channel', text})});
    expect((await reply('Run finished')).status).toBe(200);
    expect(sim.state.postsInChannel(seed.channels.acmeTownSquare)[0]).toMatchObject({message: 'Run finished', user_id: seed.users.alice});
    for (let i = 0; i < 4; i += 1) expect((await reply(`again ${i}`)).status).toBe(200);
    expect((await reply('too many')).status).toBe(400);
  });
});

describe('command management', () => {
  it('lists custom commands for team admins and regenerates tokens', async () => {
    const list = await call(sim, seed.adminToken, 'GET', `/commands?team_id=${seed.teams.engineering}&custom_only=true`);
    expect(list.body.map((c: Command) => c.trigger)).toEqual(['deploy']);
    const bob = sim.createSession(seed.users.bob);
    expect((await call(sim, bob, 'GET', `/commands?team_id=${seed.teams.acme}&custom_only=true`)).status).toBe(403);
    const before = sim.state.command(seed.subject.commandId)?.token;
    const regen = await call(sim, seed.adminToken, 'PUT', `/commands/${seed.subject.commandId}/regen_token`);
    expect(regen.body.token).not.toBe(before);
    expect(sim.state.command(seed.subject.commandId)?.token).toBe(regen.body.token);
    expect((await call(sim, seed.adminToken, 'DELETE', `/commands/${seed.subject.commandId}`)).status).toBe(200);
    expect((await call(sim, seed.adminToken, 'GET', `/commands/${seed.subject.commandId}`)).status).toBe(404);
  });

  it('creates a command through the API with a fresh token', async () => {
    const res = await call(sim, seed.botToken, 'POST', '/commands', {team_id: seed.teams.sales, trigger: 'offboard', method: 'P', url: `${service.url}/cmd`, auto_complete: true, auto_complete_hint: '[@user]'});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({trigger: 'offboard', creator_id: seed.botUserId, auto_complete: true});
    expect(res.body.token).toMatch(/^[a-z0-9]{26}$/);
    const dup = await call(sim, seed.botToken, 'POST', '/commands', {team_id: seed.teams.sales, trigger: 'offboard', method: 'P', url: `${service.url}/cmd`});
    expect(dup.body.id).toBe('api.command.duplicate_trigger.app_error');
  });
});
