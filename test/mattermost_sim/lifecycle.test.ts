// Offboarding-relevant state changes behave like Mattermost: deactivation, tokens, team/channel removal, paging.

import {describe, expect, it} from '@jest/globals';
import type {SeededWorkspace} from './seed.js';
import type {MattermostSim} from './sim.js';
import {call, useSeededSim} from './test_support.js';

let sim: MattermostSim;
let seed: SeededWorkspace;

useSeededSim((started, seeded) => {
  sim = started;
  seed = seeded;
});

describe('deactivating a user', () => {
  it('ends every session, makes PATs unusable and disables the bots the user owned', async () => {
    const dana = seed.subject.userId;
    const session = sim.createSession(dana);
    const pat = sim.createAccessToken(dana, 'laptop script');
    expect((await call(sim, pat, 'GET', '/users/me')).status).toBe(200);
    expect(sim.state.sessionsOf(dana).length).toBeGreaterThanOrEqual(5);

    const res = await call(sim, seed.botToken, 'PUT', `/users/${dana}/active`, {active: false});
    expect(res.status).toBe(200);
    expect(res.body).toEqual({status: 'OK'});

    expect(sim.state.user(dana)?.delete_at).toBeGreaterThan(0);
    expect(sim.state.sessionsOf(dana)).toEqual([]);
    expect((await call(sim, session, 'GET', '/users/me')).status).toBe(401);
    expect((await call(sim, pat, 'GET', '/users/me')).status).toBe(401);
    // The tokens are still listed (is_active unchanged), they just stop working.
    const tokens = await call(sim, seed.adminToken, 'GET', `/users/${dana}/tokens`);
    expect(tokens.body).toHaveLength(3);
    expect(tokens.body.every((t: Record<string, unknown>) => t['token'] === undefined)).toBe(true);

    const bot = await call(sim, seed.adminToken, 'GET', `/bots/${seed.subject.botUserId}?include_deleted=true`);
    expect(bot.body.delete_at).toBeGreaterThan(0);
    expect(sim.state.user(seed.subject.botUserId)?.delete_at).toBeGreaterThan(0);
    const orphaned = await call(sim, seed.adminToken, 'GET', '/bots?include_deleted=true&only_orphaned=true');
    expect(orphaned.body.map((b: {user_id: string}) => b.user_id)).toEqual([seed.subject.botUserId]);

    // Memberships survive deactivation; offboarding must remove them explicitly.
    expect(sim.state.isTeamMember(seed.teams.engineering, dana)).toBe(true);
  });
});

describe('personal access tokens and sessions', () => {
  it('revoking a PAT deletes it and its sessions; disabling keeps it listed but refused', async () => {
    const erin = seed.users.erin;
    const first = sim.createAccessToken(erin, 'first');
    const second = sim.createAccessToken(erin, 'second');
    expect((await call(sim, first, 'GET', '/users/me')).status).toBe(200);
    const [firstRecord, secondRecord] = sim.state.tokensOf(erin);
    expect(sim.state.sessionsOf(erin).some((s) => s.props['user_access_token_id'] === firstRecord?.id)).toBe(true);

    expect((await call(sim, seed.adminToken, 'POST', '/users/tokens/revoke', {token_id: firstRecord?.id})).status).toBe(200);
    expect(sim.state.accessTokens.has(firstRecord?.id ?? '')).toBe(false);
    expect(sim.state.sessionsOf(erin)).toEqual([]);
    expect((await call(sim, first, 'GET', '/users/me')).status).toBe(401);
    expect((await call(sim, seed.adminToken, 'POST', '/users/tokens/revoke', {token_id: firstRecord?.id})).status).toBe(404);

    expect((await call(sim, seed.adminToken, 'POST', '/users/tokens/disable', {token_id: secondRecord?.id})).status).toBe(200);
    expect((await call(sim, second, 'GET', '/users/me')).status).toBe(401);
    expect(sim.state.accessTokens.get(secondRecord?.id ?? '')?.is_active).toBe(false);
  });

  it('creates a PAT whose token is returned once and revokes one session by id', async () => {
    const created = await call(sim, seed.adminToken, 'POST', `/users/${seed.users.carol}/tokens`, {description: 'ci'});
    expect(created.status).toBe(200);
    expect(created.body.token).toMatch(/^[a-z0-9]{26}$/);
    const listed = await call(sim, seed.adminToken, 'GET', `/users/${seed.users.carol}/tokens`);
    expect(listed.body).toEqual([{id: created.body.id, user_id: seed.users.carol, description: 'ci', is_active: true}]);

    const s1 = sim.createSession(seed.users.carol);
    sim.createSession(seed.users.carol);
    const sessions = await call(sim, seed.adminToken, 'GET', `/users/${seed.users.carol}/sessions`);
    expect(sessions.body).toHaveLength(2);
    expect(sessions.body.every((s: {token: string}) => s.token === '')).toBe(true);
    const target = sim.state.sessionByToken(s1)?.id;
    expect((await call(sim, seed.adminToken, 'POST', `/users/${seed.users.carol}/sessions/revoke`, {session_id: target})).status).toBe(200);
    expect((await call(sim, s1, 'GET', '/users/me')).status).toBe(401);
    expect((await call(sim, seed.adminToken, 'POST', `/users/${seed.users.carol}/sessions/revoke/all`)).status).toBe(200);
    expect(sim.state.sessionsOf(seed.users.carol)).toEqual([]);
  });
});

describe('team and channel membership', () => {
  it('removing from a team removes the channel memberships in that team only', async () => {
    const bob = seed.users.bob;
    expect(sim.state.channelMember(seed.channels.salesDeals, bob)).toBeDefined();
    const res = await call(sim, seed.adminToken, 'DELETE', `/teams/${seed.teams.sales}/members/${bob}`);
    expect(res.status).toBe(200);
    for (const c of sim.state.channelsOfTeam(seed.teams.sales)) expect(sim.state.channelMember(c.id, bob)).toBeUndefined();
    expect(sim.state.channelMember(seed.channels.acmeTownSquare, bob)).toBeDefined();
    expect(sim.state.channelMember(seed.channels.gmDanaBobCarol, bob)).toBeDefined();

    // The row stays with delete_at set, like the real store; lists no longer show it.
    const member = await call(sim, seed.adminToken, 'GET', `/teams/${seed.teams.sales}/members/${bob}`);
    expect(member.status).toBe(200);
    expect(member.body.delete_at).toBeGreaterThan(0);
    const teams = await call(sim, seed.adminToken, 'GET', `/users/${bob}/teams`);
    expect(teams.body.map((t: {name: string}) => t.name)).toEqual(['acme']);
    expect((await call(sim, seed.adminToken, 'DELETE', `/teams/${seed.teams.sales}/members/${bob}`)).status).toBe(200);
    expect((await call(sim, seed.adminToken, 'DELETE', `/teams/${seed.teams.sales}/members/${seed.users.carol}`)).status).toBe(400);
  });

  it('refuses to remove anyone from town-square, and removes from other channels', async () => {
    const carol = seed.users.carol;
    const ts = await call(sim, seed.adminToken, 'DELETE', `/channels/${seed.channels.engineeringTownSquare}/members/${carol}`);
    expect(ts.status).toBe(400);
    expect(ts.body.id).toBe('api.channel.remove.default.app_error');
    const ops = await call(sim, seed.adminToken, 'DELETE', `/channels/${seed.channels.engineeringOpsBots}/members/${carol}`);
    expect(ops.status).toBe(200);
    const again = await call(sim, seed.adminToken, 'GET', `/channels/${seed.channels.engineeringOpsBots}/members/${carol}`);
    expect(again.status).toBe(404);
  });

  it('updates channel roles and scheme roles', async () => {
    const channel = seed.channels.engineeringIncidentResponse;
    const carol = seed.users.carol;
    const bad = await call(sim, seed.adminToken, 'PUT', `/channels/${channel}/members/${carol}/roles`, {roles: 'channel_admin'});
    expect(bad.status).toBe(400);
    expect((await call(sim, seed.adminToken, 'PUT', `/channels/${channel}/members/${carol}/schemeRoles`, {scheme_admin: false, scheme_user: true})).status).toBe(200);
    expect(sim.state.channelMember(channel, carol)).toMatchObject({roles: 'channel_user', scheme_admin: false});
  });
});

describe('pagination', () => {
  it('pages a user\'s 250 channels 100 at a time, and caps per_page at 200', async () => {
    const user = sim.createUser({username: 'pager', email: 'pager@example.com'});
    const team = sim.createTeam({name: 'paging', display_name: 'Paging'});
    sim.addTeamMember(team.id, user.id);
    for (let i = 0; i < 248; i += 1) {
      const c = sim.createChannel({team_id: team.id, name: `chan-${i}`, display_name: `Chan ${i}`, type: i % 3 === 0 ? 'P' : 'O', creator_id: ''});
      sim.addChannelMember(c.id, user.id);
    }
    const ids = new Set<string>();
    const sizes: number[] = [];
    for (let page = 0; page < 4; page += 1) {
      const res = await call(sim, seed.adminToken, 'GET', `/users/${user.id}/channels?page=${page}&per_page=100`);
      sizes.push(res.body.length);
      for (const c of res.body) ids.add(c.id);
    }
    expect(sizes).toEqual([100, 100, 50, 0]);
    expect(ids.size).toBe(250);
    const capped = await call(sim, seed.adminToken, 'GET', `/users/${user.id}/channels?per_page=1000&page=0`);
    expect(capped.body).toHaveLength(200);
    const members = await call(sim, seed.adminToken, 'GET', `/channels/${seed.channels.acmeTownSquare}/members?per_page=2&page=1`);
    expect(members.body).toHaveLength(2);
  });
});
