// The threaded simulator's worker: a GitHub simulator driven by commands from thread.ts (seed, reset, counters),
// answering each {id, command, args} message with {id, result} or {id, error}.
import {parentPort, workerData} from 'node:worker_threads';
import {issueInstallationToken} from './ops.js';
import {seedBenchOrg, seedGithubOrg, type BenchOrgOptions} from './seed.js';
import {type GithubSimOptions, startGithubSim} from './sim.js';
import {lower} from './state.js';

const sim = await startGithubSim(workerData as GithubSimOptions);

/** What is left of a login's access to an organization (for the benchmark's end-state check). */
function accessLeft(org: string, login: string): {member: boolean; directGrants: number; invitations: number} {
  const o = sim.state.org(org);
  if (!o) return {member: false, directGrants: 0, invitations: 0};
  const key = lower(login);
  return {
    member: o.members.has(key),
    directGrants: o.repoList.filter((r) => r.collaborators.has(key)).length,
    invitations: o.repoList.reduce((n, r) => n + [...r.invitations.values()].filter((i) => lower(i.invitee) === key).length, 0),
  };
}

const commands: Record<string, (...args: never[]) => unknown> = {
  seedBench: (o: BenchOrgOptions) => seedBenchOrg(sim, o),
  seedSandbox: () => seedGithubOrg(sim),
  reset: () => {
    sim.state.clear();
    sim.limits.reset();
    sim.clearRequests();
  },
  clearRequests: () => sim.clearRequests(),
  requests: () => sim.requests.map((r) => ({at: r.at, operationId: r.operationId, status: r.status})),
  stats: () => ({requests: sim.requests.length, secondaryHits: sim.limits.secondaryHits, primaryHits: sim.limits.primaryHits}),
  accessLeft: (org: string, login: string) => accessLeft(org, login),
  issueInstallationToken: (org: string, installationId: number) => issueInstallationToken(sim.state, org, installationId).token,
  reposWithDeployKeys: (org: string) => sim.state.org(org)?.repoList.filter((r) => r.deployKeys.size > 0).length ?? 0,
  close: () => sim.close(),
};

const port = parentPort;
if (!port) throw new Error('thread_worker.ts runs as a worker thread');
port.on('message', (msg: {id: number; command: string; args: unknown[]}) => {
  const run = commands[msg.command];
  Promise.resolve()
    .then(() => {
      if (!run) throw new Error(`unknown command ${msg.command}`);
      return (run as (...a: unknown[]) => unknown)(...msg.args);
    })
    .then((result) => port.postMessage({id: msg.id, result}), (e: unknown) => port.postMessage({id: msg.id, error: String(e)}));
});
port.postMessage({ready: sim.url});
