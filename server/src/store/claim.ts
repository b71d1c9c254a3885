// Leasing steps so that exactly one of several concurrent executors (threads, processes, replicas) gets each one.
// SQLite: a conditional UPDATE … RETURNING per candidate (the WHERE re-checks claimability atomically).
// Postgres: SELECT … FOR UPDATE SKIP LOCKED picks a row nobody else is claiming, then UPDATE it.
import {sql} from 'kysely';
import type {ExpressionBuilder} from 'kysely';
import type {Step} from '../engine/types.js';
import type {Db, StoreDatabase} from './database.js';
import {stepFromRow} from './rows.js';
import type {Database} from './schema.js';

/** Pending and due, or running with an expired (or missing) lease. */
function claimable(now: number) {
  return (eb: ExpressionBuilder<Database, 'steps'>) => eb.or([
    eb.and([eb('state', '=', 'pending'), eb.or([eb('not_before', 'is', null), eb('not_before', '<=', now)])]),
    eb.and([eb('state', '=', 'running'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)])]),
  ]);
}

function claimSet(owner: string, now: number, leaseMs: number) {
  return (eb: ExpressionBuilder<Database, 'steps'>) => ({
    state: 'running',
    lease_owner: owner,
    lease_until: now + leaseMs,
    attempts: eb('attempts', '+', 1),
    started_at: eb.fn.coalesce('started_at', eb.val(now)),
    updated_at: now,
  });
}

/** Runs inside the claiming transaction with the claimed step (the audit append). */
export type OnClaimed = (trx: Db, claimed: Step) => Promise<void>;

export async function claimFirstStep(store: StoreDatabase, runId: string, candidateIds: readonly string[],
  owner: string, now: number, leaseMs: number, onClaimed?: OnClaimed): Promise<Step | undefined> {
  const ids = [...new Set(candidateIds)];
  if (ids.length === 0) return undefined;
  if (store.kind === 'postgres') {
    return store.write(async (trx) => {
      const picked = await trx.selectFrom('steps')
        .select('id')
        .where('run_id', '=', runId)
        .where('id', 'in', ids)
        .where(claimable(now))
        // The caller's order, not seq: the engine passes candidates by its own priority.
        .orderBy(sql`array_position(${sql.val(ids)}::text[], id)`)
        .limit(1)
        .forUpdate()
        .skipLocked()
        .executeTakeFirst();
      if (!picked) return undefined;
      const row = await trx.updateTable('steps')
        .set(claimSet(owner, now, leaseMs))
        .where('run_id', '=', runId)
        .where('id', '=', picked.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const claimed = stepFromRow(row);
      if (onClaimed) await onClaimed(trx, claimed);
      return claimed;
    });
  }
  return store.write(async (trx) => {
    for (const id of ids) {
      const row = await trx.updateTable('steps')
        .set(claimSet(owner, now, leaseMs))
        .where('run_id', '=', runId)
        .where('id', '=', id)
        .where(claimable(now))
        .returningAll()
        .executeTakeFirst();
      if (!row) continue;
      const claimed = stepFromRow(row);
      if (onClaimed) await onClaimed(trx, claimed);
      return claimed;
    }
    return undefined;
  });
}

/** Extends the lease only while `owner` still holds the running step. */
export async function renewStepLease(store: StoreDatabase, runId: string, stepId: string, owner: string,
  leaseUntil: number): Promise<boolean> {
  const result = await store.write((trx) => trx.updateTable('steps')
    .set({lease_until: leaseUntil})
    .where('run_id', '=', runId)
    .where('id', '=', stepId)
    .where('state', '=', 'running')
    .where('lease_owner', '=', owner)
    .executeTakeFirst());
  return result.numUpdatedRows === 1n;
}
