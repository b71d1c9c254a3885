// `offboard inventory | plan | run`: the same engine as the modal, for scripts and automation.
// CLI runs act as the bot account (actor of record) and execute in this process until the run ends.
import {verifyChain} from '../audit/chain.js';
import {buildReport} from '../audit/report.js';
import type {JsonObject, Run} from '../engine/types.js';
import {TERMINAL_RUN_STATUSES} from '../engine/types.js';
import type {ServiceDeps} from '../service/deps.js';
import {RequestError} from '../service/errors.js';
import {assertOffboardable, resolveSubject, startInventory} from '../service/inventory.js';
import {parseIdentityHints} from '../service/identity_hints.js';
import {createPlan, startRun} from '../service/runs.js';
import {startService} from '../service/service.js';
import {renderInventory, renderStepSpec} from '../service/views.js';
import {type CliOptions, loadCliConfig, printJson, waitForInventory, withStore} from './common.js';

interface SubjectOptions extends CliOptions {
  readonly subject: string;
  /** `system=id` pairs (--identity): the person's ids where the admin knows better than the automatic matching. */
  readonly identity?: string[];
  readonly json?: boolean;
}

interface PlanOptions extends SubjectOptions {
  readonly option?: string[];
  readonly disable?: string[];
}

interface RunOptions extends PlanOptions {
  readonly yes?: boolean;
  readonly schedule?: string;
  readonly requireApproval?: boolean;
}

async function withService<T>(o: CliOptions, execute: boolean, fn: (deps: ServiceDeps) => Promise<T>): Promise<T> {
  const {config, log} = loadCliConfig(o);
  const service = await startService(config, {log, serve: false, execute});
  try {
    return await fn(service.deps);
  } finally {
    await service.close();
  }
}

/** The --identity pairs per system, checked like the modal's entries (before anything is created). */
function identityHints(deps: ServiceDeps, pairs: readonly string[] = []) {
  const given: Record<string, string[]> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const system = pair.slice(0, at);
    given[system] = [...(given[system] ?? []), pair.slice(at + 1)];
  }
  return parseIdentityHints(deps, given);
}

async function inventoryFor(deps: ServiceDeps, o: SubjectOptions) {
  const hints = identityHints(deps, o.identity);
  const subject = await resolveSubject(deps, o.subject);
  assertOffboardable(deps, subject, '');
  const record = await startInventory(deps, subject, deps.botUserId, hints);
  return waitForInventory(deps, record.id);
}

export async function inventoryCommand(o: SubjectOptions): Promise<number> {
  return withService(o, false, async (deps) => {
    const record = await inventoryFor(deps, o);
    if (o.json) {
      printJson({...renderInventory(record, new Map(deps.providers.map((p) => [p.id, p.title]))),
        findings: record.providers.flatMap((p) => p.findings)});
      return 0;
    }
    const s = record.subject;
    process.stdout.write(`${s.displayName} (@${s.username}, ${s.email})\n`);
    for (const p of record.providers) {
      process.stdout.write(`\n${p.provider}: ${p.status}${p.error ? ` — ${p.error}` : ''}\n`);
      for (const f of p.findings) process.stdout.write(`  [${f.risk}] ${f.kind}: ${f.label}\n`);
    }
    return record.providers.some((p) => p.status === 'failed') ? 1 : 0;
  });
}

function parseOptions(pairs: readonly string[] = []): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const pair of pairs) {
    const [path = '', ...rest] = pair.split('=');
    const [provider = '', key = ''] = path.split('.');
    const raw = rest.join('=');
    const value = raw === 'true' ? true : raw === 'false' ? false : raw;
    out[provider] = {...out[provider], [key]: value};
  }
  return out;
}

async function planFor(deps: ServiceDeps, o: PlanOptions) {
  const record = await inventoryFor(deps, o);
  return createPlan(deps, {inventoryId: record.id, options: parseOptions(o.option), disabledSteps: o.disable ?? []},
    deps.botUserId);
}

export async function planCommand(o: PlanOptions): Promise<number> {
  return withService(o, false, async (deps) => {
    const plan = await planFor(deps, o);
    if (o.json) {
      printJson({plan_id: plan.id, options: plan.options, steps: plan.steps.map(renderStepSpec)});
      return 0;
    }
    process.stdout.write(`Plan ${plan.id} for @${plan.subject.username}: ${plan.steps.length} steps\n`);
    for (const s of plan.steps) {
      process.stdout.write(`  ${s.phase.padEnd(8)} ${s.kind === 'manual' ? '[manual] ' : ''}${s.title}  (${s.id})\n`);
    }
    return 0;
  });
}

export async function runCommand(o: RunOptions): Promise<number> {
  if (!o.yes) {
    throw new RequestError('bad_request', 'offboard run removes access: pass --yes to confirm (see `offboard plan`).');
  }
  const outcome = await withService(o, true, async (deps) => {
    const plan = await planFor(deps, o);
    const mode = o.requireApproval ? 'approval' : o.schedule ? 'schedule' : 'now';
    const run = await startRun(deps, {planId: plan.id, confirmUsername: plan.subject.username, mode,
      ...(o.schedule ? {scheduleAt: o.schedule} : {})}, deps.botUserId);
    if (run.status !== 'running') return {run, waited: false};
    return {run: await waitForRun(deps, run.id), waited: true};
  });
  const {run, waited} = outcome;
  if (!waited) {
    process.stderr.write(`Run ${run.id} is ${run.status}; the service (offboard start) will execute it.\n`);
    if (o.json) printJson({run: {id: run.id, status: run.status}});
    return 0;
  }
  // Built after the service closed, so the progress posts' audit events are in and the head is final.
  const report = await withStore(o, async (store) => {
    const {events, head} = await store.readAuditTrail(run.id);
    return buildReport(await store.getRun(run.id) ?? run, await store.listSteps(run.id), events,
      verifyChain(events, head));
  });
  if (o.json) printJson(report);
  else process.stdout.write(`Run ${run.id}: ${run.status}\n`);
  return run.status === 'completed' ? 0 : 1;
}

/** Polls the store until the run is terminal or waits only on manual steps. */
async function waitForRun(deps: ServiceDeps, runId: string): Promise<Run> {
  for (;;) {
    const run = await deps.store.getRun(runId);
    if (!run) throw new RequestError('not_found', `Run ${runId} disappeared.`);
    if (TERMINAL_RUN_STATUSES.includes(run.status)) return run;
    const steps = await deps.store.listSteps(runId);
    const open = steps.filter((s) => s.state === 'pending' || s.state === 'running');
    if (open.length === 0 && steps.some((s) => s.state === 'manual_pending')) {
      process.stderr.write(`Run ${runId} waits for manual steps; complete them in Mattermost.\n`);
      return run;
    }
    await deps.clock.sleep(200);
  }
}
