// Appending to a run's hash chain inside the caller's write transaction: read the head from the run row (locked on
// Postgres, SQLite writers are already serialised), insert the next event and move the head in the same transaction.
import {buildAuditEvent} from '../audit/chain.js';
import type {AuditHead} from '../audit/chain.js';
import {PermanentError, TransientError} from '../engine/errors.js';
import type {AuditEvent, AuditInput} from '../engine/types.js';
import type {Db, StoreKind} from './database.js';
import {auditFromRow, auditToRow} from './rows.js';

export async function readAuditHead(db: Db, kind: StoreKind, runId: string, lock: boolean):
  Promise<AuditHead | undefined> {
  const row = await db.selectFrom('runs')
    .select(['audit_seq', 'audit_hash'])
    .where('id', '=', runId)
    // NO KEY UPDATE serialises appenders of this run without blocking foreign-key checks of inserts that refer to it.
    .$if(lock && kind === 'postgres', (qb) => qb.forNoKeyUpdate())
    .executeTakeFirst();
  return row ? {seq: row.audit_seq, hash: row.audit_hash} : undefined;
}

/** Must run inside StoreDatabase.write. */
export async function appendAuditInTx(trx: Db, kind: StoreKind, runId: string, input: AuditInput): Promise<AuditEvent> {
  const head = await readAuditHead(trx, kind, runId, true);
  if (!head) throw new PermanentError(`unknown run ${runId}`);
  const event = buildAuditEvent(head, runId, input);
  await trx.insertInto('audit_events').values(auditToRow(event)).execute();
  const moved = await trx.updateTable('runs')
    .set({audit_seq: event.seq, audit_hash: event.hash})
    .where('id', '=', runId)
    .where('audit_seq', '=', head.seq)
    .executeTakeFirst();
  // The conditional update is a second guard: if the head moved under us the chain would fork, so abort.
  if (moved.numUpdatedRows !== 1n) throw new TransientError(`audit head of run ${runId} moved during append`);
  return event;
}

export async function listAuditEvents(db: Db, runId: string): Promise<AuditEvent[]> {
  const rows = await db.selectFrom('audit_events').selectAll().where('run_id', '=', runId).orderBy('seq').execute();
  return rows.map(auditFromRow);
}
