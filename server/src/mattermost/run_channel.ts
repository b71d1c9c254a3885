// The private progress channel of a run: `offboard-<username>-<yyyymmdd>` (first free `-2`, `-3`… suffix) in the
// run team, with the bot, the initiator and the reviewers. Idempotent: a channel whose purpose names the run is reused.
import {PermanentError} from '../engine/errors.js';
import type {Logger, Run} from '../engine/types.js';
import {isMattermostApiError, isNotFound, type MattermostClient} from './client.js';
import type {MattermostChannel} from './client_types.js';

/** Mattermost's ChannelNameMaxLength and ChannelDisplayNameMaxRunes (model/channel.go). */
export const MAX_CHANNEL_NAME = 64;
export const MAX_CHANNEL_DISPLAY_NAME = 64;
const MAX_SUFFIX = 50;
const CHANNEL_EXISTS = 'store.sql_channel.save_channel.exists.app_error';
// Bidirectional overrides and control characters would make a display name read differently from what it is.
const INVISIBLE = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

export type RunChannelClient = Pick<MattermostClient,
  'getTeamByName' | 'getTeamMembersForUser' | 'addTeamMember' | 'getChannelByName' | 'createChannel'
  | 'addChannelMember' | 'getUserByUsername'>;

export interface RunChannelDeps {
  readonly mm: RunChannelClient;
  readonly log: Logger;
  readonly botUserId: string;
  /** `mattermost.run_team`: the team the channel is created in. */
  readonly teamName: string;
  /** `mattermost.reviewers`: usernames added to every run channel. */
  readonly reviewers: readonly string[];
}

export interface RunChannel {
  readonly channel: MattermostChannel;
  /** False when the channel of an interrupted attempt was found again. */
  readonly created: boolean;
  /** User ids added besides the bot. */
  readonly members: readonly string[];
  /** Why people were left out ("@erin: not found"), for the log and the audit trail. */
  readonly skipped: readonly string[];
}

function yyyymmdd(at: number): string {
  return new Date(at).toISOString().slice(0, 10).replace(/-/g, '');
}

/** Channel names allow lowercase letters, digits, `-` and `_`; the username part is cut so the whole fits. */
export function buildChannelName(username: string, at: number, suffix = 1): string {
  const user = username.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '') || 'user';
  const tail = `-${yyyymmdd(at)}${suffix > 1 ? `-${suffix}` : ''}`;
  const room = MAX_CHANNEL_NAME - 'offboard-'.length - tail.length;
  return `offboard-${user.slice(0, room).replace(/[-_]+$/, '') || 'user'}${tail}`;
}

/** "Offboarding: Dana Whitfield (2025-01-01)", cut to Mattermost's 64 runes (plain text: not Markdown). */
export function buildChannelDisplayName(displayName: string, at: number): string {
  const date = ` (${new Date(at).toISOString().slice(0, 10)})`;
  const prefix = 'Offboarding: ';
  const name = Array.from(displayName.replace(INVISIBLE, ' ').replace(/\s+/g, ' ').trim() || 'unknown');
  const room = MAX_CHANNEL_DISPLAY_NAME - prefix.length - date.length;
  const cut = name.length > room ? `${name.slice(0, room - 1).join('').trimEnd()}…` : name.join('');
  return `${prefix}${cut}${date}`;
}

/** The purpose names the run id: it is how a retry finds the channel an interrupted attempt already created. */
export function buildChannelPurpose(runId: string): string {
  return `Progress of offboarding run ${runId}. Private to the offboarding bot, the initiator and the reviewers.`;
}

/** Finds the run's channel (any suffix) or creates it under the first free name, then adds the people. */
export async function ensureRunChannel(deps: RunChannelDeps, run: Run): Promise<RunChannel> {
  const team = await deps.mm.getTeamByName(deps.teamName).catch((e: unknown) => {
    if (isNotFound(e)) throw new PermanentError(`The run team "${deps.teamName}" does not exist in Mattermost.`);
    throw e;
  });
  await ensureBotInTeam(deps, team.id);
  const {channel, created} = await findOrCreateChannel(deps, team.id, run);
  const {members, skipped} = await addMembers(deps, channel.id, run);
  return {channel, created, members, skipped};
}

async function ensureBotInTeam(deps: RunChannelDeps, teamId: string): Promise<void> {
  const memberships = await deps.mm.getTeamMembersForUser(deps.botUserId);
  if (memberships.some((m) => m.team_id === teamId && (m.delete_at ?? 0) === 0)) return;
  await deps.mm.addTeamMember(teamId, deps.botUserId);
}

async function findOrCreateChannel(deps: RunChannelDeps, teamId: string, run: Run):
  Promise<{channel: MattermostChannel; created: boolean}> {
  const purpose = buildChannelPurpose(run.id);
  for (let suffix = 1; suffix <= MAX_SUFFIX; suffix += 1) {
    const name = buildChannelName(run.subject.username, run.createdAt, suffix);
    const existing = await lookupChannel(deps, teamId, name);
    if (existing === 'taken') continue;
    if (existing) {
      if (existing.delete_at === 0 && existing.purpose === purpose) return {channel: existing, created: false};
      continue;
    }
    try {
      const channel = await deps.mm.createChannel({
        team_id: teamId, name, type: 'P', purpose,
        display_name: buildChannelDisplayName(run.subject.displayName, run.createdAt),
      });
      return {channel, created: true};
    } catch (e) {
      // Someone took the name between the lookup and the create: try the next suffix.
      if (isMattermostApiError(e) && e.serverErrorId === CHANNEL_EXISTS) continue;
      throw e;
    }
  }
  throw new PermanentError(`No free channel name for this run after ${MAX_SUFFIX} attempts.`);
}

/** The channel under `name` (deleted ones too: their names stay taken), 'taken' if the bot may not see it. */
async function lookupChannel(deps: RunChannelDeps, teamId: string, name: string):
  Promise<MattermostChannel | 'taken' | undefined> {
  try {
    return await deps.mm.getChannelByName(teamId, name, true);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    if (isMattermostApiError(e) && e.status === 403) return 'taken';
    throw e;
  }
}

async function addMembers(deps: RunChannelDeps, channelId: string, run: Run):
  Promise<{members: string[]; skipped: string[]}> {
  const skipped: string[] = [];
  const wanted = new Map<string, string>();
  if (run.initiatorId !== deps.botUserId) wanted.set(run.initiatorId, 'the initiator');
  for (const username of deps.reviewers) {
    const who = `@${username}`;
    try {
      const user = await deps.mm.getUserByUsername(username.toLowerCase());
      if (user.delete_at !== 0) skipped.push(`${who}: deactivated`);
      else if (user.id === run.subject.userId) skipped.push(`${who}: the person being offboarded`);
      else if (user.id !== deps.botUserId && !wanted.has(user.id)) wanted.set(user.id, who);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      skipped.push(`${who}: no such user`);
    }
  }
  wanted.delete(run.subject.userId);
  const members: string[] = [];
  for (const [userId, who] of wanted) {
    try {
      await deps.mm.addChannelMember(channelId, userId);
      members.push(userId);
    } catch (e) {
      // Typically not a member of the run team; the run goes on without them.
      if (!isMattermostApiError(e) || e.status >= 500) throw e;
      skipped.push(`${who}: ${e.message}`);
    }
  }
  if (skipped.length > 0) deps.log.warn({skipped, channelId}, 'some people were not added to the run channel');
  return {members, skipped};
}
