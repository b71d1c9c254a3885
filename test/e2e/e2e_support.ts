// Helpers shared by the end-to-end tests: the webapp's RPC sequence up to run.start, reading a run back, the run card
// and its thread as the simulator stores them, and clicking a card button the way a Mattermost client does.
import type {Post} from '../mattermost_sim/index.js';
import {type Harness, waitFor} from '../support/service_harness.js';
import {type RunCardProps, runCardPropsSchema} from './run_card_contract.js';

export const TERMINAL = ['completed', 'completed_with_errors', 'cancelled'];

export function ok(props: any): any {
  if (!props?.ok) throw new Error(`expected ok, got ${JSON.stringify(props?.error)}`);
  return props.result;
}

export interface PlannedRun {
  readonly planId: string;
  readonly username: string;
}

/** subject.resolve → inventory.start → inventory.get (until done) → plan.create, as the modal does. */
export async function planFor(h: Harness, username: string): Promise<PlannedRun> {
  const {subject} = ok(await h.rpc('subject.resolve', {query: username}));
  const {inventory_id} = ok(await h.rpc('inventory.start', {user_id: subject.user_id}));
  await waitFor(async () => ok(await h.rpc('inventory.get', {inventory_id})).inventory.done);
  return {planId: ok(await h.rpc('plan.create', {inventory_id})).plan_id, username};
}

export async function startPlanned(h: Harness, plan: PlannedRun, mode: 'now' | 'approval'): Promise<any> {
  return ok(await h.rpc('run.start', {plan_id: plan.planId, confirm_username: plan.username, mode})).run;
}

export async function startRunFor(h: Harness, username: string, mode: 'now' | 'approval'): Promise<any> {
  return startPlanned(h, await planFor(h, username), mode);
}

export async function getRun(h: Harness, runId: string): Promise<any> {
  return ok(await h.rpc('run.get', {run_id: runId, per_page: 1})).run;
}

export async function allSteps(h: Harness, runId: string): Promise<any[]> {
  return ok(await h.rpc('run.get', {run_id: runId, per_page: 200})).steps;
}

export async function waitForStatus(h: Harness, runId: string, accept: (status: string) => boolean): Promise<any> {
  return waitFor(async () => {
    const run = await getRun(h, runId);
    return accept(run.status) ? run : undefined;
  }, 60_000);
}

/** The card's props as stored (integration included), parsed with the contract schema. */
export function cardProps(h: Harness, postId: string): RunCardProps {
  return runCardPropsSchema.parse(h.sim.state.post(postId)?.props);
}

export type CardButton = NonNullable<RunCardProps['attachments']>[number]['actions'][number];

export function cardButtons(h: Harness, postId: string): CardButton[] {
  return (cardProps(h, postId).attachments ?? []).flatMap((a) => a.actions);
}

export function thread(h: Harness, rootId: string): Post[] {
  return [...h.sim.state.posts.values()].filter((p) => p.root_id === rootId && p.delete_at === 0)
    .sort((a, b) => a.create_at - b.create_at);
}

/** POST /api/v4/posts/{post_id}/actions/{action_id} as the user of `token`, like a click in any Mattermost client. */
export function clickButton(h: Harness, postId: string, actionId: string, token: string): Promise<Response> {
  return fetch(`${h.sim.url}/api/v4/posts/${postId}/actions/${actionId}`, {
    method: 'POST', headers: {'Authorization': `Bearer ${token}`, 'Content-Type': 'application/json'}, body: '{}',
  });
}
