// Interactive dialogs and message buttons: trigger_id checks, what the integration receives, post updates.

import {afterAll, beforeAll, beforeEach, describe, expect, it} from '@jest/globals';
import {seedWorkspace} from './seed.js';
import type {SeededWorkspace} from './seed.js';
import {signTriggerId, startMattermostSim} from './sim.js';
import type {MattermostSim} from './sim.js';
import {call, startIntegration} from './test_support.js';
import type {Integration} from './test_support.js';

let sim: MattermostSim;
let other: MattermostSim;
let seed: SeededWorkspace;
let service: Integration;

const dialog = {callback_id: 'offboard', title: 'Offboard a user', elements: [{type: 'text', name: 'username', display_name: 'User'}], state: 'hmac-state'};

beforeAll(async () => {
  [sim, other] = await Promise.all([startMattermostSim(), startMattermostSim()]);
  seed = seedWorkspace(sim);
  service = await startIntegration();
});

afterAll(async () => {
  await service.close();
  await Promise.all([sim.close(), other.close()]);
});

beforeEach(() => {
  service.requests.length = 0;
  service.reply = {status: 200, contentType: 'application/json', body: '{}'};
});

describe('interactive dialogs', () => {
  it('opens a dialog for the user a fresh trigger_id names, without a session', async () => {
    const triggerId = signTriggerId(sim, seed.users.alice);
    const res = await call(sim, undefined, 'POST', '/actions/dialogs/open', {trigger_id: triggerId, url: `${service.url}/dialog`, dialog});
    expect(res.status).toBe(200);
    expect(sim.state.dialogsFor(seed.users.alice)).toEqual([expect.objectContaining({url: `${service.url}/dialog`, dialog, trigger_id: triggerId})]);
  });

  it('refuses stale, forged and garbled trigger ids and records nothing', async () => {
    const stale = signTriggerId(sim, seed.users.bob, Date.now() - 31_000);
    const forged = signTriggerId(other, seed.users.bob);
    const [cid, , ts, sig] = Buffer.from(signTriggerId(sim, seed.users.carol), 'base64').toString().split(':');
    const swapped = Buffer.from(`${cid}:${seed.users.bob}:${ts}:${sig}`).toString('base64');
    const ids = {
      stale: 'interactive_message.decode_trigger_id.expired', forged: 'interactive_message.decode_trigger_id.verify_signature_failed',
      swapped: 'interactive_message.decode_trigger_id.verify_signature_failed', garbled: 'interactive_message.decode_trigger_id.missing_data',
    };
    const triggers = {stale, forged, swapped, garbled: Buffer.from('nope').toString('base64')};
    for (const [name, triggerId] of Object.entries(triggers)) {
      const res = await call(sim, undefined, 'POST', '/actions/dialogs/open', {trigger_id: triggerId, url: `${service.url}/dialog`, dialog});
      expect(res.status).toBe(400);
      expect(res.body.id).toBe(ids[name as keyof typeof ids]);
    }
    expect(sim.state.dialogsFor(seed.users.bob)).toEqual([]);
  });

  it('submits as the session user with only Content-Type and Accept, and returns the integration\'s answer', async () => {
    service.reply.body = JSON.stringify({errors: {username: 'Unknown user'}});
    const alice = sim.createSession(seed.users.alice);
    const res = await call(sim, alice, 'POST', '/actions/dialogs/submit', {
      url: `${service.url}/dialog`, callback_id: 'offboard', state: 'hmac-state', channel_id: seed.channels.acmeTownSquare,
      team_id: seed.teams.acme, submission: {username: 'ghost'}, cancelled: false, user_id: seed.users.bob,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({errors: {username: 'Unknown user'}});
    const req = service.requests[0];
    expect(JSON.parse(req?.body ?? '')).toEqual({
      type: 'dialog_submission', callback_id: 'offboard', state: 'hmac-state', user_id: seed.users.alice,
      channel_id: seed.channels.acmeTownSquare, team_id: seed.teams.acme, submission: {username: 'ghost'}, cancelled: false,
    });
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['accept']).toBe('application/json');
    expect(req?.headers['authorization']).toBeUndefined();
  });
});

describe('post actions', () => {
  it('posts the context to the integration, applies its update and hides the integration from clients', async () => {
    const bot = seed.botUserId;
    const post = sim.createPost({
      channel_id: seed.channels.acmeTownSquare, user_id: bot, message: 'Approve offboarding of @dana?', type: 'custom_offboarding_run',
      props: {from_webhook: 'true', attachments: [{text: 'Pending', actions: [{id: 'approve', name: 'Approve', type: 'button', integration: {url: `${service.url}/action`, context: {run: 'r1', mac: 'sig'}}}]}]},
    });
    const seen: unknown[] = [];
    sim.events.on('post_edited', (e: {post: unknown}) => seen.push(e.post));
    service.reply.body = JSON.stringify({update: {message: 'Approved by @alice', props: {attachments: [], from_webhook: 'false'}}, ephemeral_text: 'Thanks'});
    const alice = sim.createSession(seed.users.alice);

    const res = await call(sim, alice, 'POST', `/posts/${post.id}/actions/approve`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({status: 'OK', trigger_id: expect.stringMatching(/^[a-z0-9]{26}$/)});
    const sent = JSON.parse(service.requests[0]?.body ?? '');
    expect(sent).toMatchObject({
      user_id: seed.users.alice, user_name: 'alice', channel_id: seed.channels.acmeTownSquare, channel_name: 'town-square',
      team_id: seed.teams.acme, team_domain: 'acme', post_id: post.id, type: 'button', context: {run: 'r1', mac: 'sig'},
    });
    const decoded = Buffer.from(sent.trigger_id, 'base64').toString().split(':');
    expect(decoded[1]).toBe(seed.users.alice);

    expect(sim.state.post(post.id)).toMatchObject({message: 'Approved by @alice', props: {attachments: [], from_webhook: 'true'}});
    expect(sim.state.post(post.id)?.edit_at).toBeGreaterThan(0);
    expect(seen).toHaveLength(1);
    expect(sim.state.ephemeralFor(seed.users.alice).map((e) => e.post.message)).toContain('Thanks');
  });

  it('strips integration url and context from actions in every post a client reads', async () => {
    const post = sim.createPost({
      channel_id: seed.channels.acmeTownSquare, user_id: seed.botUserId, message: 'Retry?',
      props: {attachments: [{actions: [{id: 'retry', name: 'Retry', integration: {url: `${service.url}/action`, context: {secret: 'x'}}}]}]},
    });
    const res = await call(sim, seed.adminToken, 'GET', `/posts/${post.id}`);
    expect(res.body.props.attachments[0].actions[0]).toEqual({id: 'retry', name: 'Retry'});
    expect(res.text).not.toContain('secret');
    const list = await call(sim, seed.adminToken, 'GET', `/channels/${seed.channels.acmeTownSquare}/posts?per_page=5`);
    expect(list.text).not.toContain('secret');
    expect(list.body.order[0]).toBe(post.id);
  });

  it('answers an unknown action with 404 and an integration failure with 400', async () => {
    const post = sim.createPost({channel_id: seed.channels.acmeTownSquare, user_id: seed.botUserId, message: 'x', props: {attachments: [{actions: [{id: 'go', name: 'Go', integration: {url: `${service.url}/action`}}]}]}});
    expect((await call(sim, seed.adminToken, 'POST', `/posts/${post.id}/actions/nope`)).status).toBe(404);
    service.reply = {status: 503, contentType: 'text/plain', body: 'down'};
    const failed = await call(sim, seed.adminToken, 'POST', `/posts/${post.id}/actions/go`);
    expect(failed.status).toBe(400);
    expect(failed.body.id).toBe('api.post.do_action.action_integration.app_error');
    expect(sim.state.post(post.id)?.message).toBe('x');
  });
});
