// Renders a Report for auditors: JSON (complete), CSV (one row per step, spreadsheet-safe) and Markdown (readable,
// every user- or vendor-supplied text escaped so it cannot inject formatting, links, HTML or mentions).
import {stringify} from 'csv-stringify/sync';
import {PHASES} from '../engine/types.js';
import type {Phase} from '../engine/types.js';
import {escapeMarkdown, renderInline} from './markdown.js';
import type {Report, ReportStep, StepCounts} from './report.js';

export function renderReportJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const CSV_COLUMNS = [
  'run_id', 'position', 'step_id', 'provider', 'phase', 'action', 'target', 'title', 'kind', 'state', 'verified',
  'attempts', 'error', 'note', 'acted_by', 'started_at', 'finished_at', 'evidence',
] as const;

/** A header row, then one row per step in report order. */
export function renderReportCsv(report: Report): string {
  const rows = report.steps.map((step, index) => [
    report.run.id, String(index + 1), step.id, step.provider, step.phase, step.action, step.target, step.title,
    step.kind, step.state, step.verified === null ? '' : String(step.verified), String(step.attempts),
    step.error ?? '', step.note ?? '', step.actedBy ?? '', step.startedAt ?? '', step.finishedAt ?? '',
    JSON.stringify(step.evidence),
  ].map(neutraliseCsvCell));
  return stringify([[...CSV_COLUMNS], ...rows]);
}

/**
 * Spreadsheets run cells starting with = + - @ (and tab / CR, per OWASP) as formulas; a leading apostrophe keeps them
 * text. https://owasp.org/www-community/attacks/CSV_Injection
 */
export function neutraliseCsvCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const STATE_LABELS: Record<keyof StepCounts, string> = {
  total: 'Total', done: 'Done', already_done: 'Already done', failed: 'Failed', skipped: 'Skipped',
  manual_pending: 'Manual pending', manual_done: 'Manual done', pending: 'Pending', running: 'Running',
};

const PHASE_TITLES: Record<Phase, string> = {
  contain: 'Contain', revoke: 'Revoke', cleanup: 'Clean up', verify: 'Verify', report: 'Report',
};

export function renderReportMarkdown(report: Report): string {
  const {run} = report;
  const lines: string[] = [
    `# Offboarding report: ${renderInline(run.subject.displayName, 120) || renderInline(run.subject.username, 80)}`,
    '',
    `- **Subject:** ${renderInline(run.subject.displayName, 120)} (${renderInline(`@${run.subject.username}`, 80)}, ` +
      `${renderInline(run.subject.email, 120)}, user id ${renderInline(run.subject.userId, 64)})`,
    `- **Run:** ${renderInline(run.id, 64)}`,
    `- **Status:** ${renderInline(run.status, 40)}`,
    `- **Started by:** ${renderInline(run.initiatorId, 64)}`,
    `- **Approved by:** ${renderInline(run.approvedBy, 64) || '—'}`,
    ...(run.cancelledBy ? [`- **Cancelled by:** ${renderInline(run.cancelledBy, 64)}`] : []),
    `- **Created:** ${run.createdAt} · **Started:** ${run.startedAt ?? '—'} · ` +
      `**Finished:** ${run.finishedAt ?? '—'}`,
    '',
    '## Summary',
    '',
    ...renderCountsTable(run.counts),
    '',
    '## Steps',
    ...renderStepGroups(report.steps),
    '',
    '## Audit trail',
    '',
    `- **Events:** ${report.audit.events}`,
    `- **Head hash:** ${report.audit.head === null ? '—' : renderHash(report.audit.head)}`,
    ...renderVerification(report),
  ];
  return `${lines.join('\n')}\n`;
}

function renderCountsTable(counts: StepCounts): string[] {
  const keys = Object.keys(STATE_LABELS) as (keyof StepCounts)[];
  return [
    `| ${keys.map((k) => STATE_LABELS[k]).join(' | ')} |`,
    `|${keys.map(() => '---:').join('|')}|`,
    `| ${keys.map((k) => String(counts[k])).join(' | ')} |`,
  ];
}

function renderStepGroups(steps: readonly ReportStep[]): string[] {
  if (steps.length === 0) return ['', 'This run has no steps.'];
  const numbered = steps.map((step, index) => ({step, n: index + 1}));
  const phases: string[] = [...PHASES];
  for (const {step} of numbered) if (!phases.includes(step.phase)) phases.push(step.phase);
  const lines: string[] = [];
  for (const phase of phases) {
    const group = numbered.filter(({step}) => step.phase === phase);
    if (group.length === 0) continue;
    const title = PHASE_TITLES[phase as Phase] ?? renderInline(phase, 40);
    lines.push('', `### ${title}`, '',
      '| # | Step | Provider | Target | Kind | State | Verified | Attempts | Finished | Details |',
      '|---:|---|---|---|---|---|---|---:|---|---|');
    for (const {step, n} of group) lines.push(renderStepRow(step, n));
  }
  return lines;
}

function renderStepRow(step: ReportStep, n: number): string {
  const verified = step.verified === null ? '—' : step.verified ? 'yes' : '**no**';
  const details = [
    step.error ? `Error: ${renderInline(step.error, 300)}` : '',
    step.note ? `Note: ${renderInline(step.note, 300)}` : '',
    step.actedBy ? `By: ${renderInline(step.actedBy, 64)}` : '',
  ].filter(Boolean).join('; ');
  const cells = [
    String(n), renderInline(step.title, 200), renderInline(step.provider, 40), renderInline(step.target, 120),
    step.kind === 'manual' ? 'manual' : 'auto', renderInline(step.state, 40), verified, String(step.attempts),
    step.finishedAt ?? '—', details || '—',
  ];
  return `| ${cells.join(' | ')} |`;
}

function renderVerification(report: Report): string[] {
  if (report.audit.verified === undefined) return ['- **Verification:** not performed'];
  if (report.audit.verified) return ['- **Verification:** the hash chain is intact'];
  const problems = report.audit.problems ?? [];
  return [
    `- **Verification:** **FAILED**, ${problems.length} problem${problems.length === 1 ? '' : 's'}:`,
    ...problems.map((p) => `  - seq ${p.seq}: ${renderInline(p.reason, 300)}`),
  ];
}

function renderHash(hash: string): string {
  return /^[0-9a-f]{64}$/.test(hash) ? `\`${hash}\`` : escapeMarkdown(hash);
}
