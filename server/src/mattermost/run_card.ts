// The run card: the root post of a run's progress channel (type custom_offboarding_run). Pure: `props` follow
// docs/run_card_contract.md for the webapp; `message` is an escaped Markdown checklist for clients without the plugin.
import {renderInline, truncateText} from '../audit/markdown.js';
import {countSteps, isTerminalRun} from '../engine/run_state.js';
import {PHASES} from '../engine/types.js';
import type {Json, JsonObject, Phase, Run, RunStatus, Step, StepState} from '../engine/types.js';
import type {RunAction} from './rpc_schema.js';

export const RUN_POST_TYPE = 'custom_offboarding_run';
/** Mattermost's PostMessageMaxRunesV2 (model/post.go). */
export const MAX_POST_MESSAGE_RUNES = 16_383;
/** The contract's cap; the rest of a bigger run is read with RPC run.get. */
export const MAX_CARD_STEPS = 500;
/** A row of more buttons is unusable and every button carries a token. */
export const MAX_CARD_BUTTONS = 10;
/** Mattermost refuses props over 800,000 runes (PostPropsMaxRunes); stay far below. */
const MAX_PROPS_CHARS = 300_000;

/** Mints what a button sends back: `integration.url` and the HMAC'd `context` (interactive.ts buildActionContext). */
export interface CardActions {
  readonly url: string;
  context(runId: string, action: RunAction, stepId?: string): Record<string, Json>;
}

export interface CardOptions {
  /** Provider id → title ("Mattermost"); unknown ids are shown as they are. */
  readonly providerTitles?: ReadonlyMap<string, string>;
}

export interface RenderedPost {
  readonly message: string;
  readonly props: JsonObject;
}

export const STATE_ICONS: Readonly<Record<StepState, string>> = {
  pending: ':white_circle:',
  running: ':hourglass_flowing_sand:',
  done: ':white_check_mark:',
  already_done: ':ballot_box_with_check:',
  failed: ':x:',
  skipped: ':fast_forward:',
  manual_pending: ':raised_hand:',
  manual_done: ':heavy_check_mark:',
};

const STATUS_LABELS: Readonly<Record<RunStatus, string>> = {
  scheduled: ':calendar: Scheduled',
  awaiting_approval: ':raised_hand: Awaiting approval by a second admin',
  running: ':arrows_counterclockwise: Running',
  completed: ':white_check_mark: Completed',
  completed_with_errors: ':warning: Completed with errors',
  cancelled: ':no_entry_sign: Cancelled',
};

export const PHASE_TITLES: Readonly<Record<Phase, string>> = {
  contain: 'Contain', revoke: 'Revoke', cleanup: 'Clean up', verify: 'Verify', report: 'Report',
};

const FINISHED: readonly StepState[] = ['done', 'already_done', 'failed', 'skipped', 'manual_done'];

/** Steps in checklist order: grouped by provider (first appearance in the plan), then phase, then plan order. */
export function orderCardSteps(steps: readonly Step[]): Step[] {
  const bySeq = [...steps].sort((a, b) => a.seq - b.seq);
  const providers = [...new Set(bySeq.map((s) => s.provider))];
  const phaseRank = (p: Phase): number => {
    const i = PHASES.indexOf(p);
    return i < 0 ? PHASES.length : i;
  };
  return bySeq.sort((a, b) => providers.indexOf(a.provider) - providers.indexOf(b.provider)
    || phaseRank(a.phase) - phaseRank(b.phase) || a.seq - b.seq);
}

export function providerTitle(options: CardOptions, id: string): string {
  return options.providerTitles?.get(id) ?? id;
}

/** One line, bounded, for the contract's `error`: newlines folded so no client renders a second paragraph. */
function oneLine(text: string | null, max: number): string | null {
  if (text === null || text === '') return null;
  return truncateText(text.replace(/\s+/g, ' ').trim(), max);
}

/** The newest change of the run or any step: the webapp applies an edit only when this grows. */
export function cardUpdatedAt(run: Run, steps: readonly Step[]): number {
  return steps.reduce((max, s) => Math.max(max, s.updatedAt), run.updatedAt);
}

function buildCardProps(run: Run, ordered: readonly Step[], limit: number): JsonObject {
  const shown = [...ordered].sort((a, b) => a.seq - b.seq).slice(0, limit);
  return {
    v: 1,
    run_id: run.id,
    status: run.status,
    subject: {user_id: run.subject.userId, username: run.subject.username, display_name: run.subject.displayName},
    initiator_id: run.initiatorId,
    approval_required: run.approvalRequired,
    approved_by: run.approvedBy,
    scheduled_at: run.scheduledAt,
    counts: {...countSteps(ordered)},
    total: ordered.length,
    steps: shown.map((s) => ({
      id: s.id, provider: s.provider, phase: s.phase, title: truncateText(s.title, 300), kind: s.kind, state: s.state,
      verified: s.verified, error: oneLine(s.error, 300), assignee: s.assignee ? truncateText(s.assignee, 100) : null,
      note: oneLine(s.note, 300),
    })),
    steps_truncated: shown.length < ordered.length,
    updated_at: cardUpdatedAt(run, ordered),
  };
}

/** The contract object, shrunk (steps_truncated) if titles and errors would make the props too large. */
export function buildRunSummary(run: Run, steps: readonly Step[]): JsonObject {
  let limit = MAX_CARD_STEPS;
  for (;;) {
    const summary = buildCardProps(run, steps, limit);
    if (limit === 0 || JSON.stringify(summary).length <= MAX_PROPS_CHARS) return summary;
    limit = Math.floor(limit / 2);
  }
}

interface ButtonSpec {
  readonly id: string;
  readonly name: string;
  readonly style: 'primary' | 'danger' | 'default';
  readonly action: RunAction;
  readonly step?: {readonly id: string; readonly position: number; readonly title: string};
}

/** Which buttons the card shows now: Approve while awaiting approval, Cancel until terminal, Retry per failed step. */
export function buildCardButtons(run: Run, ordered: readonly Step[]): ButtonSpec[] {
  const buttons: ButtonSpec[] = [];
  if (run.status === 'awaiting_approval') buttons.push({id: 'approve', name: 'Approve', style: 'primary', action: 'approve'});
  if (!isTerminalRun(run.status)) buttons.push({id: 'cancel', name: 'Cancel run', style: 'danger', action: 'cancel'});
  if (run.status === 'cancelled') return buttons;
  ordered.forEach((step, index) => {
    if (step.state !== 'failed' || buttons.length >= MAX_CARD_BUTTONS) return;
    const position = index + 1;
    // Ids must be alphanumeric (Mattermost routes clicks by id); names stay free of user text (not escaped there).
    buttons.push({id: `retry${position}`, name: `Retry step ${position}`, style: 'default', action: 'retry_step',
      step: {id: step.id, position, title: step.title}});
  });
  return buttons;
}

function buildAttachments(run: Run, specs: readonly ButtonSpec[], actions: CardActions): Json[] {
  const retries = specs.filter((b) => b.step);
  const text = retries.map((b) => `Retry step ${b.step?.position}: ${renderInline(b.step?.title, 120)}`).join('\n');
  return [{
    fallback: 'Offboarding run actions',
    ...(text ? {text} : {}),
    actions: specs.map((b) => ({
      id: b.id, name: b.name, type: 'button', style: b.style,
      integration: {url: actions.url, context: actions.context(run.id, b.action, b.step?.id)},
    })),
  }];
}

function statusLine(run: Run, steps: readonly Step[]): string {
  const counts = countSteps(steps);
  const finished = FINISHED.reduce((n, s) => n + counts[s], 0);
  const parts = [`**Status:** ${STATUS_LABELS[run.status]}`, `${finished} of ${steps.length} steps finished`];
  if (counts.failed > 0) parts.push(`${STATE_ICONS.failed} ${counts.failed} failed`);
  if (counts.manual_pending > 0) parts.push(`${STATE_ICONS.manual_pending} ${counts.manual_pending} waiting for an admin`);
  if (counts.running > 0) parts.push(`${STATE_ICONS.running} ${counts.running} running`);
  return parts.join(' · ');
}

function stepLine(step: Step, position: number): string {
  const parts = [`${position}. ${STATE_ICONS[step.state]} ${renderInline(step.title, 200)}`];
  if (step.kind === 'manual') {
    parts.push(step.assignee ? ` _(manual, for ${renderInline(step.assignee, 60)})_` : ' _(manual)_');
  }
  if (step.state === 'failed' && step.error) parts.push(` — **failed:** ${renderInline(step.error, 200)}`);
  else if (step.state === 'skipped' && step.error) parts.push(` — _skipped: ${renderInline(step.error, 120)}_`);
  if (step.verified === false) parts.push(' :warning: not verified');
  return parts.join('');
}

function headerLines(run: Run, steps: readonly Step[]): string[] {
  const who = `${renderInline(run.subject.displayName, 120)} (${renderInline(`@${run.subject.username}`, 70)})`;
  const lines = [`#### Offboarding ${who}`, statusLine(run, steps), `Run \`${escapeRunId(run.id)}\``];
  if (run.status === 'scheduled' && run.scheduledAt !== null) {
    lines.push(`Starts at ${new Date(run.scheduledAt).toISOString()}.`);
  }
  if (run.status === 'awaiting_approval') {
    lines.push('_A second admin must approve this run before anything changes._');
  }
  return lines;
}

/** Run ids are generated (26 lowercase alphanumerics); anything else is escaped rather than trusted in a code span. */
function escapeRunId(id: string): string {
  return /^[a-z0-9]{1,64}$/.test(id) ? id : renderInline(id, 64).replace(/`/g, '');
}

function checklistLines(ordered: readonly Step[], options: CardOptions): string[] {
  const lines: string[] = [];
  let provider: string | undefined;
  let phase: Phase | undefined;
  ordered.forEach((step, index) => {
    if (step.provider !== provider) {
      provider = step.provider;
      phase = undefined;
      lines.push('', `##### ${renderInline(providerTitle(options, step.provider), 80)}`);
    }
    if (step.phase !== phase) {
      phase = step.phase;
      // Blank lines on both sides: otherwise Markdown continues the previous list item or paragraph.
      lines.push('', `**${PHASE_TITLES[step.phase] ?? renderInline(step.phase, 40)}**`, '');
    }
    lines.push(stepLine(step, index + 1));
  });
  return lines;
}

/**
 * Joins header, checklist and footer; when the whole would exceed `max` runes, checklist lines are dropped from the
 * end and replaced by a line saying how many are missing, so the result always fits.
 */
export function fitLines(head: readonly string[], body: readonly string[], tail: readonly string[], max: number,
  more: (hidden: number) => string): string {
  const size = (line: string): number => Array.from(line).length + 1;
  const fixed = [...head, ...tail].reduce((n, l) => n + size(l), 0);
  let kept = body.length;
  let used = fixed + body.reduce((n, l) => n + size(l), 0);
  // Dropped lines are replaced by one "N more" line, which must fit as well.
  const needed = (): number => used + (kept < body.length ? size(more(body.length - kept)) : 0);
  while (kept > 0 && needed() > max) {
    kept -= 1;
    used -= size(body[kept] ?? '');
  }
  const lines = [...head, ...body.slice(0, kept), ...(kept < body.length ? [more(body.length - kept)] : []), ...tail];
  return truncateText(lines.join('\n'), max);
}

/** The card for `run` and its steps; `actions` null renders no buttons (e.g. no public URL). */
export function renderRunCard(run: Run, steps: readonly Step[], actions: CardActions | null,
  options: CardOptions = {}): RenderedPost {
  const ordered = orderCardSteps(steps);
  const body = checklistLines(ordered, options);
  const message = fitLines(headerLines(run, ordered), body, [], MAX_POST_MESSAGE_RUNES,
    (hidden) => `\n_… and ${hidden} more lines: open the run in the Offboarding plugin or run \`/offboard status ${
      escapeRunId(run.id)}\`._`);
  const specs = actions ? buildCardButtons(run, ordered) : [];
  const props: JsonObject = {offboarding_run: buildRunSummary(run, ordered)};
  if (actions && specs.length > 0) props.attachments = buildAttachments(run, specs, actions);
  return {message, props};
}

/** What the card shows, without the button tokens (they change with every render): equal means no edit is needed. */
export function cardFingerprint(card: RenderedPost): string {
  const attachments = card.props.attachments as {actions?: {id: string; name: string}[]}[] | undefined;
  const buttons = (attachments ?? []).flatMap((a) => (a.actions ?? []).map((b) => `${b.id}:${b.name}`));
  return JSON.stringify([card.message, card.props.offboarding_run, buttons]);
}
