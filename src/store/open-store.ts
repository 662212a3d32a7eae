import type { StoreConfig } from '../config.js';
import type { Logger } from '../telemetry/logger.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** How long a MongoDB replica that wrote a change has to copy its audit out (the inbox lease). */
  finishHoldMs: number;
  logger: Logger;
}

/**
 * Opens the configured store. Each adapter is imported only when chosen: the MongoDB driver and
 * its dependencies take about 20 MB of a process that runs on the embedded store.
 */
export async function openStore(config: StoreConfig, options: OpenStoreOptions): Promise<Store> {
  if (config.kind === 'mongodb') {
    const { openMongoStore } = await import('./mongo/mongo-store.js');
    return openMongoStore({ uri: config.uri, database: config.database, ...options });
  }
  const { openSqliteStore } = await import('./sqlite/sqlite-store.js');
  return openSqliteStore({ path: config.path });
}
