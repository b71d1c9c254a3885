// Validates a list of steps as a graph: unique ids, known phases, dependencies that exist, and no cycle,
// counting the implicit per-provider phase barrier as an edge (a step waits for its provider's earlier phases).
import {PermanentError} from './errors.js';
import {PHASES} from './types.js';
import type {Phase, StepSpec} from './types.js';

export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}

/**
 * Throws PermanentError when the steps cannot form a runnable plan. Shared by buildPlan() and createRun(), so a
 * hand-edited or stale plan is refused before anything is stored.
 */
export function validateSteps(steps: readonly StepSpec[]): void {
  const byId = new Map<string, StepSpec>();
  for (const step of steps) {
    if (typeof step.id !== 'string' || step.id === '') throw new PermanentError('A step has no id.');
    if (byId.has(step.id)) throw new PermanentError(`Duplicate step id "${step.id}".`);
    if (phaseIndex(step.phase) < 0) throw new PermanentError(`Step "${step.id}" has an unknown phase "${step.phase}".`);
    if (step.kind !== 'auto' && step.kind !== 'manual') {
      throw new PermanentError(`Step "${step.id}" has an unknown kind "${String(step.kind)}".`);
    }
    byId.set(step.id, step);
  }
  for (const step of steps) {
    for (const dep of step.dependsOn) {
      if (dep === step.id) throw new PermanentError(`Step "${step.id}" depends on itself.`);
      if (!byId.has(dep)) throw new PermanentError(`Step "${step.id}" depends on "${dep}", which is not in the plan.`);
    }
  }
  const cycle = findCycle(steps);
  if (cycle) throw new PermanentError(`The plan has a dependency cycle: ${cycle.join(' → ')}.`);
}

/** Node names for the barrier of (provider, phase): never valid step ids because of the leading NUL. */
function barrierNode(provider: string, phase: number): string {
  return `\u0000${provider}\u0000${phase}`;
}

function describeNode(node: string): string {
  if (!node.startsWith('\u0000')) return node;
  const [, provider, phase] = node.split('\u0000');
  return `[all ${provider} steps before phase ${PHASES[Number(phase)]}]`;
}

/**
 * Builds the "waits on" graph and returns one cycle (as readable node names) or undefined. The barrier is
 * modelled with one virtual node per (provider, phase) so the graph stays linear in the number of steps.
 */
function findCycle(steps: readonly StepSpec[]): string[] | undefined {
  const edges = new Map<string, string[]>();
  const phasesByProvider = new Map<string, Map<number, string[]>>();
  for (const step of steps) {
    const phases = phasesByProvider.get(step.provider) ?? new Map<number, string[]>();
    const index = phaseIndex(step.phase);
    phases.set(index, [...(phases.get(index) ?? []), step.id]);
    phasesByProvider.set(step.provider, phases);
  }
  for (const [provider, phases] of phasesByProvider) {
    const present = [...phases.keys()].sort((a, b) => a - b);
    present.forEach((phase, i) => {
      if (i === 0) return;
      const previous = present[i - 1] as number;
      const waitsOn = [...(phases.get(previous) ?? [])];
      if (i > 1) waitsOn.push(barrierNode(provider, previous));
      edges.set(barrierNode(provider, phase), waitsOn);
    });
  }
  for (const step of steps) {
    const out = [...step.dependsOn];
    const present = [...(phasesByProvider.get(step.provider)?.keys() ?? [])];
    const index = phaseIndex(step.phase);
    if (present.some((p) => p < index)) out.push(barrierNode(step.provider, index));
    edges.set(step.id, out);
  }

  // Iterative three-colour DFS: plans can hold thousands of steps, recursion depth is not worth the risk.
  const colour = new Map<string, 'grey' | 'black'>();
  for (const start of edges.keys()) {
    if (colour.has(start)) continue;
    const stack: {node: string; next: number}[] = [{node: start, next: 0}];
    colour.set(start, 'grey');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as {node: string; next: number};
      const out = edges.get(top.node) ?? [];
      if (top.next >= out.length) {
        colour.set(top.node, 'black');
        stack.pop();
        continue;
      }
      const child = out[top.next++] as string;
      const state = colour.get(child);
      if (state === 'grey') {
        const from = stack.findIndex((frame) => frame.node === child);
        return [...stack.slice(from).map((frame) => frame.node), child].map(describeNode);
      }
      if (state === undefined) {
        colour.set(child, 'grey');
        stack.push({node: child, next: 0});
      }
    }
  }
  return undefined;
}
