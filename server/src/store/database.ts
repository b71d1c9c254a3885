// Opens the kysely database for either dialect and provides the one way to write: a transaction that serialises
// writers (SQLite: BEGIN IMMEDIATE; Postgres: row locks inside READ COMMITTED transactions).
import {mkdirSync} from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {Kysely, PostgresDialect, SqliteDialect, sql} from 'kysely';
import pg from 'pg';
import {ConfigError, errorMessage} from '../engine/errors.js';
import {migrateToLatest} from './migrations.js';
import type {Database} from './schema.js';

export type Db = Kysely<Database>;
export type StoreKind = 'sqlite' | 'postgres';

export interface StoreDatabase {
  readonly kind: StoreKind;
  readonly db: Db;
  /** Runs `fn` in a write transaction; never start another transaction inside it. */
  write<T>(fn: (trx: Db) => Promise<T>): Promise<T>;
  /** Names of the migrations applied by this open (empty when the schema was current). */
  readonly applied: readonly string[];
}

/**
 * How long a SQLite writer waits for another process's write lock. better-sqlite3 waits synchronously, so writers of
 * this process are queued in JS first (fileLocks) and only other processes ever make it wait.
 */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

const fileLocks = new Map<string, Promise<void>>();

/** Serialises the writers of one process on one SQLite file (several connections in one process, as tests do). */
async function withFileLock<T>(key: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (key === undefined) return fn();
  const previous = fileLocks.get(key) ?? Promise.resolve();
  let release!: () => void;
  const current = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => current);
  fileLocks.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (fileLocks.get(key) === tail) fileLocks.delete(key);
  }
}

function isMemoryPath(file: string): boolean {
  return file === ':memory:' || file === '';
}

export async function openSqliteDatabase(file: string): Promise<StoreDatabase> {
  const memory = isMemoryPath(file);
  let raw: BetterSqlite3.Database;
  try {
    if (!memory) mkdirSync(path.dirname(path.resolve(file)), {recursive: true});
    raw = new BetterSqlite3(file, {timeout: SQLITE_BUSY_TIMEOUT_MS});
    if (!memory) raw.pragma('journal_mode = WAL');
    raw.pragma('foreign_keys = ON');
  } catch (e) {
    throw new ConfigError(`cannot open the SQLite store at ${file}: ${errorMessage(e)}`, {cause: e});
  }
  const lockKey = memory ? undefined : path.resolve(file);
  const db: Db = new Kysely<Database>({dialect: new SqliteDialect({database: raw})});
  const write = <T>(fn: (trx: Db) => Promise<T>): Promise<T> =>
    withFileLock(lockKey, () => db.connection().execute(async (conn) => {
      // IMMEDIATE takes the write lock up front: a deferred transaction that reads first could not upgrade later
      // while another process writes (SQLITE_BUSY without waiting). https://sqlite.org/lang_transaction.html
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (e) {
        if (raw.inTransaction) await sql`rollback`.execute(conn);
        throw e;
      }
    }));
  try {
    // kysely runs SQLite migrations outside a transaction; wrapping them makes concurrent opens by several
    // processes safe (the second waits, then finds the schema current).
    const applied = await write((trx) => migrateToLatest(trx));
    return {kind: 'sqlite', db, write, applied};
  } catch (e) {
    await db.destroy();
    throw e;
  }
}

/** int8 (OID 20) as a JS number: our bigint columns hold epoch milliseconds, always safe integers. */
function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} is outside the safe integer range`);
  return n;
}

const INT8_OID = 20;
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format ?? 'text')
  ) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PostgresOptions {
  /** Pool size; each replica needs few connections since transactions are short. */
  readonly max?: number;
  readonly onIdleError?: (e: Error) => void;
}

export async function openPostgresDatabase(url: string, options: PostgresOptions = {}): Promise<StoreDatabase> {
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({
      connectionString: url, max: options.max ?? 10, types: pgTypes, application_name: 'offboard',
      connectionTimeoutMillis: 10_000,
    });
  } catch (e) {
    throw new ConfigError(`invalid Postgres connection string: ${errorMessage(e)}`);
  }
  // An idle client can fail (server restart); without a listener the pool's 'error' event would crash the process.
  pool.on('error', (e) => options.onIdleError?.(e));
  const db: Db = new Kysely<Database>({dialect: new PostgresDialect({pool})});
  const write = <T>(fn: (trx: Db) => Promise<T>): Promise<T> => db.transaction().execute(fn);
  try {
    await sql`select 1`.execute(db);
  } catch (e) {
    await db.destroy();
    // No `cause`: a URL parse error carries the whole connection string, password included.
    throw new ConfigError(`cannot connect to the Postgres store at ${describePostgresUrl(url)}: ${errorMessage(e)}`);
  }
  try {
    // kysely wraps Postgres migrations in a transaction holding an advisory lock, so concurrent opens are safe.
    const applied = await migrateToLatest(db);
    return {kind: 'postgres', db, write, applied};
  } catch (e) {
    await db.destroy();
    throw e;
  }
}

/** host:port/database of a connection string, never the user or password (safe for logs and errors). */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unparseable connection string)';
  }
}
