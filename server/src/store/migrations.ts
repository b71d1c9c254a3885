// Schema migrations, in code so nothing is read from disk at runtime. Written with kysely's schema builder so the
// same steps run on SQLite and Postgres. Append new migrations (0002_…); never edit one that has shipped.
import {Migrator} from 'kysely';
import type {Kysely, Migration, MigrationProvider} from 'kysely';
import {GENESIS_HASH} from '../audit/chain.js';
import {ConfigError} from '../engine/errors.js';

const init: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createTable('runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('subject_user_id', 'text', (c) => c.notNull())
      .addColumn('initiator_id', 'text', (c) => c.notNull())
      .addColumn('plan_id', 'text')
      .addColumn('options', 'text', (c) => c.notNull())
      .addColumn('scheduled_at', 'bigint')
      .addColumn('approval_required', 'integer', (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('cancelled_by', 'text')
      .addColumn('channel_id', 'text')
      .addColumn('post_id', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('finished_at', 'bigint')
      .addColumn('audit_seq', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('audit_hash', 'text', (c) => c.notNull().defaultTo(GENESIS_HASH))
      .execute();
    await db.schema.createIndex('runs_status_idx').on('runs').column('status').execute();
    await db.schema.createIndex('runs_subject_idx').on('runs').columns(['subject_user_id', 'created_at']).execute();
    await db.schema.createIndex('runs_created_idx').on('runs').column('created_at').execute();

    await db.schema.createTable('steps')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('phase', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('depends_on', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('instructions', 'text')
      .addColumn('assignee', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('not_before', 'bigint')
      .addColumn('outcome', 'text')
      .addColumn('verified', 'integer')
      .addColumn('verify_evidence', 'text')
      .addColumn('error', 'text')
      .addColumn('note', 'text')
      .addColumn('acted_by', 'text')
      .addColumn('started_at', 'bigint')
      .addColumn('finished_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('steps_pk', ['run_id', 'id'])
      .addUniqueConstraint('steps_run_seq_unique', ['run_id', 'seq'])
      .execute();
    await db.schema.createIndex('steps_run_state_idx').on('steps').columns(['run_id', 'state']).execute();

    await db.schema.createTable('audit_events')
      .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addUniqueConstraint('audit_events_run_seq_unique', ['run_id', 'seq'])
      .execute();

    await db.schema.createTable('inventories')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('initiator_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.createTable('inventory_providers')
      .addColumn('inventory_id', 'text', (c) => c.notNull().references('inventories.id').onDelete('cascade'))
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('identities', 'text', (c) => c.notNull())
      .addColumn('findings', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('inventory_providers_pk', ['inventory_id', 'provider'])
      .execute();

    await db.schema.createTable('plans')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('inventory_id', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('initiator_id', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull())
      .addColumn('steps', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema.createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<any>): Promise<void> {
    for (const table of ['settings', 'plans', 'inventory_providers', 'inventories', 'audit_events', 'steps', 'runs']) {
      await db.schema.dropTable(table).execute();
    }
  },
};

/** Every migration, by name; kysely applies them in name order. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {'0001_init': init};

const provider: MigrationProvider = {
  getMigrations: async () => ({...MIGRATIONS}),
};

export const MIGRATION_TABLE = 'offboard_migration';
export const MIGRATION_LOCK_TABLE = 'offboard_migration_lock';

/** Brings the schema to the latest version; a no-op when it already is. Throws ConfigError when it cannot. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db, provider, migrationTableName: MIGRATION_TABLE, migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const {error, results} = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error !== undefined || failed) {
    const what = failed ? `migration ${failed.migrationName} failed` : 'migrations failed';
    throw new ConfigError(`database schema could not be updated: ${what}`, {cause: error});
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
