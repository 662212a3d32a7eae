import { MongoClient } from 'mongodb';
import { silentLogger, type Logger } from '../../telemetry/logger.js';
import type { Store } from '../store.js';
import { mongoAudit } from './audit.js';
import { mongoBindings } from './bindings.js';
import { collectionsOf } from './collections.js';
import { copyOutProtocol } from './copy-out.js';
import { mongoDeliveries } from './deliveries.js';
import { ensureIndexes } from './indexes.js';
import { mongoInstallations } from './installations.js';
import { mongoLeases } from './leases.js';
import { mongoRepoRows } from './repo-rows.js';
import { mongoUsers } from './users.js';
import { mongoWakeOutbox } from './wakes.js';
import { mongoWakePush } from './wake-push.js';

// The MongoDB store: the same port as the embedded one, for production and several replicas.
// It needs no multi-document transactions, so a standalone server and a replica set run the
// same code (docs/mongodb.md): claims are single-document updates, the audit chain and the
// inbox are numbered through unique indexes (sequence.ts, audit.ts), and every write that
// carries audit records uses the copy-out protocol (copy-out.ts).

export interface MongoStoreOptions {
  uri: string;
  database: string;
  /**
   * How long a process that wrote a change has to copy its audit (and a delivery's wakes) out
   * before another may (the inbox lease is the natural choice: it is how long a replica may go quiet).
   */
  finishHoldMs?: number;
  /** Where a copy-out that failed after its write is reported (it is left for recovery). */
  logger?: Logger;
}

/** How often a process looks for copy-outs of API and sync writes left by a process that died. */
const RECOVERY_INTERVAL_MS = 1000;

export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  const finishHoldMs = options.finishHoldMs ?? 60_000;
  const logger = options.logger ?? silentLogger;
  const client = new MongoClient(options.uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db = client.db(options.database);
  await ensureIndexes(db);
  const c = collectionsOf(db);
  const audit = mongoAudit(c);
  const copyOut = copyOutProtocol(audit.appendIdentified, finishHoldMs, logger);
  const carriers = [c.users, c.links, c.automations, c.triggers, c.repos, c.endpoints];
  let recoveredAt = 0;
  // Claims run all the time on every replica: they also take over what a dead writer left.
  const recoverOthers = async (now: string): Promise<void> => {
    if (Date.now() - recoveredAt < RECOVERY_INTERVAL_MS) return;
    recoveredAt = Date.now();
    await copyOut.recover(carriers, now);
  };

  return {
    ...mongoDeliveries(c, audit.appendIdentified, { finishHoldMs, logger, recoverOthers }),
    ...mongoInstallations(c),
    ...mongoUsers(c, copyOut),
    ...mongoRepoRows(c, copyOut, audit.appendIdentified),
    ...mongoBindings(c, copyOut),
    ...audit.store,
    ...mongoLeases(c),
    ...mongoWakeOutbox(c),
    ...mongoWakePush(c, copyOut),
    async ping() {
      await db.command({ ping: 1 });
    },
    async probeInbox() {
      const newest = await c.deliveries.findOne({}, { sort: { seq: -1 }, projection: { _id: 1 } });
      if (newest !== null) await c.payloads.findOne({ deliveryId: newest._id }, { projection: { _id: 1 } });
      // isMaster rather than hello: the oldest servers this store supports answer it too.
      const role = await db.command({ isMaster: 1 });
      if (role.ismaster !== true) throw new Error('the MongoDB server does not take writes (not primary)');
    },
    async close() {
      await client.close();
    },
  };
}
