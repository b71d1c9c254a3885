// Posts, files, plugins, hooks, bots and OAuth apps through the API, as the service uses them.

import {describe, expect, it} from '@jest/globals';
import type {SeededWorkspace} from './seed.js';
import type {MattermostSim} from './sim.js';
import {call, makeTarGz, useSeededSim} from './test_support.js';

let sim: MattermostSim;
let seed: SeededWorkspace;

useSeededSim((started, seeded) => {
  sim = started;
  seed = seeded;
});

async function upload(path: string, token: string, fields: Record<string, string>, file: {field: string; name: string; type: string; data: Buffer}) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append(file.field, new Blob([new Uint8Array(file.data)], {type: file.type}), file.name);
  const res = await fetch(`${sim.url}/api/v4${path}`, {method: 'POST', headers: {Authorization: `Bearer ${token}`}, body: form});
  return {status: res.status, body: await res.json() as any};
}

describe('run channel, posts and files', () => {
  it('creates a private channel, posts a custom root post, patches it, replies with a file', async () => {
    const bot = seed.botToken;
    const events: string[] = [];
    sim.events.on('posted', () => events.push('posted'));
    sim.events.on('post_edited', () => events.push('post_edited'));
    const channel = await call(sim, bot, 'POST', '/channels', {team_id: seed.teams.acme, name: 'offboard-dana-20250101', display_name: 'Offboard dana', type: 'P'});
    expect(channel.status).toBe(201);
    expect((await call(sim, bot, 'POST', `/channels/${channel.body.id}/members`, {user_id: seed.users.alice})).status).toBe(201);
    expect((await call(sim, bot, 'POST', `/channels/${channel.body.id}/members`, {user_id: seed.users.alice})).status).toBe(201);

    const root = await call(sim, bot, 'POST', '/posts', {channel_id: channel.body.id, message: '- [ ] sessions', type: 'custom_offboarding_run', props: {run: {id: 'r1', steps: 3}}});
    expect(root.status).toBe(201);
    expect(root.body).toMatchObject({type: 'custom_offboarding_run', props: {run: {id: 'r1', steps: 3}}, user_id: seed.botUserId, edit_at: 0});
    const patched = await call(sim, bot, 'PUT', `/posts/${root.body.id}/patch`, {message: '- [x] sessions', props: {run: {id: 'r1', steps: 3, done: 1}}});
    expect(patched.body).toMatchObject({message: '- [x] sessions', props: {run: {done: 1}}});
    expect(patched.body.edit_at).toBeGreaterThan(0);

    const file = await upload('/files', bot, {channel_id: channel.body.id}, {field: 'files', name: 'report.md', type: 'text/markdown', data: Buffer.from('# Report\n')});
    expect(file.status).toBe(201);
    const info = file.body.file_infos[0];
    expect(info).toMatchObject({name: 'report.md', extension: 'md', size: 9, channel_id: channel.body.id});
    const reply = await call(sim, bot, 'POST', '/posts', {channel_id: channel.body.id, root_id: root.body.id, message: 'Report attached', file_ids: [info.id]});
    expect(reply.body.file_ids).toEqual([info.id]);
    expect(reply.body.metadata.files[0].id).toBe(info.id);
    const thread = await call(sim, seed.adminToken, 'GET', `/posts/${root.body.id}/thread`);
    expect(thread.body.order).toEqual([reply.body.id, root.body.id]);
    const download = await fetch(`${sim.url}/api/v4/files/${info.id}`, {headers: {Authorization: `Bearer ${seed.adminToken}`}});
    expect(await download.text()).toBe('# Report\n');
    expect(events).toEqual(['posted', 'post_edited', 'posted']);

    const outsider = sim.createSession(seed.users.erin);
    expect((await call(sim, outsider, 'GET', `/posts/${root.body.id}`)).status).toBe(403);
    expect((await call(sim, bot, 'POST', '/posts', {channel_id: channel.body.id, message: 'x', type: 'system_join_channel'})).status).toBe(400);
  });

  it('sends ephemeral posts to one user only (admins only)', async () => {
    const res = await call(sim, seed.botToken, 'POST', '/posts/ephemeral', {user_id: seed.users.alice, post: {channel_id: seed.channels.acmeTownSquare, message: 'Only for you'}});
    expect(res.status).toBe(201);
    expect(sim.state.ephemeralFor(seed.users.alice).map((e) => e.post.message)).toContain('Only for you');
    const bob = sim.createSession(seed.users.bob);
    expect((await call(sim, bob, 'POST', '/posts/ephemeral', {user_id: seed.users.alice, post: {channel_id: seed.channels.acmeTownSquare, message: 'x'}})).status).toBe(403);
  });
});

describe('plugins', () => {
  it('uploads a bundle, reads its manifest, enables it and serves its webapp bundle', async () => {
    const manifest = {id: 'offboarding', name: 'Offboarding', version: '0.1.0', webapp: {bundle_path: 'webapp/dist/main.js'}};
    const bundle = makeTarGz({'offboarding/plugin.json': JSON.stringify(manifest), 'offboarding/webapp/dist/main.js': 'window.registerPlugin("offboarding", {});'});
    const file = {field: 'plugin', name: 'offboarding-0.1.0.tar.gz', type: 'application/gzip', data: bundle};
    const up = await upload('/plugins', seed.adminToken, {}, file);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({id: 'offboarding', version: '0.1.0'});
    expect(sim.state.plugins.get('offboarding')?.bundle.equals(bundle)).toBe(true);
    expect((await upload('/plugins', seed.adminToken, {}, file)).status).toBe(400);
    expect((await upload('/plugins', seed.adminToken, {force: 'true'}, file)).status).toBe(201);
    expect((await upload('/plugins', sim.createSession(seed.users.bob), {}, file)).status).toBe(403);

    expect((await call(sim, seed.adminToken, 'GET', '/plugins/webapp')).body).toEqual([]);
    expect((await call(sim, seed.adminToken, 'POST', '/plugins/offboarding/enable')).status).toBe(200);
    expect((await call(sim, seed.adminToken, 'GET', '/plugins')).body.active.map((p: {id: string}) => p.id)).toEqual(['offboarding']);
    const webapp = await call(sim, seed.adminToken, 'GET', '/plugins/webapp');
    expect(webapp.body[0].webapp.bundle_path).toMatch(/^\/static\/plugins\/offboarding\/offboarding_[0-9a-f]+_bundle\.js$/);
    const js = await fetch(`${sim.url}${webapp.body[0].webapp.bundle_path}`);
    expect(await js.text()).toContain('registerPlugin');
    expect((await call(sim, seed.adminToken, 'POST', '/plugins/missing/enable')).status).toBe(404);
  });
});

describe('integrations', () => {
  it('deletes and regenerates credentials of hooks and OAuth apps; assigns and disables bots', async () => {
    const t = seed.adminToken;
    const hookId = seed.subject.incomingHookId;
    expect((await call(sim, t, 'DELETE', `/hooks/incoming/${hookId}`)).status).toBe(200);
    expect((await call(sim, t, 'GET', `/hooks/incoming?team_id=${seed.teams.engineering}`)).body).toEqual([]);
    expect((await fetch(`${sim.url}/hooks/${hookId}`, {method: 'POST', body: JSON.stringify({text: 'alert'})})).status).toBe(400);

    const before = sim.state.outgoingWebhook(seed.subject.outgoingHookId)?.token;
    const regen = await call(sim, t, 'POST', `/hooks/outgoing/${seed.subject.outgoingHookId}/regen_token`);
    expect(regen.body.token).not.toBe(before);

    const secret = sim.state.oauthApp(seed.subject.oauthAppId)?.client_secret;
    const app = await call(sim, t, 'POST', `/oauth/apps/${seed.subject.oauthAppId}/regen_secret`);
    expect(app.body.client_secret).not.toBe(secret);

    const assigned = await call(sim, t, 'POST', `/bots/${seed.subject.botUserId}/assign/${seed.users.alice}`);
    expect(assigned.body.owner_id).toBe(seed.users.alice);
    const disabled = await call(sim, t, 'POST', `/bots/${seed.subject.botUserId}/disable`);
    expect(disabled.body.delete_at).toBeGreaterThan(0);
    expect((await call(sim, t, 'GET', '/bots')).body.map((b: {username: string}) => b.username)).toEqual(['offboarding-bot']);
    expect((await call(sim, t, 'POST', `/bots/${seed.subject.botUserId}/enable`)).body.delete_at).toBe(0);

    const invite = sim.state.team(seed.teams.engineering)?.invite_id;
    const team = await call(sim, t, 'POST', `/teams/${seed.teams.engineering}/regenerate_invite_id`);
    expect(team.body.invite_id).not.toBe(invite);
    const asMember = await call(sim, sim.createSession(seed.users.carol), 'GET', `/teams/${seed.teams.engineering}`);
    expect(asMember.body.invite_id).toBe('');
  });

  it('keeps posting through an incoming webhook of a deactivated creator until it is deleted', async () => {
    const hook = sim.createIncomingWebhook({channel_id: seed.channels.acmeOffTopic, team_id: seed.teams.acme, user_id: seed.users.erin});
    sim.deactivateUser(seed.users.erin);
    const res = await fetch(`${sim.url}/hooks/${hook.id}`, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({text: 'still here'})});
    expect(res.status).toBe(200);
    expect(sim.state.postsInChannel(seed.channels.acmeOffTopic)[0]).toMatchObject({message: 'still here', user_id: seed.users.erin});
  });
});
