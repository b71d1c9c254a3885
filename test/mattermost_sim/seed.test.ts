// The seeded workspace holds everything an offboarding of Dana must find, reachable through the API.

import {describe, expect, it} from '@jest/globals';
import {seedLargeWorkspace} from './seed.js';
import type {SeededWorkspace} from './seed.js';
import {startMattermostSim} from './sim.js';
import type {MattermostSim} from './sim.js';
import {call, useSeededSim} from './test_support.js';

let sim: MattermostSim;
let seed: SeededWorkspace;

useSeededSim((started, seeded) => {
  sim = started;
  seed = seeded;
});

describe('seedWorkspace', () => {
  it('creates the admin and the service bot with working tokens', async () => {
    const admin = await call(sim, seed.adminToken, 'GET', '/users/me');
    expect(admin.body).toMatchObject({id: seed.adminUserId, username: 'sysadmin', roles: 'system_user system_admin'});
    const bot = await call(sim, seed.botToken, 'GET', '/users/me');
    expect(bot.body).toMatchObject({id: seed.botUserId, username: 'offboarding-bot', is_bot: true, roles: 'system_user system_admin'});
    expect(sim.state.bot(seed.botUserId)?.owner_id).toBe(seed.adminUserId);
  });

  it('creates three teams with public and private channels', async () => {
    const teams = await call(sim, seed.adminToken, 'GET', '/teams');
    expect(teams.body.map((t: {name: string; display_name: string}) => [t.name, t.display_name])).toEqual([['acme', 'Acme Corp'], ['engineering', 'Engineering'], ['sales', 'Sales']]);
    for (const team of ['acme', 'engineering', 'sales'] as const) {
      for (const name of ['town-square', 'off-topic']) {
        expect(sim.state.channelByName(seed.teams[team], name)?.type).toBe('O');
      }
    }
    const privates = {acmeLeadership: 'leadership', engineeringIncidentResponse: 'incident-response', salesDeals: 'deals', engineeringOpsBots: 'ops-bots'} as const;
    for (const [key, name] of Object.entries(privates)) {
      expect(sim.state.channel(seed.channels[key as keyof typeof privates])).toMatchObject({name, type: 'P'});
    }
    expect(sim.state.channel(seed.channels.dmDanaAlice)?.type).toBe('D');
    expect(sim.state.channel(seed.channels.gmDanaBobCarol)?.type).toBe('G');
  });

  it('creates the ordinary users with realistic names', async () => {
    const users = await call(sim, seed.adminToken, 'POST', '/users/ids', Object.values(seed.users));
    expect(users.body.map((u: {username: string; email: string}) => `${u.username} <${u.email}>`)).toEqual([
      'alice <alice@example.com>', 'bob <bob@example.com>', 'carol <carol@example.com>', 'erin <erin@example.com>', 'dana <dana@example.com>',
    ]);
  });

  it('gives Dana everything an offboarding has to find', async () => {
    const dana = seed.subject.userId;
    const t = seed.adminToken;
    expect((await call(sim, t, 'GET', '/users/username/dana')).body).toMatchObject({id: dana, first_name: 'Dana', last_name: 'Whitfield', email: 'dana@example.com'});
    const teams = await call(sim, t, 'GET', `/users/${dana}/teams/members`);
    expect(teams.body).toHaveLength(3);
    expect(teams.body.find((m: {team_id: string}) => m.team_id === seed.teams.engineering)).toMatchObject({roles: 'team_user team_admin', scheme_admin: true});
    const channels = await call(sim, t, 'GET', `/users/${dana}/channels`);
    const names = channels.body.map((c: {name: string}) => c.name);
    for (const name of ['leadership', 'incident-response', 'deals', 'ops-bots', 'town-square', 'off-topic']) expect(names).toContain(name);
    const ir = await call(sim, t, 'GET', `/channels/${seed.channels.engineeringIncidentResponse}/members/${dana}`);
    expect(ir.body).toMatchObject({roles: 'channel_user channel_admin', scheme_admin: true});

    const sessions = await call(sim, t, 'GET', `/users/${dana}/sessions`);
    expect(sessions.body.map((s: {props: {platform: string}}) => s.props.platform).sort()).toEqual(['Macintosh', 'Windows', 'iPhone']);
    expect((await call(sim, t, 'GET', `/users/${dana}/tokens`)).body.map((x: {description: string}) => x.description)).toEqual(['CI deploy script', 'Grafana alert bridge']);

    const incoming = await call(sim, t, 'GET', `/hooks/incoming?team_id=${seed.teams.engineering}`);
    expect(incoming.body).toEqual([expect.objectContaining({id: seed.subject.incomingHookId, user_id: dana, channel_id: seed.channels.engineeringOpsBots})]);
    const outgoing = await call(sim, t, 'GET', `/hooks/outgoing?team_id=${seed.teams.engineering}`);
    expect(outgoing.body).toEqual([expect.objectContaining({id: seed.subject.outgoingHookId, creator_id: dana})]);
    const commands = await call(sim, t, 'GET', `/commands?team_id=${seed.teams.engineering}&custom_only=true`);
    expect(commands.body).toEqual([expect.objectContaining({id: seed.subject.commandId, trigger: 'deploy', creator_id: dana})]);
    const bots = await call(sim, t, 'GET', '/bots');
    expect(bots.body.filter((b: {owner_id: string}) => b.owner_id === dana).map((b: {username: string}) => b.username)).toEqual(['dana-deploybot']);
    const apps = await call(sim, t, 'GET', '/oauth/apps');
    expect(apps.body.filter((a: {creator_id: string}) => a.creator_id === dana).map((a: {name: string}) => a.name)).toEqual(["Dana's Grafana SSO"]);
    const authorized = await call(sim, t, 'GET', `/users/${dana}/oauth/apps/authorized`);
    expect(authorized.body).toEqual([expect.objectContaining({id: seed.subject.oauthAppId, client_secret: ''})]);
  });

  it('puts alice in the security-admins group', async () => {
    const groups = await call(sim, seed.adminToken, 'GET', `/users/${seed.users.alice}/groups`);
    expect(groups.body).toEqual([expect.objectContaining({id: seed.groups.securityAdmins, name: 'security-admins', member_count: 1})]);
    expect((await call(sim, seed.adminToken, 'GET', `/users/${seed.users.bob}/groups`)).body).toEqual([]);
  });
});

describe('seedLargeWorkspace', () => {
  it('builds a bulk workspace', async () => {
    const big = await startMattermostSim();
    try {
      const out = seedLargeWorkspace(big, {users: 50, teams: 2, channelsPerTeam: 5});
      expect(out.userIds).toHaveLength(50);
      const res = await call(big, out.adminToken, 'GET', `/users?in_team=${out.teamIds[0]}&per_page=200`);
      expect(res.body).toHaveLength(50);
    } finally {
      await big.close();
    }
  });
});
