// `offboard status` and `offboard export`: what happened, for admins and auditors; `--verify` checks the hash chain.
import {writeFileSync} from 'node:fs';
import {verifyChain} from '../audit/chain.js';
import {renderReportCsv, renderReportJson, renderReportMarkdown} from '../audit/export.js';
import {buildReport} from '../audit/report.js';
import {countSteps} from '../engine/run_state.js';
import {RequestError} from '../service/errors.js';
import {renderRun} from '../service/views.js';
import {type CliOptions, printJson, withStore} from './common.js';

export async function statusCommand(runId: string | undefined, o: CliOptions & {json?: boolean}): Promise<number> {
  return withStore(o, async (store) => {
    const runs = runId ? [await store.getRun(runId)] : await store.listRuns({limit: 20});
    if (runId && !runs[0]) throw new RequestError('not_found', `Run ${runId} does not exist.`);
    const views = [];
    for (const run of runs) if (run) views.push(renderRun(run, await store.listSteps(run.id)));
    if (o.json) {
      printJson(runId ? views[0] : {runs: views});
      return 0;
    }
    if (views.length === 0) process.stdout.write('No runs.\n');
    for (const run of runs) {
      if (!run) continue;
      const counts = countSteps(await store.listSteps(run.id));
      process.stdout.write(`${run.id}  ${run.status.padEnd(22)} @${run.subject.username}  `
        + `${new Date(run.createdAt).toISOString()}  done ${counts.done + counts.already_done + counts.manual_done}, `
        + `failed ${counts.failed}, manual waiting ${counts.manual_pending}\n`);
    }
    return 0;
  });
}

interface ExportOptions extends CliOptions {
  readonly format: 'json' | 'csv' | 'md';
  readonly verify?: boolean;
  readonly out?: string;
}

export async function exportCommand(runId: string, o: ExportOptions): Promise<number> {
  return withStore(o, async (store) => {
    const run = await store.getRun(runId);
    if (!run) throw new RequestError('not_found', `Run ${runId} does not exist.`);
    const {events, head} = await store.readAuditTrail(runId);
    const verification = o.verify ? verifyChain(events, head) : undefined;
    const report = buildReport(run, await store.listSteps(runId), events, verification);
    const text = o.format === 'csv' ? renderReportCsv(report)
      : o.format === 'md' ? renderReportMarkdown(report) : renderReportJson(report);
    if (o.out) writeFileSync(o.out, text);
    else process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    if (verification && !verification.ok) {
      process.stderr.write(`Audit chain of run ${runId} is BROKEN:\n`);
      for (const p of verification.problems) process.stderr.write(`  event ${p.seq}: ${p.reason}\n`);
      return 1;
    }
    if (verification) process.stderr.write(`Audit chain of run ${runId} verified: ${events.length} events intact.\n`);
    return 0;
  });
}
