// End to end: `offboard run`, `status` and `export` as child processes against the Mattermost simulator, on SQLite,
// including an audit log tampered with directly in the database (edited, middle event deleted, last event deleted).
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it, jest} from '@jest/globals';
import BetterSqlite3 from 'better-sqlite3';
import {CLI_TEST_TIMEOUT_MS, type CliFixture, type CliResult, lines, parseCsv, startCliFixture} from './cli_support.js';

jest.setTimeout(CLI_TEST_TIMEOUT_MS);

const CSV_HEADER = ['run_id', 'position', 'step_id', 'provider', 'phase', 'action', 'target', 'title', 'kind', 'state',
  'verified', 'attempts', 'error', 'note', 'acted_by', 'started_at', 'finished_at', 'evidence'];

interface ReportJson {
  run: {id: string; status: string; subject: {username: string; displayName: string}; counts: Record<string, number>};
  steps: {id: string; provider: string; action: string; state: string; verified: boolean | null}[];
  audit: {events: number; head: string | null; verified?: boolean; problems?: {seq: number; reason: string}[]};
}

interface EventRow {seq: number; action: string; outcome: string; evidence: string; hash: string}

let f: CliFixture;
let report: ReportJson;

beforeAll(async () => { f = await startCliFixture(); });
afterAll(async () => { await f.close(); });

/** Reads the store directly (read-only), as an auditor with database access would. */
function query<T>(sqlitePath: string, sql: string, ...params: unknown[]): T[] {
  const db = new BetterSqlite3(sqlitePath, {readonly: true, fileMustExist: true});
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

describe('run', () => {
  it('without --yes refuses, contacts nobody and records nothing', async () => {
    f.sim.clearRequests();
    const res = await f.cli('run', '--config', f.configPath, '--subject', 'dana');
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('pass --yes to confirm');
    expect(res.stdout).toBe('');
    expect(f.sim.requests).toHaveLength(0);
    expect(f.sim.state.user(f.seed.subject.userId)?.delete_at).toBe(0);
  });

  it('--yes --json offboards dana, verifies every step and prints the report', async () => {
    const res = await f.cli('run', '--config', f.configPath, '--subject', 'dana', '--yes', '--json');
    expect(res.code).toBe(0);
    report = JSON.parse(res.stdout) as ReportJson;
    expect(report.run.status).toBe('completed');
    expect(report.run.subject.username).toBe('dana');
    expect(report.steps.length).toBeGreaterThanOrEqual(10);
    for (const step of report.steps) {
      expect({id: step.id, verified: step.verified}).toEqual({id: step.id, verified: true});
      expect(['done', 'already_done']).toContain(step.state);
    }
    expect(report.audit.events).toBeGreaterThan(report.steps.length);

    const dana = f.seed.subject.userId;
    expect(f.sim.state.user(dana)?.delete_at).toBeGreaterThan(0);
    expect(f.sim.state.sessionsOf(dana)).toEqual([]);
    expect(f.sim.state.tokensOf(dana).filter((t) => t.is_active)).toEqual([]);
    expect(f.sim.state.teamMembershipsOfUser(dana)).toEqual([]);
    expect(f.sim.state.incomingWebhook(f.seed.subject.incomingHookId)).toBeUndefined();
    // The run the refused attempt did not create is not there either: exactly one run.
    expect(query(f.sqlitePath, 'SELECT id FROM runs')).toEqual([{id: report.run.id}]);
  });
});

describe('status and export', () => {
  it('status lists the run; status <id> --json shows it', async () => {
    const [list, one] = await Promise.all([
      f.cli('status', '--config', f.configPath),
      f.cli('status', report.run.id, '--config', f.configPath, '--json'),
    ]);
    expect(list.code).toBe(0);
    const line = lines(list.stdout).find((l) => l.startsWith(report.run.id));
    expect(line).toMatch(/ completed /);
    expect(line).toContain('@dana');
    expect(line).toContain(`done ${report.steps.length}, failed 0`);

    expect(one.code).toBe(0);
    const view = JSON.parse(one.stdout) as {id: string; status: string; subject: {username: string}; total_steps: number};
    expect(view).toMatchObject({id: report.run.id, status: 'completed', subject: {username: 'dana'},
      total_steps: report.steps.length});
  });

  it('export --verify in json, csv and md', async () => {
    const id = report.run.id;
    const [json, csv, md] = await Promise.all(['json', 'csv', 'md'].map((format) =>
      f.cli('export', id, '--config', f.configPath, '--format', format, '--verify'))) as [CliResult, CliResult, CliResult];
    for (const res of [json, csv, md]) {
      expect(res.code).toBe(0);
      expect(res.stderr).toContain(`Audit chain of run ${id} verified`);
    }

    const exported = JSON.parse(json.stdout) as ReportJson;
    expect(exported.run.id).toBe(id);
    expect(exported.steps.map((s) => s.id)).toEqual(report.steps.map((s) => s.id));
    // Progress bookkeeping may append events after the run's report was printed; the chain still verifies.
    expect(exported.audit).toMatchObject({verified: true, problems: []});
    expect(exported.audit.events).toBeGreaterThanOrEqual(report.audit.events);
    expect(exported.audit.head).toMatch(/^[0-9a-f]{64}$/);

    const rows = parseCsv(csv.stdout);
    expect(rows[0]).toEqual(CSV_HEADER);
    const body = rows.slice(1);
    expect(body).toHaveLength(report.steps.length);
    const col = (name: string) => CSV_HEADER.indexOf(name);
    expect(body.map((r) => r[col('step_id')])).toEqual(report.steps.map((s) => s.id));
    for (const row of body) {
      expect(row).toHaveLength(CSV_HEADER.length);
      expect(row[col('run_id')]).toBe(id);
      expect(row[col('verified')]).toBe('true');
      expect(JSON.parse(row[col('evidence')] ?? '')).toHaveProperty('outcome');
    }

    expect(md.stdout).toMatch(/^# Offboarding report: Dana Whitfield$/m);
    expect(md.stdout).toContain(id);
    expect(md.stdout).toMatch(/^## Steps$/m);
    expect(md.stdout).toMatch(/^\| # \| Step \| Provider \| Target \|/m);
    // Step rows: number, title, then the provider column.
    expect(md.stdout.match(/^\| \d+ \| [^|\n]+ \| mattermost \| /gm)).toHaveLength(report.steps.length);
    expect(md.stdout).toContain(`\`${exported.audit.head}\``);
    expect(md.stdout).toContain('the hash chain is intact');
  });

  it('--verify fails with exit 1 and names the event when an event is edited, a middle or the last one deleted',
    async () => {
      const runId = report.run.id;
      const events = query<EventRow>(f.sqlitePath,
        'SELECT seq, action, outcome, evidence, hash FROM audit_events WHERE run_id = ? ORDER BY seq', runId);
      expect(events.length).toBe(report.audit.events);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      // The report `run --json` printed ends at the chain's final head.
      expect(events.at(-1)?.hash).toBe(report.audit.head);
      // (a) A middle event with real evidence, rewritten to hide what happened.
      const edited = events.slice(1, -1).find((e) => e.evidence.includes('revoked_sessions'))
        ?? events[Math.floor(events.length / 2)]!;
      const forged = JSON.stringify({...JSON.parse(edited.evidence) as object, revoked_sessions: 0});
      const middle = events[Math.floor(events.length / 2)]!;
      const last = events.at(-1)!;

      /** A copy of the database in a folder of its own with its own config, changed by `sql`. */
      const tampered = async (name: string, sql: string, ...params: unknown[]): Promise<string> => {
        const copy = await f.configIn(name);
        const file = join(copy.dir, 'offboard.sqlite');
        const source = new BetterSqlite3(f.sqlitePath, {readonly: true, fileMustExist: true});
        try {
          source.prepare('VACUUM INTO ?').run(file);
        } finally {
          source.close();
        }
        const db = new BetterSqlite3(file, {fileMustExist: true});
        try {
          expect(db.prepare(sql).run(...params).changes).toBe(1);
        } finally {
          db.close();
        }
        return copy.path;
      };
      const paths = await Promise.all([
        tampered('edit', 'UPDATE audit_events SET evidence = ?, outcome = ? WHERE run_id = ? AND seq = ?',
          forged, 'skipped', runId, edited.seq),
        tampered('delete-middle', 'DELETE FROM audit_events WHERE run_id = ? AND seq = ?', runId, middle.seq),
        tampered('delete-last', 'DELETE FROM audit_events WHERE run_id = ? AND seq = ?', runId, last.seq),
      ]);
      const [edit, deleteMiddle, deleteLast] = await Promise.all(paths.map((p) =>
        f.cli('export', runId, '--config', p, '--format', 'json', '--verify'))) as [CliResult, CliResult, CliResult];
      const audit = (res: CliResult) => (JSON.parse(res.stdout) as ReportJson).audit;

      expect(edit.code).toBe(1);
      expect(edit.stderr).toContain(`Audit chain of run ${runId} is BROKEN`);
      expect(edit.stderr).toContain(`event ${edited.seq}: hash mismatch`);
      expect(audit(edit)).toMatchObject({verified: false, problems: [{seq: edited.seq}]});

      expect(deleteMiddle.code).toBe(1);
      expect(deleteMiddle.stderr).toContain(`event ${middle.seq + 1}: gap: expected seq ${middle.seq}`);
      expect(audit(deleteMiddle).verified).toBe(false);

      expect(deleteLast.code).toBe(1);
      expect(deleteLast.stderr).toContain(`event ${last.seq}: truncated`);
      expect(audit(deleteLast)).toMatchObject({verified: false, problems: [{seq: last.seq}]});
    });
});

describe('other subjects', () => {
  it('the caller-less CLI offboards another user; an unknown subject is a clear not-found error', async () => {
    const [alice, nobody] = await Promise.all([
      f.cli('run', '--config', f.configPath, '--subject', 'alice', '--yes'),
      f.cli('run', '--config', f.configPath, '--subject', 'nobody-here', '--yes'),
    ]);
    expect(alice.code).toBe(0);
    expect(alice.stdout).toMatch(/^Run [a-z0-9]{26}: completed$/m);
    expect(f.sim.state.user(f.seed.users.alice)?.delete_at).toBeGreaterThan(0);
    expect(f.sim.state.sessionsOf(f.seed.users.alice)).toEqual([]);

    expect(nobody.code).not.toBe(0);
    expect(nobody.stderr).toContain('No Mattermost user matches "nobody-here"');
    expect(nobody.stdout).toBe('');

    const runs = query<{subject: string; status: string}>(f.sqlitePath, 'SELECT subject, status FROM runs');
    expect(runs.map((r) => [(JSON.parse(r.subject) as {username: string}).username, r.status]).sort())
      .toEqual([['alice', 'completed'], ['dana', 'completed']]);
  });

  it('no output contained the bot token or the action secret', () => {
    expect(f.outputs.length).toBeGreaterThanOrEqual(10);
    for (const text of f.outputs) {
      expect(text).not.toContain(f.seed.botToken);
      expect(text).not.toContain(f.actionSecret);
    }
  });
});
