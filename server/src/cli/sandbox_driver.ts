// Drives one offboarding exactly as the webapp does: every call is `/offboard rpc …` through Mattermost's
// POST /api/v4/commands/execute, answered in the command response's props.
import type {Json} from '../engine/types.js';

export interface DriveInput {
  readonly mattermostUrl: string;
  readonly adminToken: string;
  readonly teamId: string;
  readonly channelId: string;
  readonly subject: string;
  readonly log: (line: string) => void;
  readonly timeoutMs?: number;
}

interface StepView {
  id: string; provider: string; phase: string; action: string; target: string; title: string; state: string;
  verified: boolean | null; error: string | null;
}

interface RunView {
  id: string; status: string; counts: Record<string, number>; total_steps: number;
  subject: {username: string};
}

export interface DriveResult {
  readonly ok: boolean;
  readonly report: {run: RunView; steps: StepView[]};
  readonly summary: string;
}

const TERMINAL = ['completed', 'completed_with_errors', 'cancelled'];

export async function driveOffboarding(input: DriveInput): Promise<DriveResult> {
  const rpc = async <T>(method: string, payload: Record<string, Json>): Promise<T> => {
    const encoded = Buffer.from(JSON.stringify({v: 1, ...payload})).toString('base64url');
    const res = await fetch(`${input.mattermostUrl}/api/v4/commands/execute`, {
      method: 'POST',
      headers: {'Authorization': `Bearer ${input.adminToken}`, 'Content-Type': 'application/json'},
      body: JSON.stringify({command: `/offboard rpc ${method} ${encoded}`, channel_id: input.channelId,
        team_id: input.teamId}),
    });
    const body = await res.json() as {props?: {ok?: boolean; result?: T; error?: {message: string}}; message?: string};
    if (!res.ok) throw new Error(`${method}: Mattermost answered ${res.status}: ${body.message ?? ''}`);
    if (!body.props?.ok) throw new Error(`${method}: ${body.props?.error?.message ?? 'no reply props'}`);
    return body.props.result as T;
  };
  const deadline = Date.now() + (input.timeoutMs ?? 120_000);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  await rpc('capabilities', {});
  const {subject} = await rpc<{subject: {user_id: string; username: string}}>('subject.resolve', {query: input.subject});
  input.log(`resolved @${subject.username} (${subject.user_id})`);
  const {inventory_id} = await rpc<{inventory_id: string}>('inventory.start', {user_id: subject.user_id});
  for (;;) {
    const {inventory} = await rpc<{inventory: {done: boolean; providers: {id: string; total_findings: number}[]}}>(
      'inventory.get', {inventory_id});
    if (inventory.done) {
      input.log(`inventory: ${inventory.providers.map((p) => `${p.id} ${p.total_findings} findings`).join(', ')}`);
      break;
    }
    if (Date.now() > deadline) throw new Error('inventory did not finish in time');
    await sleep(100);
  }
  const plan = await rpc<{plan_id: string; total: number}>('plan.create', {inventory_id});
  input.log(`plan ${plan.plan_id}: ${plan.total} steps`);
  const started = await rpc<{run: RunView}>('run.start', {plan_id: plan.plan_id, confirm_username: subject.username,
    mode: 'now'});
  input.log(`run ${started.run.id} started`);
  let run = started.run;
  while (!TERMINAL.includes(run.status)) {
    if (Date.now() > deadline) throw new Error(`run ${run.id} did not finish in time (status ${run.status})`);
    await sleep(200);
    run = (await rpc<{run: RunView}>('run.get', {run_id: run.id, per_page: 1})).run;
  }
  const steps: StepView[] = [];
  for (let page: number | null = 0; page !== null;) {
    const res: {steps: StepView[]; next_page: number | null} =
      await rpc('run.get', {run_id: run.id, page, per_page: 200});
    steps.push(...res.steps);
    page = res.next_page;
  }
  const ok = run.status === 'completed' && steps.length > 0 && steps.every((s) => s.verified === true);
  const report = {
    run,
    steps: steps.map((s) => ({id: s.id, provider: s.provider, phase: s.phase, action: s.action, target: s.target,
      title: s.title, state: s.state, verified: s.verified, error: s.error})),
  };
  const summary = `Run ${run.id} for @${run.subject.username}: ${run.status}, ${steps.length} steps, `
    + `${steps.filter((s) => s.verified).length} verified.`;
  return {ok, report, summary};
}
