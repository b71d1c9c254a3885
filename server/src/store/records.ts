// Inventories, plans and settings: records saved whole (upsert by id) and read back whole.
import {PermanentError} from '../engine/errors.js';
import type {InventoryProviderState, InventoryRecord, PlanRecord} from '../engine/ports.js';
import type {StoreDatabase} from './database.js';
import {inventoryFromRows, inventoryProviderToRow, inventoryToRow, planFromRow, planToRow} from './rows.js';
import {assertId, assertText} from './validate.js';

/** Saves the inventory and replaces its provider states, in one transaction. */
export async function saveInventoryRecord(store: StoreDatabase, record: InventoryRecord): Promise<void> {
  const row = inventoryToRow(record);
  const seen = new Set<string>();
  const providerRows = record.providers.map((state, position) => {
    if (seen.has(state.provider)) throw new PermanentError(`inventory lists provider ${state.provider} twice`);
    seen.add(state.provider);
    return inventoryProviderToRow(record.id, state, position);
  });
  await store.write(async (trx) => {
    await trx.insertInto('inventories').values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({
        subject: row.subject, initiator_id: row.initiator_id, created_at: row.created_at,
      }))
      .execute();
    await trx.deleteFrom('inventory_providers').where('inventory_id', '=', record.id).execute();
    if (providerRows.length > 0) await trx.insertInto('inventory_providers').values(providerRows).execute();
  });
}

/** Replaces one provider's state (appending it when new); the inventory must exist. */
export async function updateInventoryProviderState(store: StoreDatabase, inventoryId: string,
  state: InventoryProviderState): Promise<void> {
  assertId(inventoryId, 'inventory id');
  const probe = inventoryProviderToRow(inventoryId, state, 0);
  await store.write(async (trx) => {
    const inventory = await trx.selectFrom('inventories').select('id').where('id', '=', inventoryId)
      .$if(store.kind === 'postgres', (qb) => qb.forUpdate())
      .executeTakeFirst();
    if (!inventory) throw new PermanentError(`unknown inventory ${inventoryId}`);
    const existing = await trx.selectFrom('inventory_providers').select('position')
      .where('inventory_id', '=', inventoryId).where('provider', '=', state.provider).executeTakeFirst();
    let position = existing?.position;
    if (position === undefined) {
      const last = await trx.selectFrom('inventory_providers')
        .select((eb) => eb.fn.max<number | null>('position').as('max'))
        .where('inventory_id', '=', inventoryId).executeTakeFirst();
      position = last?.max === null || last?.max === undefined ? 0 : Number(last.max) + 1;
    }
    const row = {...probe, position};
    await trx.insertInto('inventory_providers').values(row)
      .onConflict((oc) => oc.columns(['inventory_id', 'provider']).doUpdateSet({
        status: row.status, identities: row.identities, findings: row.findings, error: row.error,
        updated_at: row.updated_at,
      }))
      .execute();
  });
}

export async function getInventoryRecord(store: StoreDatabase, id: string): Promise<InventoryRecord | undefined> {
  const row = await store.db.selectFrom('inventories').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const providers = await store.db.selectFrom('inventory_providers').selectAll()
    .where('inventory_id', '=', id).orderBy('position').execute();
  return inventoryFromRows(row, providers);
}

export async function savePlanRecord(store: StoreDatabase, record: PlanRecord): Promise<void> {
  const row = planToRow(record);
  await store.write((trx) => trx.insertInto('plans').values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({
      inventory_id: row.inventory_id, subject: row.subject, initiator_id: row.initiator_id, options: row.options,
      steps: row.steps, created_at: row.created_at,
    }))
    .execute());
}

export async function getPlanRecord(store: StoreDatabase, id: string): Promise<PlanRecord | undefined> {
  const row = await store.db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? planFromRow(row) : undefined;
}

export async function getSettingValue(store: StoreDatabase, key: string): Promise<string | undefined> {
  const row = await store.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function putSettingValue(store: StoreDatabase, key: string, value: string): Promise<void> {
  assertId(key, 'setting key');
  assertText(value, 'setting value');
  await store.write((trx) => trx.insertInto('settings').values({key, value})
    .onConflict((oc) => oc.column('key').doUpdateSet({value}))
    .execute());
}
