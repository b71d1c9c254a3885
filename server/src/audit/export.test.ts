// Report renderings: JSON round-trips, CSV is one row per step and spreadsheet-safe, Markdown is readable and inert.
import {describe, expect, it} from '@jest/globals';
import {renderReportCsv, renderReportJson, renderReportMarkdown} from './export.js';
import {buildReport} from './report.js';
import type {Report} from './report.js';
import {buildRunFixture, buildStepFixture, buildStepsInEveryState} from './testing/report_fixtures.js';

const HEAD = 'ab'.repeat(32);

function report(over: Partial<Report['audit']> = {}): Report {
  const built = buildReport(buildRunFixture(), [
    buildStepFixture(1, 'done', {phase: 'contain', title: 'Revoke sessions'}),
    buildStepFixture(2, 'failed', {title: '=HYPERLINK("http://evil.example","click")'}),
    buildStepFixture(3, 'manual_pending', {kind: 'manual', phase: 'cleanup', title: '+1 laptop | return',
      note: '@channel see <b>this</b>\nnow', target: '-2'}),
    buildStepFixture(4, 'skipped', {title: '@SUM(A1:A9)', error: '\tcmd'}),
  ], []);
  return {...built, audit: {events: 7, head: HEAD, ...over}};
}

/** Minimal RFC 4180 reader for the assertions (quoted fields, doubled quotes, embedded newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe('renderReportJson', () => {
  it('round-trips the report', () => {
    const r = report();
    expect(JSON.parse(renderReportJson(r))).toEqual(r);
  });
});

describe('renderReportCsv', () => {
  it('writes a header and one row per step, then nothing else', () => {
    const rows = parseCsv(renderReportCsv(report()));
    expect(rows[0]).toEqual(['run_id', 'position', 'step_id', 'provider', 'phase', 'action', 'target', 'title',
      'kind', 'state', 'verified', 'attempts', 'error', 'note', 'acted_by', 'started_at', 'finished_at', 'evidence']);
    expect(rows).toHaveLength(5);
    expect(rows[1]).toEqual(['run-1', '1', 'github:remove_member:1', 'github', 'contain', 'remove_member', 'org-1',
      'Revoke sessions', 'auto', 'done', 'true', '1', '', '', '', '2024-05-01T09:10:00.000Z',
      '2024-05-01T09:11:00.000Z', '{"outcome":{"removed":true},"verification":{"member":false}}']);
  });

  it('keeps formulas from running in spreadsheets', () => {
    const rows = parseCsv(renderReportCsv(report()));
    expect(rows[2]?.[7]).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(rows[3]?.[7]).toBe('\'+1 laptop | return');
    expect(rows[3]?.[6]).toBe('\'-2');
    expect(rows[3]?.[13]).toBe('\'@channel see <b>this</b>\nnow');
    expect(rows[4]?.[7]).toBe('\'@SUM(A1:A9)');
    expect(rows[4]?.[12]).toBe('\'\tcmd');
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('renderReportMarkdown', () => {
  const md = renderReportMarkdown(report({verified: false, problems: [{seq: 4, reason: 'hash mismatch: <x>'}]}));

  it('escapes the subject\'s display name: no bold, mention or link survives', () => {
    expect(md).toContain('\\*\\*@\u200dall\\*\\* \\[x\\]\\(javascript:alert\\(1\\)\\)');
    expect(md).not.toContain('**@all**');
    expect(md).not.toContain('[x](');
    expect(md).not.toMatch(/(^|[^\p{L}\p{N}_.-])@(all|channel|here|alice)\b/u);
  });

  it('shows status, counts, the head hash and a failed verification', () => {
    expect(md).toContain('- **Status:** completed\\_with\\_errors');
    expect(md).toContain('| 4 | 1 | 0 | 1 | 1 | 1 | 0 | 0 | 0 |');
    expect(md).toContain(`- **Head hash:** \`${HEAD}\``);
    expect(md).toContain('- **Verification:** **FAILED**, 1 problem:');
    expect(md).toContain('  - seq 4: hash mismatch: &lt;x&gt;');
  });

  it('groups steps by phase in execution order and keeps every table row intact', () => {
    const headings = md.split('\n').filter((l) => l.startsWith('### '));
    expect(headings).toEqual(['### Contain', '### Revoke', '### Clean up']);
    const rows = md.split('\n').filter((l) => /^\| \d+ \| \D/.test(l));
    expect(rows).toHaveLength(4);
    for (const row of rows) expect(row.split(/(?<!\\)\|/)).toHaveLength(12);
    expect(md).toContain('Note: @\u200dchannel see &lt;b&gt;this&lt;/b&gt; now');
    expect(md).toContain('| \\=HYPERLINK\\("http://evil.example","click"\\) |');
    expect(md).toContain('Error: cmd |');
  });

  it('says when the chain was verified intact, or not verified at all', () => {
    expect(renderReportMarkdown(report({verified: true, problems: []})))
      .toContain('- **Verification:** the hash chain is intact');
    expect(renderReportMarkdown(report())).toContain('- **Verification:** not performed');
  });

  it('handles a run without steps or events', () => {
    const empty = buildReport(buildRunFixture(), [], []);
    const text = renderReportMarkdown(empty);
    expect(text).toContain('This run has no steps.');
    expect(text).toContain('- **Head hash:** —');
    expect(buildReport(buildRunFixture(), buildStepsInEveryState(), []).steps).toHaveLength(8);
  });
});
