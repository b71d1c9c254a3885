// Test support for the store suites: fresh SQLite files or Postgres databases to open stores on, direct SQL to
// inspect or tamper with them, and small builders for runs, steps and audit input.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type {AuditInput, Json, NewRun, StepSpec, Subject} from '../../engine/types.js';
import {openStore} from '../index.js';
import type {SqlRunStore, StoreOptions} from '../index.js';

export type Kind = 'sqlite' | 'postgres';

export interface Target {
  readonly kind: Kind;
  readonly options: StoreOptions;
}

export interface StoreTargets {
  readonly dir: string;
  /** A new, empty database; Postgres ones come from `createDatabase` (one cluster per test file). */
  fresh(kind: Kind): Promise<Target>;
  /** Opens a store (its own connection or pool) and closes it in cleanup(). */
  open(target: Target): Promise<SqlRunStore>;
  cleanup(): Promise<void>;
}

export function createStoreTargets(createDatabase?: () => Promise<string>): StoreTargets {
  const dir = mkdtempSync(path.join(tmpdir(), 'offboard-store-'));
  const opened: SqlRunStore[] = [];
  let count = 0;
  return {
    dir,
    async fresh(kind) {
      count += 1;
      if (kind === 'sqlite') return {kind, options: {kind, path: path.join(dir, `store-${count}.sqlite`)}};
      if (!createDatabase) throw new Error('no Postgres cluster for this test file');
      return {kind, options: {kind, url: await createDatabase()}};
    },
    async open(target) {
      const store = await openStore(target.options);
      opened.push(store);
      return store;
    },
    async cleanup() {
      await Promise.all(opened.map((s) => s.close()));
      rmSync(dir, {recursive: true, force: true});
    },
  };
}

/** Direct SQL on the same database, bypassing the store (to inspect it or to tamper with it). */
export async function rawSql(target: Target, text: string): Promise<Record<string, unknown>[]> {
  if (target.options.kind === 'sqlite') {
    const db = new BetterSqlite3(target.options.path);
    try {
      const statement = db.prepare(text);
      if (statement.reader) return statement.all() as Record<string, unknown>[];
      statement.run();
      return [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({connectionString: target.options.url});
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

export const subject: Subject = {
  userId: 'u-alice', username: 'alice', email: 'alice@example.com', displayName: 'Alice Liddell',
  roles: ['system_user'], isBot: false,
};

let ids = 0;

export function nextId(prefix: string): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

export function newRun(id: string, over: Partial<NewRun> = {}): NewRun {
  return {
    id, status: 'running', subject, initiatorId: 'u-admin', planId: 'plan-1', options: {deactivate: true},
    scheduledAt: null, approvalRequired: false, createdAt: 1_000, ...over,
  };
}

export function spec(id: string, over: Partial<StepSpec> = {}): StepSpec {
  return {
    id, provider: 'github', phase: 'revoke', action: 'remove_member', target: `t-${id}`, title: `Remove ${id}`,
    kind: 'auto', dependsOn: [], params: {org: 'acme'}, ...over,
  };
}

export function event(action: string, at = 1_000, evidence: {[key: string]: Json} = {}): AuditInput {
  return {actor: 'system', action, target: 'run', outcome: 'ok', evidence, at};
}

/** Creates a run of auto steps with the given ids and returns its id. */
export async function runWithSteps(store: SqlRunStore, stepIds: readonly string[], over: Partial<NewRun> = {}):
  Promise<string> {
  const id = nextId('run');
  await store.createRun(newRun(id, over), stepIds.map((s) => spec(s)), event('run.created'));
  return id;
}
