// The RunStore port on kysely, for SQLite and Postgres alike. Every change and its audit event commit together;
// compare-and-set updates make concurrent actors safe (one wins, the others get undefined).
import {sql} from 'kysely';
import {GENESIS_HASH, verifyChain} from '../audit/chain.js';
import type {AuditHead, ChainVerification} from '../audit/chain.js';
import {PermanentError} from '../engine/errors.js';
import type {
  InventoryProviderState, InventoryRecord, PlanRecord, RunFilter, RunPatch, RunStore, StepPatch,
} from '../engine/ports.js';
import type {AuditEvent, AuditInput, NewRun, Run, RunStatus, Step, StepSpec, StepState} from '../engine/types.js';
import {appendAuditInTx, listAuditEvents, readAuditHead} from './audit_log.js';
import {claimFirstStep, renewStepLease} from './claim.js';
import type {StoreDatabase, StoreKind} from './database.js';
import {guard} from './db_errors.js';
import {
  getInventoryRecord, getPlanRecord, getSettingValue, putSettingValue, saveInventoryRecord, savePlanRecord,
  updateInventoryProviderState,
} from './records.js';
import {newRunToRow, runFromRow, runPatchToRow, stepFromRow, stepPatchToRow, stepSpecToRow} from './rows.js';
import {assertId, assertRunStatus, assertStepState, assertTime} from './validate.js';

/** Rows per INSERT: keeps statements under SQLite's and Postgres's bound-parameter limits. */
const STEP_INSERT_CHUNK = 200;
const MAX_LIST_LIMIT = 10_000;

/** The port plus a one-snapshot verification of a run's audit chain. */
export interface SqlRunStore extends RunStore {
  readonly kind: StoreKind;
  /** Verifies the run's stored chain against its recorded head; undefined for an unknown run. */
  verifyAudit(runId: string): Promise<ChainVerification | undefined>;
}

export function createSqlRunStore(store: StoreDatabase): SqlRunStore {
  const {db, kind} = store;
  let closed: Promise<void> | undefined;
  // Events and head must come from one snapshot, or an append in between would look like tampering.
  const readTrail = (runId: string) => store.write(async (trx) => ({
    head: await readAuditHead(trx, kind, runId, true),
    events: await listAuditEvents(trx, runId),
  }));

  return {
    kind,

    createRun: (run: NewRun, steps: readonly StepSpec[], event: AuditInput): Promise<Run> =>
      guard(`create run ${run.id}`, async () => {
        const runRow = newRunToRow(run, GENESIS_HASH);
        const ids = new Set<string>();
        const stepRows = steps.map((spec, index) => {
          if (ids.has(spec.id)) throw new PermanentError(`step id ${spec.id} appears twice in run ${run.id}`);
          ids.add(spec.id);
          return stepSpecToRow(run.id, spec, index + 1, run.createdAt);
        });
        await store.write(async (trx) => {
          const existing = await trx.selectFrom('runs').select('id').where('id', '=', run.id).executeTakeFirst();
          if (existing) throw new PermanentError(`run ${run.id} already exists`);
          await trx.insertInto('runs').values(runRow).execute();
          for (let i = 0; i < stepRows.length; i += STEP_INSERT_CHUNK) {
            await trx.insertInto('steps').values(stepRows.slice(i, i + STEP_INSERT_CHUNK)).execute();
          }
          await appendAuditInTx(trx, kind, run.id, event);
        });
        return runFromRow(runRow);
      }),

    getRun: (id: string): Promise<Run | undefined> => guard('get run', async () => {
      const row = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? runFromRow(row) : undefined;
    }),

    listRuns: (filter: RunFilter = {}): Promise<Run[]> => guard('list runs', async () => {
      if (filter.limit !== undefined &&
        (!Number.isSafeInteger(filter.limit) || filter.limit < 1 || filter.limit > MAX_LIST_LIMIT)) {
        throw new PermanentError(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
      }
      filter.statuses?.forEach(assertRunStatus);
      if (filter.statuses?.length === 0) return [];
      const statuses = filter.statuses ? [...filter.statuses] : undefined;
      const rows = await db.selectFrom('runs').selectAll()
        .$if(statuses !== undefined, (qb) => qb.where('status', 'in', statuses ?? []))
        .$if(filter.subjectUserId !== undefined, (qb) => qb.where('subject_user_id', '=', filter.subjectUserId ?? ''))
        .orderBy('created_at', 'desc').orderBy('id', 'desc')
        .$if(filter.limit !== undefined, (qb) => qb.limit(filter.limit ?? MAX_LIST_LIMIT))
        .execute();
      return rows.map(runFromRow);
    }),

    listSteps: (runId: string): Promise<Step[]> => guard('list steps', async () => {
      const rows = await db.selectFrom('steps').selectAll().where('run_id', '=', runId).orderBy('seq').execute();
      return rows.map(stepFromRow);
    }),

    getStep: (runId: string, stepId: string): Promise<Step | undefined> => guard('get step', async () => {
      const row = await db.selectFrom('steps').selectAll()
        .where('run_id', '=', runId).where('id', '=', stepId).executeTakeFirst();
      return row ? stepFromRow(row) : undefined;
    }),

    transitionRun: (id: string, from: readonly RunStatus[], patch: RunPatch, event?: AuditInput):
      Promise<Run | undefined> => guard(`transition run ${id}`, async () => {
      from.forEach(assertRunStatus);
      const set = runPatchToRow(patch);
      return store.write(async (trx) => {
        const row = await trx.updateTable('runs').set(set)
          .where('id', '=', id)
          .$if(from.length > 0, (qb) => qb.where('status', 'in', [...from]))
          .returningAll()
          .executeTakeFirst();
        if (!row) return undefined;
        if (event) await appendAuditInTx(trx, kind, id, event);
        return runFromRow(row);
      });
    }),

    claimStep: (runId: string, candidateIds: readonly string[], owner: string, now: number, leaseMs: number,
      event?: (claimed: Step) => AuditInput): Promise<Step | undefined> => guard(`claim a step of run ${runId}`, async () => {
      assertId(owner, 'lease owner');
      assertTime(now, 'now');
      if (!Number.isSafeInteger(leaseMs) || leaseMs < 1) throw new PermanentError('leaseMs must be a positive integer');
      if (!Array.isArray(candidateIds) || candidateIds.some((c) => typeof c !== 'string')) {
        throw new PermanentError('candidateIds must be a list of step ids');
      }
      return claimFirstStep(store, runId, candidateIds, owner, now, leaseMs,
        event && (async (trx, claimed) => { await appendAuditInTx(trx, kind, runId, event(claimed)); }));
    }),

    renewLease: (runId: string, stepId: string, owner: string, leaseUntil: number): Promise<boolean> =>
      guard(`renew the lease of step ${stepId}`, async () => {
        assertId(owner, 'lease owner');
        assertTime(leaseUntil, 'leaseUntil');
        return renewStepLease(store, runId, stepId, owner, leaseUntil);
      }),

    updateStep: (runId: string, stepId: string, from: readonly StepState[], owner: string | null, patch: StepPatch,
      event?: AuditInput): Promise<Step | undefined> => guard(`update step ${stepId}`, async () => {
      from.forEach(assertStepState);
      if (owner !== null) assertId(owner, 'lease owner');
      const set = stepPatchToRow(patch);
      return store.write(async (trx) => {
        const row = await trx.updateTable('steps').set(set)
          .where('run_id', '=', runId)
          .where('id', '=', stepId)
          .$if(from.length > 0, (qb) => qb.where('state', 'in', [...from]))
          // Fencing: a replica whose lease was taken over must not overwrite the new owner's work.
          .$if(owner !== null, (qb) => qb.where('lease_owner', '=', owner))
          .returningAll()
          .executeTakeFirst();
        if (!row) return undefined;
        if (event) await appendAuditInTx(trx, kind, runId, event);
        return stepFromRow(row);
      });
    }),

    appendAudit: (runId: string, event: AuditInput): Promise<AuditEvent> =>
      guard(`append to the audit trail of run ${runId}`,
        () => store.write((trx) => appendAuditInTx(trx, kind, runId, event))),

    listAudit: (runId: string): Promise<AuditEvent[]> => guard('list audit events', () => listAuditEvents(db, runId)),

    getAuditHead: (runId: string): Promise<AuditHead | undefined> => guard('read the audit head', async () => {
      const head = await readAuditHead(db, kind, runId, false);
      return head && head.seq > 0 ? head : undefined;
    }),

    readAuditTrail: (runId: string) => guard('read the audit trail', async () => {
      const {head, events} = await readTrail(runId);
      return {events, head: head && head.seq > 0 ? head : undefined};
    }),

    verifyAudit: (runId: string): Promise<ChainVerification | undefined> =>
      guard('verify the audit trail', async () => {
        const {head, events} = await readTrail(runId);
        return head ? verifyChain(events, head) : undefined;
      }),

    saveInventory: (record: InventoryRecord): Promise<void> =>
      guard(`save inventory ${record.id}`, () => saveInventoryRecord(store, record)),
    updateInventoryProvider: (inventoryId: string, state: InventoryProviderState): Promise<void> =>
      guard(`update inventory ${inventoryId}`, () => updateInventoryProviderState(store, inventoryId, state)),
    getInventory: (id: string): Promise<InventoryRecord | undefined> =>
      guard('get inventory', () => getInventoryRecord(store, id)),
    savePlan: (record: PlanRecord): Promise<void> =>
      guard(`save plan ${record.id}`, () => savePlanRecord(store, record)),
    getPlan: (id: string): Promise<PlanRecord | undefined> => guard('get plan', () => getPlanRecord(store, id)),
    getSetting: (key: string): Promise<string | undefined> => guard('get setting', () => getSettingValue(store, key)),
    putSetting: (key: string, value: string): Promise<void> =>
      guard(`put setting ${key}`, () => putSettingValue(store, key, value)),

    ping: (): Promise<void> => guard('ping the database', async () => {
      await sql`select 1`.execute(db);
    }),

    close: (): Promise<void> => {
      closed ??= db.destroy();
      return closed;
    },
  };
}
