// Entry point of the store: opens SQLite (default, a file shared by several processes) or Postgres (several replicas),
// brings the schema up to date, and returns the RunStore the engine uses.
import type {Logger} from '../engine/types.js';
import {describePostgresUrl, openPostgresDatabase, openSqliteDatabase} from './database.js';
import type {StoreDatabase} from './database.js';
import {createSqlRunStore} from './sql_run_store.js';
import type {SqlRunStore} from './sql_run_store.js';

export type StoreOptions =
  | {readonly kind: 'sqlite'; readonly path: string}
  | {readonly kind: 'postgres'; readonly url: string};

export type {SqlRunStore} from './sql_run_store.js';
export type {StoreKind} from './database.js';
export {MIGRATIONS} from './migrations.js';

/** Opens the store and runs pending migrations. Throws ConfigError when the database cannot be opened or migrated. */
export async function openStore(options: StoreOptions, log?: Logger): Promise<SqlRunStore> {
  let database: StoreDatabase;
  let where: string;
  if (options.kind === 'sqlite') {
    where = options.path;
    database = await openSqliteDatabase(options.path);
  } else {
    where = describePostgresUrl(options.url);
    database = await openPostgresDatabase(options.url, {
      onIdleError: (e) => log?.warn({err: {message: e.message}, store: where}, 'idle database connection failed'),
    });
  }
  if (database.applied.length > 0) {
    log?.info({store: options.kind, where, migrations: database.applied}, 'database schema migrated');
  }
  log?.debug({store: options.kind, where}, 'store opened');
  return createSqlRunStore(database);
}
