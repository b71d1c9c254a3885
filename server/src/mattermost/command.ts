// The `/offboard` grammar: help | list | status <run> | rpc <method> <payload> | [@]user (dialog for clients
// without the plugin). Runs only after verification; every reply is ephemeral.
import {escapeMarkdown} from '../audit/markdown.js';
import {errorMessage} from '../engine/errors.js';
import {countSteps} from '../engine/run_state.js';
import type {Json, Run} from '../engine/types.js';
import type {ServiceDeps} from '../service/deps.js';
import {isRequestError} from '../service/errors.js';
import {assertOffboardable, resolveSubject} from '../service/inventory.js';
import {mintActionToken} from './hmac.js';
import {handleRpc, type RpcCaller} from './rpc.js';

export interface CommandResponse {
  readonly response_type: 'ephemeral' | 'in_channel';
  readonly text: string;
  readonly props?: Record<string, Json>;
}

export interface CommandCaller extends RpcCaller {
  readonly text: string;
  readonly triggerId: string;
  readonly channelId: string;
  readonly teamId: string;
}

export const DIALOG_CALLBACK = 'offboard_confirm';
export const DIALOG_PURPOSE = 'dialog.confirm';
const DIALOG_TTL_MS = 15 * 60_000;

export const HELP_TEXT = [
  '#### /offboard — remove a departing person\'s access everywhere',
  '- `/offboard @username` — open the offboarding checklist for a person',
  '- `/offboard list` — recent offboarding runs',
  '- `/offboard status <run id>` — progress of one run',
  '- `/offboard help` — this help',
  '',
  'Each run gets a private channel with a live checklist, and a report an auditor can verify.',
].join('\n');

const ephemeral = (text: string, props?: Record<string, Json>): CommandResponse =>
  props ? {response_type: 'ephemeral', text, props} : {response_type: 'ephemeral', text};

export async function handleCommand(deps: ServiceDeps, caller: CommandCaller): Promise<CommandResponse> {
  const text = caller.text.trim();
  const [verb = '', ...args] = text.split(/\s+/);
  if (verb === 'rpc') {
    const reply = await handleRpc(deps, caller, text.slice(3));
    return ephemeral('', {...reply});
  }
  try {
    if (verb === '' || verb === 'help') return ephemeral(HELP_TEXT);
    if (verb === 'list') return ephemeral(await renderRunList(deps));
    if (verb === 'status') return ephemeral(await renderStatus(deps, args[0] ?? ''));
    if (args.length === 0) return await openConfirmDialog(deps, caller, verb);
    return ephemeral(`I did not understand "${escapeMarkdown(text.slice(0, 100))}".\n\n${HELP_TEXT}`);
  } catch (e) {
    if (isRequestError(e)) return ephemeral(`:warning: ${e.message}`);
    deps.log.error({err: errorMessage(e)}, 'command failed');
    return ephemeral(`:warning: The offboarding service failed: ${escapeMarkdown(errorMessage(e))}`);
  }
}

async function renderRunList(deps: ServiceDeps): Promise<string> {
  const runs = await deps.store.listRuns({limit: 10});
  if (runs.length === 0) return 'No offboarding runs yet.';
  const lines = runs.map((r) => `| \`${r.id}\` | @${escapeMarkdown(r.subject.username)} | ${r.status} | `
    + `${new Date(r.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC |`);
  return ['| Run | Person | Status | Created |', '|---|---|---|---|', ...lines].join('\n');
}

async function renderStatus(deps: ServiceDeps, runId: string): Promise<string> {
  if (!/^[a-z0-9]{26}$/.test(runId)) return 'Usage: `/offboard status <run id>` (see `/offboard list`).';
  const run = await deps.store.getRun(runId);
  if (!run) return `Run \`${runId}\` does not exist.`;
  const steps = await deps.store.listSteps(runId);
  return statusLine(run, countSteps(steps), steps.length);
}

function statusLine(run: Run, counts: Record<string, number>, total: number): string {
  const finished = (counts.done ?? 0) + (counts.already_done ?? 0) + (counts.manual_done ?? 0) + (counts.skipped ?? 0);
  return `Run \`${run.id}\` for @${escapeMarkdown(run.subject.username)}: **${run.status}** — ${finished}/${total} steps `
    + `finished, ${counts.failed ?? 0} failed, ${counts.manual_pending ?? 0} manual step(s) waiting.`;
}

/** No-plugin path: an interactive dialog (opened with the signed trigger_id) confirming the default plan. */
async function openConfirmDialog(deps: ServiceDeps, caller: CommandCaller, query: string): Promise<CommandResponse> {
  const subject = await resolveSubject(deps, query);
  assertOffboardable(deps, subject, caller.userId);
  const state = mintActionToken(deps.config.service.action_secret, {
    userId: caller.userId, runId: null, purpose: `${DIALOG_PURPOSE}:${subject.userId}`,
    exp: deps.clock.now() + DIALOG_TTL_MS,
  });
  await deps.mm.openDialog({
    trigger_id: caller.triggerId,
    url: `${deps.config.service.public_url}/mattermost/dialog`,
    dialog: {
      callback_id: DIALOG_CALLBACK,
      title: 'Offboard a person',
      introduction_text: `Offboard **${escapeMarkdown(subject.displayName)}** (@${escapeMarkdown(subject.username)}) `
        + 'with the default checklist: revoke sessions and tokens, remove from teams and channels, clean up '
        + 'integrations and deactivate the account. Progress appears in a private channel.',
      submit_label: 'Offboard',
      notify_on_cancel: false,
      state,
      elements: [
        {display_name: 'Type the username to confirm', name: 'confirm_username', type: 'text',
          placeholder: subject.username, help_text: 'This cannot be undone automatically.'},
        {display_name: 'When', name: 'mode', type: 'radio', default: deps.config.access.require_approval ? 'approval' : 'now',
          options: [{text: 'Run now', value: 'now'}, {text: 'Ask a second admin to approve', value: 'approval'}]},
      ],
    },
  });
  return ephemeral(`Opening the offboarding dialog for @${escapeMarkdown(subject.username)}. On web and desktop the `
    + 'Offboarding plugin shows the full checklist instead.');
}
