// Shared CLI plumbing: load the configuration (the one place process.env is handed over), build the logger,
// and wait for background discovery.
import {configPathFromEnv, loadConfig, type OffboardConfig} from '../config.js';
import {ConfigError} from '../engine/errors.js';
import type {InventoryRecord, RunStore} from '../engine/ports.js';
import type {Logger} from '../engine/types.js';
import {createLogger} from '../logger.js';
import {ALL_PROVIDERS} from '../providers/index.js';
import type {ServiceDeps} from '../service/deps.js';
import {RequestError} from '../service/errors.js';
import {inventoryDone} from '../service/inventory.js';
import {openStore} from '../store/index.js';

export interface CliOptions {
  readonly config?: string;
  readonly debug?: boolean;
}

export function loadCliConfig(o: CliOptions, logTo: 'stdout' | 'stderr' = 'stderr'): {config: OffboardConfig; log: Logger} {
  const path = o.config ?? configPathFromEnv(process.env);
  if (!path) {
    throw new ConfigError('No configuration: pass --config <file> or set OFFBOARD_CONFIG '
      + '(`offboard configure` prints a commented example).');
  }
  const config = loadConfig({path, env: process.env, providers: ALL_PROVIDERS});
  const log = createLogger({
    level: config.log.level, debug: o.debug, destination: logTo === 'stdout' ? process.stdout : process.stderr,
  });
  return {config, log};
}

/** Waits until every provider of the inventory finished discovery. */
export async function waitForInventory(deps: ServiceDeps, id: string): Promise<InventoryRecord> {
  await Promise.allSettled([...deps.background]);
  const record = await deps.store.getInventory(id);
  if (!record || !inventoryDone(record)) throw new RequestError('internal', `Inventory ${id} did not finish.`);
  return record;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Opens the configured store for read-mostly commands (status, export) that need no Mattermost connection. */
export async function withStore<T>(o: CliOptions, fn: (store: RunStore) => Promise<T>): Promise<T> {
  const {config, log} = loadCliConfig(o);
  const store = await openStore(config.database.url
    ? {kind: 'postgres', url: config.database.url} : {kind: 'sqlite', path: config.database.sqlite_path}, log);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
