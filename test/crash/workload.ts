// The crash test's workload and driver: more access for the seeded person (so a run lasts long enough to be killed in
// the middle), and the webapp's RPC calls through the simulator's POST /api/v4/commands/execute up to run.start.
import type {MattermostSim, SeededWorkspace} from '../mattermost_sim/index.js';

export interface WorkloadSize {
  readonly tokens: number;
  readonly teams: number;
  readonly channelsPerTeam: number;
  readonly incomingHooks: number;
  readonly outgoingHooks: number;
}

/**
 * Gives the seeded person (dana) extra tokens, teams with channels, and webhooks. Tokens, teams and webhooks add steps;
 * channels add discovery work only (leaving a team leaves its channels).
 */
export function addWorkload(sim: MattermostSim, seed: SeededWorkspace, size: WorkloadSize): void {
  const dana = seed.subject.userId;
  for (let i = 0; i < size.tokens; i += 1) sim.createAccessToken(dana, `Crash test token ${i}`);
  for (let t = 0; t < size.teams; t += 1) {
    const team = sim.createTeam({name: `crash-team-${t}`, display_name: `Crash Team ${t}`, type: 'I'});
    sim.addTeamMember(team.id, seed.adminUserId, {admin: true});
    sim.addTeamMember(team.id, seed.botUserId);
    sim.addTeamMember(team.id, dana);
    for (let c = 0; c < size.channelsPerTeam; c += 1) {
      const channel = sim.createChannel({team_id: team.id, name: `crash-${t}-${c}`, display_name: `Crash ${t}.${c}`,
        type: c % 2 === 0 ? 'O' : 'P', creator_id: seed.users.carol});
      sim.addChannelMember(channel.id, dana);
    }
  }
  for (let i = 0; i < size.incomingHooks; i += 1) {
    sim.createIncomingWebhook({channel_id: seed.channels.engineeringOpsBots, team_id: seed.teams.engineering,
      user_id: dana, display_name: `Crash alerts ${i}`});
  }
  for (let i = 0; i < size.outgoingHooks; i += 1) {
    sim.createOutgoingWebhook({team_id: seed.teams.engineering, creator_id: dana, display_name: `Crash notifier ${i}`,
      trigger_words: [`crash${i}`], callback_urls: [`https://hooks.example.com/crash/${i}`]});
  }
}

interface RpcProps<T> {
  ok?: boolean;
  result?: T;
  error?: {code: string; message: string};
}

export type Rpc = <T>(method: string, payload: Record<string, unknown>) => Promise<T>;

/** `/offboard rpc <method> <base64url(JSON)>` as the seeded admin, exactly as the webapp's client sends it. */
export function rpcClient(sim: MattermostSim, seed: SeededWorkspace): Rpc {
  return async <T>(method: string, payload: Record<string, unknown>): Promise<T> => {
    const encoded = Buffer.from(JSON.stringify({v: 1, ...payload})).toString('base64url');
    const res = await fetch(`${sim.url}/api/v4/commands/execute`, {
      method: 'POST',
      headers: {'Authorization': `Bearer ${seed.adminToken}`, 'Content-Type': 'application/json'},
      body: JSON.stringify({command: `/offboard rpc ${method} ${encoded}`, channel_id: seed.channels.acmeTownSquare,
        team_id: seed.teams.acme}),
    });
    const body = await res.json() as {props?: RpcProps<T>; message?: string};
    if (!res.ok) throw new Error(`${method}: commands/execute answered ${res.status}: ${body.message ?? ''}`);
    if (!body.props?.ok) {
      throw new Error(`${method}: ${body.props?.error ? JSON.stringify(body.props.error) : 'no reply props'}`);
    }
    return body.props.result as T;
  };
}

export interface StartedRun {
  readonly runId: string;
  readonly planSteps: number;
}

/** capabilities → subject.resolve → inventory.start/get → plan.create → run.start (mode now). */
export async function startOffboarding(rpc: Rpc, username: string, timeoutMs = 20_000): Promise<StartedRun> {
  await rpc('capabilities', {});
  const {subject} = await rpc<{subject: {user_id: string; username: string}}>('subject.resolve', {query: username});
  const {inventory_id} = await rpc<{inventory_id: string}>('inventory.start', {user_id: subject.user_id});
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const {inventory} = await rpc<{inventory: {done: boolean}}>('inventory.get', {inventory_id});
    if (inventory.done) break;
    if (Date.now() > deadline) throw new Error(`inventory ${inventory_id} did not finish within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const plan = await rpc<{plan_id: string; total: number}>('plan.create', {inventory_id});
  const {run} = await rpc<{run: {id: string}}>('run.start', {plan_id: plan.plan_id,
    confirm_username: subject.username, mode: 'now'});
  return {runId: run.id, planSteps: plan.total};
}
