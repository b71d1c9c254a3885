// The run channel: its name, display name and purpose, the first free suffix, finding it again after an interrupted
// attempt, and who is added (initiator and reviewers, never the subject; unknown or deactivated reviewers skipped).
import {beforeEach, describe, expect, it} from '@jest/globals';
import {PermanentError} from '../engine/errors.js';
import {RecordingLogger} from '../engine/testing/test_context.js';
import type {Run} from '../engine/types.js';
import {
  buildChannelDisplayName, buildChannelName, buildChannelPurpose, ensureRunChannel, MAX_CHANNEL_DISPLAY_NAME,
  MAX_CHANNEL_NAME, type RunChannelDeps,
} from './run_channel.js';
import {INJECTION, makeRun} from './testing/card_fixtures.js';
import {FakeMattermost} from './testing/fake_mattermost.js';

const DAY = Date.UTC(2025, 2, 7, 23, 59);

describe('names', () => {
  it('offboard-<username>-<yyyymmdd>, sanitised, with a suffix when asked', () => {
    expect(buildChannelName('dana', DAY)).toBe('offboard-dana-20250307');
    expect(buildChannelName('Dana.Whitfield', DAY)).toBe('offboard-dana-whitfield-20250307');
    expect(buildChannelName('__x..y__', DAY, 3)).toBe('offboard-x-y-20250307-3');
    expect(buildChannelName('...', DAY)).toBe('offboard-user-20250307');
    for (const suffix of [1, 2, 49]) {
      const name = buildChannelName(`a${'b'.repeat(80)}`, DAY, suffix);
      expect(name.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME);
      expect(name).toMatch(/^[a-z0-9][a-z0-9_-]+$/);
    }
    expect(buildChannelName(`a${'b'.repeat(80)}`, DAY, 2)).toMatch(/-20250307-2$/);
  });

  it('display name "Offboarding: <name> (<date>)" cut to 64, without control or bidi characters', () => {
    expect(buildChannelDisplayName('Dana Whitfield', DAY)).toBe('Offboarding: Dana Whitfield (2025-03-07)');
    const long = buildChannelDisplayName(`${'Ünïcödé '.repeat(20)}\u202e\n`, DAY);
    expect(Array.from(long).length).toBeLessThanOrEqual(MAX_CHANNEL_DISPLAY_NAME);
    expect(long).toMatch(/… \(2025-03-07\)$/);
    expect(long).not.toMatch(/[\u202e\n]/);
    expect(buildChannelDisplayName(INJECTION, DAY).length).toBeLessThanOrEqual(MAX_CHANNEL_DISPLAY_NAME);
  });
});

describe('ensureRunChannel', () => {
  const BOT = 'b'.repeat(26);
  let mm: FakeMattermost;
  let log: RecordingLogger;
  let run: Run;
  let teamId: string;
  let deps: RunChannelDeps;
  let ids: Record<string, string>;

  beforeEach(() => {
    mm = new FakeMattermost(BOT);
    log = new RecordingLogger();
    teamId = mm.addTeam('acme').id;
    const add = (username: string, extra = {}) => {
      const u = mm.addUser(username, extra);
      mm.teamMembers.add(`${teamId}:${u.id}`);
      return u.id;
    };
    ids = {admin: add('sysadmin'), alice: add('alice'), dana: add('dana'), gone: add('gone', {delete_at: 5}),
      outsider: mm.addUser('outsider').id};
    run = makeRun({initiatorId: ids.admin!, createdAt: DAY,
      subject: {...makeRun().subject, userId: ids.dana!, username: 'dana'}});
    deps = {mm, log, botUserId: BOT, teamName: 'acme', reviewers: ['alice', 'dana', 'ghost', 'gone', 'outsider']};
  });

  it('creates a private channel, joins the bot to the team, adds the initiator and the reviewers who can be added',
    async () => {
      const made = await ensureRunChannel(deps, run);
      expect(made.created).toBe(true);
      expect(made.channel).toMatchObject({team_id: teamId, type: 'P', name: 'offboard-dana-20250307',
        display_name: 'Offboarding: Dana Whitfield (2025-03-07)', purpose: buildChannelPurpose(run.id)});
      expect(mm.teamMembers.has(`${teamId}:${BOT}`)).toBe(true);
      expect(made.members).toEqual([ids.admin, ids.alice]);
      const members = [...mm.channelMembers].filter((k) => k.startsWith(made.channel.id)).map((k) => k.split(':')[1]);
      expect(members.sort()).toEqual([BOT, ids.admin, ids.alice].sort());
      expect(made.skipped).toEqual(['@dana: the person being offboarded', '@ghost: no such user', '@gone: deactivated',
        expect.stringMatching(/^@outsider: .*removed from the team/)]);
      expect(log.find('warn', 'not added to the run channel')).toHaveLength(1);
    });

  it('takes the next suffix when the name belongs to another channel or to one the bot cannot see', async () => {
    await mm.createChannel({team_id: teamId, name: 'offboard-dana-20250307', display_name: 'x', type: 'P',
      purpose: 'someone else'});
    const hidden = await mm.createChannel({team_id: teamId, name: 'offboard-dana-20250307-2', display_name: 'x',
      type: 'P'});
    mm.foreign.add(hidden.id);
    expect((await ensureRunChannel(deps, run)).channel.name).toBe('offboard-dana-20250307-3');
  });

  it('finds the channel of an interrupted attempt again by its purpose instead of creating a second one', async () => {
    const first = await ensureRunChannel(deps, run);
    mm.calls.length = 0;
    const again = await ensureRunChannel(deps, run);
    expect(again.created).toBe(false);
    expect(again.channel.id).toBe(first.channel.id);
    expect(mm.calls).not.toContain('createChannel');
    expect(mm.calls).not.toContain('addTeamMember');
  });

  it('moves on when another process takes the name between lookup and create', async () => {
    const create = mm.createChannel.bind(mm);
    let raced = false;
    mm.createChannel = async (input) => {
      if (!raced) {
        raced = true;
        await create({...input, purpose: 'a racing run'});
      }
      return create(input);
    };
    expect((await ensureRunChannel(deps, run)).channel.name).toBe('offboard-dana-20250307-2');
  });

  it('refuses a run team that does not exist, creating nothing', async () => {
    await expect(ensureRunChannel({...deps, teamName: 'nope'}, run)).rejects.toThrow(PermanentError);
    expect(mm.channels.size).toBe(0);
  });

  it('skips the initiator when the bot started the run (CLI)', async () => {
    const made = await ensureRunChannel({...deps, reviewers: []}, {...run, initiatorId: BOT});
    expect(made.members).toEqual([]);
  });
});
