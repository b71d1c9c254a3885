// Thread replies under a run card (pure): a failed step, a provider's tally when it finishes, and the final summary
// that carries the report files. Every text from users or vendors is escaped and every message fits Mattermost's limit.
import {renderInline} from '../audit/markdown.js';
import {countSteps} from '../engine/run_state.js';
import type {Run, RunStatus, Step} from '../engine/types.js';
import {
  type CardOptions, fitLines, MAX_POST_MESSAGE_RUNES, PHASE_TITLES, providerTitle, STATE_ICONS,
} from './run_card.js';

export function renderFailedStepReply(step: Step, position: number, options: CardOptions = {}): string {
  const where = `${renderInline(providerTitle(options, step.provider), 80)} · ${PHASE_TITLES[step.phase] ?? ''}`;
  // Blank lines around the quote: a line right after it would continue the quote (Markdown's lazy continuation).
  const lines = [
    `${STATE_ICONS.failed} **Step ${position} failed** (${where}): ${renderInline(step.title, 300)}`,
    '',
    `> ${renderInline(step.error ?? 'no error was recorded', 1000) || 'no error was recorded'}`,
    '',
    `Retry it with **Retry step ${position}** on the run card or in the Offboarding plugin, or skip it with a note.`,
  ];
  return fitLines(lines, [], [], MAX_POST_MESSAGE_RUNES, () => '');
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** "Mattermost: 23 steps done, 2 already done, 1 failed": the tally of one provider whose steps are all finished. */
export function renderProviderSummary(providerId: string, steps: readonly Step[], options: CardOptions = {}): string {
  const own = steps.filter((s) => s.provider === providerId);
  const c = countSteps(own);
  const parts = [
    c.done > 0 || own.length === 0 ? plural(c.done, 'step done', 'steps done') : '',
    c.already_done > 0 ? `${c.already_done} already done` : '',
    c.manual_done > 0 ? `${c.manual_done} done by hand` : '',
    c.skipped > 0 ? `${c.skipped} skipped` : '',
    c.failed > 0 ? `${c.failed} failed` : '',
  ].filter(Boolean);
  const icon = c.failed > 0 ? STATE_ICONS.failed : STATE_ICONS.done;
  return `${icon} **${renderInline(providerTitle(options, providerId), 80)}:** ${parts.join(', ')}`;
}

export interface AuditSummary {
  readonly events: number;
  /** Hash of the last event when the report was built; null without events. */
  readonly head: string | null;
  /** Outcome of verifying the hash chain, when it was verified. */
  readonly verified?: boolean;
}

const FINAL_TITLES: Readonly<Record<RunStatus, string>> = {
  scheduled: 'scheduled', awaiting_approval: 'awaiting approval', running: 'running',
  completed: ':white_check_mark: completed', completed_with_errors: ':warning: completed with errors',
  cancelled: ':no_entry_sign: cancelled',
};

function renderHead(head: string | null): string {
  if (head === null || head === '') return 'no head hash';
  return /^[0-9a-f]{64}$/.test(head) ? `head hash \`${head}\`` : `head hash ${renderInline(head, 80)}`;
}

export function reportFileNames(runId: string): {json: string; markdown: string} {
  const safe = runId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
  return {json: `report-${safe}.json`, markdown: `report-${safe}.md`};
}

/** The last reply of a run: outcome, tally, failures, the audit head and the attached report files. */
export function renderFinalSummary(run: Run, steps: readonly Step[], audit: AuditSummary,
  options: CardOptions = {}): string {
  const c = countSteps(steps);
  const who = `${renderInline(run.subject.displayName, 120)} (${renderInline(`@${run.subject.username}`, 70)})`;
  const tally = [
    `${steps.length} steps`, `${c.done} done`, `${c.already_done} already done`, `${c.manual_done} done by hand`,
    `${c.skipped} skipped`, `${c.failed} failed`,
  ];
  if (c.pending + c.running + c.manual_pending > 0) tally.push(`${c.pending + c.running + c.manual_pending} unfinished`);
  const chain = audit.verified === undefined ? '' : audit.verified ? ', hash chain verified' : ', **hash chain broken**';
  const files = reportFileNames(run.id);
  const head = [
    `#### Offboarding of ${who}: ${FINAL_TITLES[run.status]}`,
    `**Steps:** ${tally.join(' · ')}`,
    `**Audit trail:** ${plural(audit.events, 'event', 'events')}, ${renderHead(audit.head)}${chain}`,
    `**Report:** \`${files.json}\` (complete, with evidence) and \`${files.markdown}\` (readable) are attached.`,
  ];
  const failed = steps.filter((s) => s.state === 'failed');
  const body = failed.length === 0 ? [] : ['', '**Failed steps:**', ...failed.map((s) =>
    `- ${renderInline(providerTitle(options, s.provider), 60)}: ${renderInline(s.title, 200)} — ${
      renderInline(s.error ?? 'no error recorded', 300)}`)];
  return fitLines(head, body, [], MAX_POST_MESSAGE_RUNES, (hidden) => `\n_… and ${hidden} more failed steps._`);
}
