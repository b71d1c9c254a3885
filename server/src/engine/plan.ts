// The checklist of a run: buildPlan() turns the providers' pure plan() output into one validated, ordered list,
// and readySteps() decides which steps of a live run may start now.
import {PermanentError} from './errors.js';
import {phaseIndex, validateSteps} from './plan_graph.js';
import {dependencySkipReason, leaseExpired} from './run_state.js';
import {PHASES, SUCCESS_STEP_STATES, TERMINAL_STEP_STATES} from './types.js';
import type {
  AnyProvider, Finding, Identity, Json, JsonObject, PlanOptionSpec, ProviderId, Step, StepSpec, StepState,
} from './types.js';

export {validateSteps} from './plan_graph.js';

export interface PlanInput {
  /** In registry order: within a phase, steps are grouped by provider in this order. */
  readonly providers: readonly AnyProvider[];
  readonly findings: ReadonlyMap<ProviderId, readonly Finding[]>;
  readonly identities: ReadonlyMap<ProviderId, readonly Identity[]>;
  /** Options per provider; defaults are applied and unknown keys refused. Entries of other providers are ignored. */
  readonly options: Readonly<Record<ProviderId, JsonObject>>;
  /** Step ids the admin switched off. Ids that are not in the plan are ignored (the item is already gone). */
  readonly disabledSteps?: readonly string[];
}

/**
 * Calls every provider's plan(), validates the union and orders it by phase, then provider, then the provider's
 * own order.
 *
 * Disabled steps are dropped. A step that depends on a dropped step is dropped too (transitively) when it acts
 * (contain, revoke, cleanup): its precondition will never hold, and leaving it would only produce a failure the
 * admin chose. Verify and report steps are the exception: they are kept and only lose the dependency, because they
 * observe and describe the end state; dropping them would hide that access remains.
 */
export function buildPlan(input: PlanInput): StepSpec[] {
  const planned: {spec: StepSpec; provider: number; own: number}[] = [];
  input.providers.forEach((provider, providerOrder) => {
    const options = resolvePlanOptions(provider, input.options[provider.id] ?? {});
    const specs = provider.plan(
      input.findings.get(provider.id) ?? [], options, input.identities.get(provider.id) ?? [],
    );
    specs.forEach((spec, own) => {
      if (spec.provider !== provider.id) {
        throw new PermanentError(`Provider ${provider.id} planned step "${spec.id}" for provider "${spec.provider}".`);
      }
      planned.push({spec, provider: providerOrder, own});
    });
  });
  validateSteps(planned.map((p) => p.spec));

  const kept = dropDisabled(planned.map((p) => p.spec), new Set(input.disabledSteps ?? []));
  return planned
    .filter((p) => kept.has(p.spec.id))
    .sort((a, b) => phaseIndex(a.spec.phase) - phaseIndex(b.spec.phase) || a.provider - b.provider || a.own - b.own)
    .map((p) => kept.get(p.spec.id) as StepSpec);
}

/** Returns the surviving steps by id, with dependencies on dropped steps removed from verify/report steps. */
function dropDisabled(specs: readonly StepSpec[], disabled: ReadonlySet<string>): Map<string, StepSpec> {
  const dropped = new Set([...disabled].filter((id) => specs.some((s) => s.id === id)));
  const observes = (s: StepSpec): boolean => s.phase === 'verify' || s.phase === 'report';
  let grew = dropped.size > 0;
  while (grew) {
    grew = false;
    for (const spec of specs) {
      if (dropped.has(spec.id) || observes(spec)) continue;
      if (spec.dependsOn.some((dep) => dropped.has(dep))) {
        dropped.add(spec.id);
        grew = true;
      }
    }
  }
  const kept = new Map<string, StepSpec>();
  for (const spec of specs) {
    if (dropped.has(spec.id)) continue;
    const dependsOn = spec.dependsOn.filter((dep) => !dropped.has(dep));
    kept.set(spec.id, dependsOn.length === spec.dependsOn.length ? spec : {...spec, dependsOn});
  }
  return kept;
}

/** Applies a provider's PlanOptionSpec defaults to the admin's choices; unknown keys and wrong types are refused. */
export function resolvePlanOptions(provider: AnyProvider, given: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(given)) {
    const spec = provider.planOptions.find((o) => o.key === key);
    if (!spec) throw new PermanentError(`Unknown option "${key}" for ${provider.title}.`);
    checkOptionValue(provider, spec, value);
  }
  const resolved: JsonObject = {};
  for (const spec of provider.planOptions) {
    const value = given[spec.key];
    resolved[spec.key] = value === undefined ? spec.default : value;
  }
  return resolved;
}

function checkOptionValue(provider: AnyProvider, spec: PlanOptionSpec, value: Json): void {
  const where = `Option "${spec.key}" of ${provider.title}`;
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new PermanentError(`${where} must be true or false.`);
      return;
    case 'text':
      if (typeof value !== 'string') throw new PermanentError(`${where} must be text.`);
      return;
    case 'choice': {
      const allowed = (spec.choices ?? []).map((c) => c.value);
      if (typeof value !== 'string' || !allowed.includes(value)) {
        throw new PermanentError(`${where} must be one of: ${allowed.join(', ')}.`);
      }
      return;
    }
  }
}

export interface ReadySteps {
  /** Auto steps that may be claimed now (including running steps whose lease expired), in seq order. */
  readonly claimable: Step[];
  /** Pending manual steps whose prerequisites are met: they wait for an admin from now on. */
  readonly toManualPending: Step[];
  /** Pending steps that can never run because a dependency failed or was skipped. */
  readonly toSkip: {step: Step; reason: string}[];
}

/**
 * A pending step is ready when every dependency is in a success state and every step of the same provider in an
 * earlier phase is terminal (the phase barrier). Skips propagate transitively in one call: a step skipped here
 * counts as skipped for the steps after it, so a chain of dependents settles in one executor pass.
 */
export function readySteps(steps: readonly Step[], now: number): ReadySteps {
  const state = new Map<string, StepState>(steps.map((s) => [s.id, s.state]));
  const toSkip: {step: Step; reason: string}[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of steps) {
      if (state.get(step.id) !== 'pending') continue;
      const reason = blockingDependency(step, state);
      if (reason !== undefined) {
        state.set(step.id, 'skipped');
        toSkip.push({step, reason});
        grew = true;
      }
    }
  }

  // Lowest phase index per provider that still has unfinished work, after the skips above.
  const openPhase = new Map<ProviderId, number>();
  for (const step of steps) {
    if (TERMINAL_STEP_STATES.includes(state.get(step.id) as StepState)) continue;
    const index = phaseIndex(step.phase);
    openPhase.set(step.provider, Math.min(openPhase.get(step.provider) ?? PHASES.length, index));
  }

  const claimable: Step[] = [];
  const toManualPending: Step[] = [];
  for (const step of steps) {
    const current = state.get(step.id);
    if (current === 'running') {
      if (leaseExpired(step, now)) claimable.push(step);
      continue;
    }
    if (current !== 'pending') continue;
    const barrierOpen = (openPhase.get(step.provider) ?? PHASES.length) >= phaseIndex(step.phase);
    const depsDone = step.dependsOn.every((dep) => SUCCESS_STEP_STATES.includes(state.get(dep) as StepState));
    if (!barrierOpen || !depsDone) continue;
    if (step.kind === 'manual') toManualPending.push(step);
    else if (step.notBefore === null || step.notBefore <= now) claimable.push(step);
  }
  claimable.sort((a, b) => a.seq - b.seq);
  return {claimable, toManualPending, toSkip};
}

function blockingDependency(step: Step, state: ReadonlyMap<string, StepState>): string | undefined {
  for (const dep of step.dependsOn) {
    const depState = state.get(dep);
    if (depState === undefined) return `dependency ${dep} missing`;
    if (depState === 'failed' || depState === 'skipped') return dependencySkipReason(dep, depState);
  }
  return undefined;
}
