// The invariants of a run that survived a SIGKILL, as a list of violations (empty = recovered correctly): no step lost,
// none executed twice, the reclaimed steps' second attempt only read, and an audit trail that tells it truthfully.
import type {AuditEvent, Step} from '../../server/src/engine/types.js';
import type {RequestLogEntry} from '../mattermost_sim/index.js';
import {isEffectOf, TOKEN_REVOKE_PATH} from './effects.js';

/** What the test observed around the kill. */
export interface CrashObservation {
  /** Steps as the store held them once the killed process was gone. */
  readonly atKill: readonly Step[];
  /** Per step not finished at the kill: whether its change was already in place in the simulator then. */
  readonly inPlaceAtKill: ReadonlyMap<string, boolean>;
  /** Steps and audit events once the restarted process finished the run. */
  readonly final: readonly Step[];
  readonly events: readonly AuditEvent[];
  /** The bot's non-housekeeping writes (effectWrites), and when the second process was spawned. */
  readonly writes: readonly RequestLogEntry[];
  readonly restartedAt: number;
  readonly oldOwner: string;
  readonly newOwner: string;
}

const TERMINAL_EVENTS = ['step.done', 'step.already_done', 'step.failed', 'step.skipped', 'step.manual_done'];
const FINISHED = ['done', 'already_done', 'failed', 'skipped', 'manual_done'];

export function checkRecovery(o: CrashObservation): string[] {
  const problems: string[] = [];
  const oldActor = `executor:${o.oldOwner}`;
  const newActor = `executor:${o.newOwner}`;
  const atKill = new Map(o.atKill.map((s) => [s.id, s]));
  const stepWrites = (step: Step, from: readonly RequestLogEntry[]) => from.filter((r) => isEffectOf(step, r));
  const oldWrites = o.writes.filter((r) => r.at < o.restartedAt);
  const newWrites = o.writes.filter((r) => r.at >= o.restartedAt);

  for (const r of o.writes) {
    if (r.status < 200 || r.status > 299) {
      problems.push(`${r.method} ${r.path} answered ${r.status}: a change sent again?`);
    }
  }
  // Every write belongs to exactly one step; a path other than the shared token revocation is written at most once.
  const byKey = new Map<string, number>();
  for (const r of o.writes) {
    const owners = o.final.filter((s) => isEffectOf(s, r));
    if (owners.length === 0) problems.push(`${r.method} ${r.path} belongs to no step of the run`);
    if (r.path === TOKEN_REVOKE_PATH) continue;
    if (owners.length > 1) problems.push(`${r.method} ${r.path} matches ${owners.length} steps`);
    const key = `${r.method} ${r.path}`;
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  for (const [key, n] of byKey) if (n > 1) problems.push(`${key} was sent ${n} times: executed twice`);

  let tokensLeftAtKill = 0;
  for (const step of o.final) {
    const before = atKill.get(step.id);
    // Step events only: other writers (progress replies) keep their own records in the same trail.
    const events = o.events.filter((e) => e.target === step.id && e.action.startsWith('step.'));
    const terminal = events.filter((e) => TERMINAL_EVENTS.includes(e.action));
    const shared = step.action === 'revoke_token';
    const fresh = stepWrites(step, newWrites);
    if (!before) {
      problems.push(`${step.id} is not in the store's step list at the kill`);
      continue;
    }
    if (!['done', 'already_done'].includes(step.state) || step.verified !== true) {
      problems.push(`${step.id} ended ${step.state} (verified ${String(step.verified)}): ${step.error ?? ''}`);
    }
    if (terminal.length !== 1 || terminal[0]?.action !== `step.${step.state}`) {
      problems.push(`${step.id} has terminal events [${terminal.map((e) => e.action).join(', ')}], `
        + `expected exactly [step.${step.state}]`);
    }

    if (FINISHED.includes(before.state)) {
      // Finished before the kill: untouched since, and nothing of the new process went near it.
      for (const field of ['state', 'attempts', 'finishedAt', 'leaseOwner'] as const) {
        if (step[field] !== before[field]) {
          problems.push(`${step.id} finished before the kill, yet its ${field} changed: `
            + `${String(before[field])} → ${String(step[field])}`);
        }
      }
      const foreign = events.filter((e) => e.actor !== oldActor);
      if (foreign.length > 0) {
        problems.push(`${step.id} finished before the kill, yet has events by `
          + foreign.map((e) => e.actor).join(', '));
      }
      if (!shared && fresh.length > 0) problems.push(`${step.id} finished before the kill and was changed again`);
      continue;
    }

    const inPlace = o.inPlaceAtKill.get(step.id);
    if (inPlace === undefined) {
      problems.push(`${step.id} was ${before.state} at the kill but its effect was not observed`);
      continue;
    }
    if (shared && !inPlace) tokensLeftAtKill += 1;
    if (terminal[0] && terminal[0].actor !== newActor) {
      problems.push(`${step.id} was finished by ${terminal[0].actor}, expected the restarted ${newActor}`);
    }

    if (before.state === 'running') {
      // In flight at the kill: reclaimed once by the new process, whose attempt is a read when the change got through.
      if (before.leaseOwner !== o.oldOwner) problems.push(`${step.id} was leased by ${String(before.leaseOwner)}`);
      if (step.attempts !== before.attempts + 1) {
        problems.push(`${step.id}: ${before.attempts} attempt(s) at the kill, ${step.attempts} at the end `
          + '(expected one more)');
      }
      const reclaim = events.find((e) => e.action === 'step.started' && e.actor === newActor);
      const {reclaimedFrom, attempt} = reclaim?.evidence ?? {};
      if (reclaimedFrom !== o.oldOwner || attempt !== step.attempts) {
        problems.push(`${step.id} has no step.started by ${newActor} with reclaimedFrom ${o.oldOwner} and attempt `
          + `${step.attempts}: ${JSON.stringify(reclaim ?? null)}`);
      }
      const expected = inPlace ? 'already_done' : 'done';
      if (step.state !== expected) {
        problems.push(`${step.id} was in flight with its change ${inPlace ? 'already' : 'not yet'} in place, `
          + `so the second attempt should end ${expected}, not ${step.state}`);
      }
      // A step with several writes (reassign + enable a bot) may have been cut between them: the second attempt then
      // sends only the rest, which the once-per-path rule above already holds it to.
      if (!shared && inPlace && fresh.length > 0) {
        problems.push(`${step.id}: its change was in place at the kill, yet the second attempt sent it again`);
      }
      if (!shared && !inPlace && fresh.length === 0) {
        problems.push(`${step.id}: its change was not in place at the kill and the second attempt sent nothing`);
      }
      continue;
    }

    // Pending at the kill: untouched by the old process, carried out once by the new one.
    if (inPlace) problems.push(`${step.id} was pending at the kill, yet its change was already in place`);
    if (step.state !== 'done' || step.attempts !== 1) {
      problems.push(`${step.id} was pending at the kill and ended ${step.state} after ${step.attempts} attempt(s)`);
    }
    if (events.some((e) => e.actor !== newActor)) problems.push(`${step.id} has events by the killed process`);
    if (!shared && (fresh.length === 0 || stepWrites(step, oldWrites).length > 0)) {
      problems.push(`${step.id}: ${stepWrites(step, oldWrites).length} change(s) before and ${fresh.length} after the `
        + 'restart (expected 0 and at least 1)');
    }
  }

  // Shared token path: the restarted process revoked exactly the tokens that still existed at the kill. (Revoking a
  // revoked token answers 404, caught above, so all-2xx also means no token was revoked twice.)
  const freshRevokes = newWrites.filter((r) => r.path === TOKEN_REVOKE_PATH).length;
  if (freshRevokes !== tokensLeftAtKill) {
    problems.push(`the restarted process sent ${freshRevokes} token revocation(s); ${tokensLeftAtKill} token(s) `
      + 'were left at the kill');
  }

  const completed = o.events.filter((e) => e.action.startsWith('run.') && e.action !== 'run.created'
    && e.action !== 'run.started');
  if (completed.length !== 1 || completed[0]?.action !== 'run.completed' || completed[0].actor !== newActor) {
    problems.push(`run events after creation: ${JSON.stringify(completed.map((e) => [e.action, e.actor]))}, `
      + `expected one run.completed by ${newActor}`);
  }
  return problems;
}
