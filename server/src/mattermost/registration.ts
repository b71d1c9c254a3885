// Registers `/offboard` in the configured teams at start, idempotently: a restart finds the command the bot
// created before, keeps its token (so nothing else must change), updates drifted fields and never duplicates it.
import {ConfigError} from '../engine/errors.js';
import type {Logger} from '../engine/types.js';
import {isNotFound, type MattermostClient} from './client.js';
import type {MattermostCommand} from './client_types.js';

export const TRIGGER = 'offboard';

export interface RegisteredCommand {
  readonly teamId: string;
  readonly teamName: string;
  readonly commandId: string;
  readonly token: string;
  readonly created: boolean;
}

export interface RegistrationInput {
  readonly mm: MattermostClient;
  readonly log: Logger;
  readonly botUserId: string;
  readonly teamNames: readonly string[];
  /** The command URL as the Mattermost server reaches the service. */
  readonly url: string;
}

function desired(teamId: string, url: string) {
  return {
    team_id: teamId,
    trigger: TRIGGER,
    method: 'P',
    url,
    auto_complete: true,
    auto_complete_hint: '[@user]',
    auto_complete_desc: 'Offboard a person: revoke their access everywhere, with live progress and a report',
    display_name: 'Offboarding',
    description: 'Offboarding for Mattermost',
    username: 'offboarding',
  } as const;
}

export async function registerCommands(input: RegistrationInput): Promise<RegisteredCommand[]> {
  const out: RegisteredCommand[] = [];
  for (const teamName of input.teamNames) {
    const team = await input.mm.getTeamByName(teamName).catch((e: unknown) => {
      if (isNotFound(e)) throw new ConfigError(`mattermost.command_teams: team "${teamName}" does not exist.`);
      throw e;
    });
    out.push(await ensureCommand(input, team.id, teamName));
  }
  return out;
}

async function ensureCommand(input: RegistrationInput, teamId: string, teamName: string): Promise<RegisteredCommand> {
  const {mm, log} = input;
  const want = desired(teamId, input.url);
  const existing = (await mm.listCommands(teamId, true)).filter((c) => c.trigger === TRIGGER && c.delete_at === 0);
  const foreign = existing.filter((c) => c.creator_id !== input.botUserId);
  if (foreign.length > 0) {
    throw new ConfigError(`Team "${teamName}" already has a /${TRIGGER} command (id ${foreign[0]!.id}) created by `
      + 'another account. Delete it in Integrations > Slash Commands, or register this service in another team.');
  }
  const ours = [...existing].sort((a, b) => a.create_at - b.create_at);
  const keep = ours[0];
  // Duplicates can only come from an older, non-idempotent deployment: keep the oldest one.
  for (const extra of ours.slice(1)) {
    log.warn({teamName, commandId: extra.id}, 'deleting duplicate /offboard command');
    await mm.deleteCommand(extra.id);
  }
  if (!keep) {
    const created = await mm.createCommand(want);
    log.info({teamName, commandId: created.id}, 'registered /offboard');
    return {teamId, teamName, commandId: created.id, token: created.token, created: true};
  }
  if (drifted(keep, want)) {
    await mm.updateCommand({...keep, ...want});
    log.info({teamName, commandId: keep.id}, 'updated /offboard');
  }
  return {teamId, teamName, commandId: keep.id, token: keep.token, created: false};
}

function drifted(have: MattermostCommand, want: ReturnType<typeof desired>): boolean {
  return (Object.keys(want) as (keyof typeof want)[]).some((k) => have[k] !== want[k]);
}
