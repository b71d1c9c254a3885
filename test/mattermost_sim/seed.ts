// seedWorkspace: a realistic workspace around one person to offboard (Dana Whitfield), built straight into the
// simulator's state. Everything it creates is returned by id so tests can assert on it.

import {authorizeOAuthApp, createCommand, createIncomingWebhook, createOAuthApp, createOutgoingWebhook} from './ops_integrations.js';
import {createPost} from './ops_posts.js';
import {createAccessToken, createBot, createSession, createUser} from './ops_users.js';
import {addChannelMember, addGroupMember, addTeamMember, createChannel, createDirectChannel, createGroup, createGroupChannel, createTeam} from './ops_workspace.js';
import type {MattermostSim} from './sim.js';

export type SeedTeam = 'acme' | 'engineering' | 'sales';
export type SeedUser = 'alice' | 'bob' | 'carol' | 'erin' | 'dana';
/** Team channels as <team><Channel> (acmeTownSquare, engineeringIncidentResponse, ...), plus Dana's DM and GM. */
export type SeedChannel =
  | `${SeedTeam}TownSquare` | `${SeedTeam}OffTopic` | 'acmeLeadership' | 'engineeringIncidentResponse'
  | 'engineeringOpsBots' | 'salesDeals' | 'dmDanaAlice' | 'gmDanaBobCarol';

export interface SeededWorkspace {
  adminToken: string;
  adminUserId: string;
  botToken: string;
  botUserId: string;
  subject: {
    userId: string;
    username: string;
    sessionIds: string[];
    accessTokenIds: string[];
    botUserId: string;
    commandId: string;
    incomingHookId: string;
    outgoingHookId: string;
    oauthAppId: string;
  };
  teams: Record<SeedTeam, string>;
  channels: Record<SeedChannel, string>;
  users: Record<SeedUser, string>;
  groups: {securityAdmins: string};
}

const PEOPLE: Record<SeedUser, {first: string; last: string; position: string}> = {
  alice: {first: 'Alice', last: 'Nguyen', position: 'Head of Security'},
  bob: {first: 'Bob', last: 'Martinez', position: 'Account Executive'},
  carol: {first: 'Carol', last: 'Okafor', position: 'Site Reliability Engineer'},
  erin: {first: 'Erin', last: 'Schmidt', position: 'Sales Operations'},
  dana: {first: 'Dana', last: 'Whitfield', position: 'Staff Engineer'},
};

/** The admin and the service's bot, both with personal access tokens (also what `main.ts` prints). */
export function seedAdmin(sim: MattermostSim): {adminUserId: string; adminToken: string} {
  const {core} = sim;
  const admin = createUser(core, {username: 'sysadmin', email: 'sysadmin@example.com', first_name: 'Sam', last_name: 'Admin', roles: 'system_user system_admin'});
  return {adminUserId: admin.id, adminToken: createAccessToken(core, admin.id, 'Offboarding sandbox admin').token};
}

export function seedWorkspace(sim: MattermostSim): SeededWorkspace {
  const {core} = sim;
  const {adminUserId, adminToken} = seedAdmin(sim);
  const bot = createBot(core, {username: 'offboarding-bot', display_name: 'Offboarding', description: 'Revokes access of departing people.', owner_id: adminUserId, roles: 'system_user system_admin'});
  const botToken = createAccessToken(core, bot.user_id, 'Offboarding service').token;

  const users = {} as Record<SeedUser, string>;
  for (const [username, p] of Object.entries(PEOPLE) as [SeedUser, (typeof PEOPLE)[SeedUser]][]) {
    users[username] = createUser(core, {username, email: `${username}@example.com`, first_name: p.first, last_name: p.last, position: p.position}).id;
  }
  const teamDefs: [SeedTeam, string, 'O' | 'I'][] = [['acme', 'Acme Corp', 'O'], ['engineering', 'Engineering', 'I'], ['sales', 'Sales', 'I']];
  const teams = {} as Record<SeedTeam, string>;
  for (const [name, display, type] of teamDefs) {
    teams[name] = createTeam(core, {name, display_name: display, type}).id;
    addTeamMember(core, teams[name], adminUserId, {admin: true});
    addTeamMember(core, teams[name], bot.user_id);
  }
  const membership: Record<SeedUser, [SeedTeam, boolean][]> = {
    alice: [['acme', true], ['engineering', false]],
    bob: [['acme', false], ['sales', false]],
    carol: [['acme', false], ['engineering', false]],
    erin: [['acme', false], ['sales', true]],
    dana: [['acme', false], ['engineering', true], ['sales', false]],
  };
  for (const [user, list] of Object.entries(membership) as [SeedUser, [SeedTeam, boolean][]][]) {
    for (const [team, admin] of list) addTeamMember(core, teams[team], users[user], {admin});
  }

  const channels = {} as Record<SeedChannel, string>;
  for (const team of Object.keys(teams) as SeedTeam[]) {
    channels[`${team}TownSquare`] = core.state.channelByName(teams[team], 'town-square')?.id ?? '';
    channels[`${team}OffTopic`] = core.state.channelByName(teams[team], 'off-topic')?.id ?? '';
  }
  const privateDefs: [SeedChannel, SeedTeam, string, string, SeedUser[]][] = [
    ['acmeLeadership', 'acme', 'leadership', 'Leadership', ['alice', 'dana']],
    ['engineeringIncidentResponse', 'engineering', 'incident-response', 'Incident Response', ['carol', 'dana']],
    ['engineeringOpsBots', 'engineering', 'ops-bots', 'Ops Bots', ['carol', 'dana']],
    ['salesDeals', 'sales', 'deals', 'Deals', ['bob', 'erin', 'dana']],
  ];
  for (const [key, team, name, display, members] of privateDefs) {
    const creator = users[members[0] ?? 'alice'];
    channels[key] = createChannel(core, {team_id: teams[team], name, display_name: display, type: 'P', creator_id: creator, purpose: `${display} (private)`}).id;
    for (const m of members) addChannelMember(core, channels[key], users[m]);
  }
  // Dana runs incident response: channel admin there.
  addChannelMember(core, channels.engineeringIncidentResponse, users.dana, {admin: true});
  channels.dmDanaAlice = createDirectChannel(core, users.dana, users.alice).id;
  channels.gmDanaBobCarol = createGroupChannel(core, [users.dana, users.bob, users.carol]).id;

  const sessionIds = [
    createSession(core, users.dana, {platform: 'Windows', os: 'Windows 11', browser: 'Chrome/126.0'}).id,
    createSession(core, users.dana, {platform: 'iPhone', os: 'iOS 17.5', browser: 'Mattermost Mobile/2.18.0', is_mobile: 'true'}, 'apple_rn-v2:4f1c9d0e7b').id,
    createSession(core, users.dana, {platform: 'Macintosh', os: 'Mac OS 14.5', browser: 'Desktop App/5.8.1'}).id,
  ];
  const accessTokenIds = [
    createAccessToken(core, users.dana, 'CI deploy script').id,
    createAccessToken(core, users.dana, 'Grafana alert bridge').id,
  ];
  const incomingHook = createIncomingWebhook(core, {channel_id: channels.engineeringOpsBots, team_id: teams.engineering, user_id: users.dana, display_name: 'Grafana alerts', description: 'Alertmanager notifications'});
  const outgoingHook = createOutgoingWebhook(core, {team_id: teams.engineering, creator_id: users.dana, display_name: 'Deploy notifier', trigger_words: ['deploy'], callback_urls: ['https://hooks.example.com/mattermost/deploy'], channel_id: channels.engineeringOffTopic});
  const command = createCommand(core, {team_id: teams.engineering, creator_id: users.dana, trigger: 'deploy', url: 'https://deploy.example.com/mattermost/command', method: 'P', display_name: 'Deploy', description: 'Deploy a service', auto_complete: true, auto_complete_hint: '[service] [env]', auto_complete_desc: 'Deploy a service to an environment'});
  const danaBot = createBot(core, {username: 'dana-deploybot', display_name: 'Deploy Bot', description: 'Posts deploy results', owner_id: users.dana});
  const oauthApp = createOAuthApp(core, {creator_id: users.dana, name: "Dana's Grafana SSO", description: 'Single sign-on for Grafana', homepage: 'https://grafana.example.com', callback_urls: ['https://grafana.example.com/login/generic_oauth']});
  authorizeOAuthApp(core, users.dana, oauthApp.id);

  const group = createGroup(core, {name: 'security-admins', display_name: 'Security Admins', description: 'May run offboarding'});
  addGroupMember(core, group.id, users.alice);

  const conversation: [SeedChannel, SeedUser, string][] = [
    ['acmeTownSquare', 'alice', 'Reminder: quarterly access review starts Monday.'],
    ['engineeringIncidentResponse', 'dana', 'Postmortem for the cache outage is in the wiki.'],
    ['engineeringIncidentResponse', 'carol', 'Thanks Dana, I added the timeline.'],
    ['salesDeals', 'bob', 'Globex renewal is signed.'],
    ['dmDanaAlice', 'dana', 'Can you take over the on-call rotation next week?'],
  ];
  for (const [channel, user, message] of conversation) createPost(core, {channel_id: channels[channel], user_id: users[user], message});

  return {
    adminToken, adminUserId, botToken, botUserId: bot.user_id,
    subject: {
      userId: users.dana, username: 'dana', sessionIds, accessTokenIds, botUserId: danaBot.user_id, commandId: command.id,
      incomingHookId: incomingHook.id, outgoingHookId: outgoingHook.id, oauthAppId: oauthApp.id,
    },
    teams, channels, users, groups: {securityAdmins: group.id},
  };
}

export interface LargeWorkspaceOptions {
  users: number;
  teams: number;
  channelsPerTeam: number;
}

/** A bulk workspace for benchmarks: every user in every team and in every channel, one admin token. */
export function seedLargeWorkspace(sim: MattermostSim, opts: LargeWorkspaceOptions): {adminToken: string; adminUserId: string; userIds: string[]; teamIds: string[]} {
  const {core} = sim;
  const {adminUserId, adminToken} = seedAdmin(sim);
  const userIds = Array.from({length: opts.users}, (_, i) => createUser(core, {username: `user${String(i).padStart(5, '0')}`, email: `user${i}@example.com`, first_name: 'User', last_name: String(i)}).id);
  const teamIds: string[] = [];
  for (let t = 0; t < opts.teams; t += 1) {
    const team = createTeam(core, {name: `team-${t}`, display_name: `Team ${t}`, type: 'O'});
    teamIds.push(team.id);
    const channelIds = Array.from({length: opts.channelsPerTeam}, (_, c) =>
      createChannel(core, {team_id: team.id, name: `channel-${t}-${c}`, display_name: `Channel ${t}.${c}`, type: c % 2 === 0 ? 'O' : 'P', creator_id: adminUserId}).id);
    for (const userId of userIds) {
      addTeamMember(core, team.id, userId);
      for (const channelId of channelIds) addChannelMember(core, channelId, userId);
    }
  }
  return {adminToken, adminUserId, userIds, teamIds};
}
