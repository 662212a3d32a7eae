import { randomUUID } from 'node:crypto';
import { MongoClient, MongoServerError, type ClientSession, type Db, type UpdateFilter } from 'mongodb';
import { sealAuditRecord, type AuditCheckpoint, type AuditDraft, type AuditRecord } from '../../domain/audit/index.js';
import {
  decideRedelivery,
  newDelivery,
  readReceivedDelivery,
  type Delivery,
  type DeliveryState,
  type IncomingDelivery,
} from '../../domain/delivery.js';
import type {
  AccountType,
  Automation,
  DiscoveredBy,
  Installation,
  RepoRow,
  StoredWake,
  Trigger,
  User,
  Visibility,
  Wake,
} from '../../domain/entities.js';
import type { AuditQuery, DeliveryQuery, RecordDeliveryResult, Store } from '../store.js';
import { ensureIndexes } from './indexes.js';

// The MongoDB store: the same port as the embedded one, for production and several replicas.
//
// Every document is built field by field from typed domain values, never from a request or a
// payload, and free-form values (headers, permissions, audit before/after) are stored as JSON
// strings: nothing a client sends can become a query operator or a field name.
//
// Concurrency without multi-document transactions (docs/mongodb.md):
// - a delivery is claimed with one findOneAndUpdate on its state and lease, so two replicas never
//   hold it at once, and a dead replica's lease expires and is taken over;
// - the audit chain stays linear because `seq` is unique: a writer seals records after the
//   newest one and inserts them; if another writer took that seq first, the insert fails with a
//   duplicate key and the writer re-reads the head and seals again;
// - finishing a delivery changes its state only under its lease, then writes its wakes
//   (idempotent by id) and its audit. On a replica set these run in one transaction; on a
//   standalone server a crash between the state change and the last write loses the wakes or
//   audit records of that one delivery (docs/mongodb.md): run a replica set in production.

// String ids for platform entities and deliveries, numbers for GitHub ids (installations).
interface Doc {
  _id?: string | number;
  [field: string]: unknown;
}

const SEQ_CONFLICT_RETRIES = 100;
// Well under BSON's 16 MB document cap, leaving room for the rest of the delivery document.
const MAX_PENDING_CHARS = 8 * 1024 * 1024;
// BSON documents are capped at 16 MB and GitHub payloads at 25 MB: payloads are stored in chunks.
const PAYLOAD_CHUNK_CHARS = 4 * 1024 * 1024;

export interface MongoStoreOptions {
  uri: string;
  database: string;
  /**
   * How long a replica that finished a delivery has to copy its wakes and audit out before
   * another may (the inbox lease is the natural choice: it is how long a replica may go quiet).
   */
  finishHoldMs?: number;
}

const str = (v: unknown): string => v as string;
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const jsonOrNull = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (JSON.parse(str(v)) as T));

function toDelivery(doc: Doc): Delivery {
  return {
    seq: Number(doc.seq),
    id: str(doc._id),
    event: str(doc.event),
    action: strOrNull(doc.action),
    installationId: numOrNull(doc.installationId),
    repoId: numOrNull(doc.repoId),
    receivedAt: str(doc.receivedAt),
    headers: JSON.parse(str(doc.headers)) as Record<string, string>,
    state: str(doc.state) as DeliveryState,
    attempts: Number(doc.attempts),
    error: strOrNull(doc.error),
    reason: strOrNull(doc.reason),
    processedAt: strOrNull(doc.processedAt),
    nextAttemptAt: strOrNull(doc.nextAttemptAt),
    replayOf: strOrNull(doc.replayOf),
    traceparent: strOrNull(doc.traceparent),
    routingOutcome: strOrNull(doc.routingOutcome) as Delivery['routingOutcome'],
  };
}

function installationDoc(i: Installation): Doc {
  return {
    _id: i.id,
    accountId: i.accountId,
    accountLogin: i.accountLogin,
    accountType: i.accountType,
    targetType: i.targetType,
    permissions: i.permissions === null ? null : JSON.stringify(i.permissions),
    repositorySelection: i.repositorySelection,
    events: JSON.stringify(i.events),
    suspendedAt: i.suspendedAt,
    suspendedBy: i.suspendedBy,
    deletedAt: i.deletedAt,
    updatedAt: i.updatedAt,
  };
}

function toInstallation(doc: Doc): Installation {
  return {
    id: Number(doc._id),
    accountId: numOrNull(doc.accountId),
    accountLogin: strOrNull(doc.accountLogin),
    accountType: strOrNull(doc.accountType) as AccountType | null,
    targetType: strOrNull(doc.targetType),
    permissions: jsonOrNull<Record<string, string>>(doc.permissions),
    repositorySelection: strOrNull(doc.repositorySelection) as Installation['repositorySelection'],
    events: JSON.parse(str(doc.events)) as string[],
    suspendedAt: strOrNull(doc.suspendedAt),
    suspendedBy: strOrNull(doc.suspendedBy),
    deletedAt: strOrNull(doc.deletedAt),
    updatedAt: str(doc.updatedAt),
  };
}

// A base row keeps '' as its root directory so that the unique key stays unique (as in SQLite).
const rootKey = (root: string | null): string => root ?? '';

function repoRowDoc(row: RepoRow): Doc {
  return {
    userId: row.userId,
    repoId: row.repoId,
    rootDirectory: rootKey(row.rootDirectory),
    fullName: row.fullName,
    // GitHub compares owner/name without case; the wire server used in CI ignores collations.
    fullNameLower: row.fullName.toLowerCase(),
    owner: row.owner,
    name: row.name,
    defaultBranch: row.defaultBranch,
    visibility: row.visibility,
    archived: row.archived,
    installationId: row.installationId,
    discoveredBy: row.discoveredBy,
    lastSeenAt: row.lastSeenAt,
  };
}

function toRepoRow(doc: Doc): RepoRow {
  return {
    userId: str(doc.userId),
    repoId: Number(doc.repoId),
    rootDirectory: doc.rootDirectory === '' ? null : str(doc.rootDirectory),
    fullName: str(doc.fullName),
    owner: str(doc.owner),
    name: str(doc.name),
    defaultBranch: strOrNull(doc.defaultBranch),
    visibility: strOrNull(doc.visibility) as Visibility | null,
    archived: doc.archived === true,
    installationId: numOrNull(doc.installationId),
    discoveredBy: str(doc.discoveredBy) as DiscoveredBy,
    lastSeenAt: str(doc.lastSeenAt),
  };
}

const toUser = (doc: Doc): User => ({
  id: str(doc._id),
  githubUserId: Number(doc.githubUserId),
  githubLogin: str(doc.githubLogin),
  createdAt: str(doc.createdAt),
  updatedAt: str(doc.updatedAt),
});

const toAutomation = (doc: Doc): Automation => ({
  id: str(doc._id),
  userId: str(doc.userId),
  installationId: Number(doc.installationId),
  name: str(doc.name),
  enabled: doc.enabled === true,
  updatedAt: str(doc.updatedAt),
});

const toTrigger = (doc: Doc): Trigger => ({
  id: str(doc._id),
  userId: str(doc.userId),
  automationId: strOrNull(doc.automationId),
  installationId: Number(doc.installationId),
  repoId: Number(doc.repoId),
  repoFullName: strOrNull(doc.repoFullName),
  rootDirectory: strOrNull(doc.rootDirectory),
  events: JSON.parse(str(doc.events)) as string[],
  enabled: doc.enabled === true,
  updatedAt: str(doc.updatedAt),
});

function auditDoc(record: AuditRecord): Doc {
  return {
    _id: record.id,
    seq: record.seq,
    schemaVersion: record.schemaVersion,
    kind: record.kind,
    actor: record.actor,
    source: JSON.stringify(record.source),
    subject: JSON.stringify(record.subject),
    decision: record.decision,
    reason: record.reason,
    before: JSON.stringify(record.before),
    after: JSON.stringify(record.after),
    traceId: record.traceId,
    deliveryId: record.deliveryId,
    occurredAt: record.occurredAt,
    recordedAt: record.recordedAt,
    prevHash: record.prevHash,
    hash: record.hash,
    // Search keys, taken from the subject.
    userId: record.subject.userId ?? null,
    repoId: record.subject.repoId ?? null,
    repoFullNameLower: record.subject.repoFullName?.toLowerCase() ?? null,
    installationId: record.subject.installationId ?? null,
  };
}

function toAuditRecord(doc: Doc): AuditRecord {
  return {
    id: str(doc._id),
    seq: Number(doc.seq),
    schemaVersion: Number(doc.schemaVersion),
    kind: str(doc.kind),
    actor: str(doc.actor) as AuditRecord['actor'],
    source: JSON.parse(str(doc.source)) as AuditRecord['source'],
    subject: JSON.parse(str(doc.subject)) as AuditRecord['subject'],
    decision: str(doc.decision),
    reason: strOrNull(doc.reason),
    before: JSON.parse(str(doc.before)) as AuditRecord['before'],
    after: JSON.parse(str(doc.after)) as AuditRecord['after'],
    traceId: strOrNull(doc.traceId),
    deliveryId: strOrNull(doc.deliveryId),
    occurredAt: str(doc.occurredAt),
    recordedAt: str(doc.recordedAt),
    prevHash: strOrNull(doc.prevHash),
    hash: str(doc.hash),
  };
}

const toWake = (doc: Doc): StoredWake => ({
  seq: Number(doc.seq),
  id: str(doc._id),
  deliveryId: str(doc.deliveryId),
  triggerId: str(doc.triggerId),
  automationId: strOrNull(doc.automationId),
  userId: str(doc.userId),
  repoId: Number(doc.repoId),
  installationId: Number(doc.installationId),
  event: str(doc.event),
  action: strOrNull(doc.action),
  createdAt: str(doc.createdAt),
});

const isDuplicateKey = (error: unknown): boolean => error instanceof MongoServerError && error.code === 11000;

/**
 * Two replicas upserting the same new key at once: one inserts, the other fails on the unique
 * index (MongoDB's documented upsert race). Done again, the update finds the document.
 */
async function upsertOnce(write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await write();
  }
}

export async function openMongoStore(options: MongoStoreOptions): Promise<Store> {
  const finishHoldMs = options.finishHoldMs ?? 60_000;
  const client = new MongoClient(options.uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  const db: Db = client.db(options.database);
  await ensureIndexes(db);
  // Transactions need a replica set (or a sharded cluster); a standalone server takes the
  // documented no-transaction path.
  const hello = (await db
    .admin()
    .command({ hello: 1 })
    .catch(() => ({}))) as { setName?: string; msg?: string };
  const transactions = typeof hello.setName === 'string' || hello.msg === 'isdbgrid';

  const c = {
    deliveries: db.collection<Doc>('deliveries'),
    payloads: db.collection<Doc>('delivery_payloads'),
    installations: db.collection<Doc>('installations'),
    users: db.collection<Doc>('users'),
    links: db.collection<Doc>('user_installations'),
    repos: db.collection<Doc>('repo_rows'),
    automations: db.collection<Doc>('automations'),
    triggers: db.collection<Doc>('triggers'),
    audit: db.collection<Doc>('audit'),
    checkpoint: db.collection<Doc>('audit_checkpoint'),
    wakes: db.collection<Doc>('wakes'),
    leases: db.collection<Doc>('leases'),
  };

  /**
   * The number after the highest one present. Taken this way (and not from a counter), a number
   * becomes visible only after every lower one, so a reader's cursor never skips one that
   * commits late; two writers that read the same head collide on the unique index and retry.
   */
  const nextSeq = async (collection: 'deliveries' | 'wakes', session?: ClientSession): Promise<number> => {
    const [head] = await c[collection]
      .find({}, { projection: { seq: 1 }, ...(session ? { session } : {}) })
      .sort({ seq: -1 })
      .limit(1)
      .toArray();
    return Number(head?.seq ?? 0) + 1;
  };

  const getDeliveryNow = async (id: string): Promise<Delivery | null> => {
    const doc = await c.deliveries.findOne({ _id: id });
    return doc ? toDelivery(doc) : null;
  };

  const auditHead = async (): Promise<{ seq: number; hash: string | null }> => {
    const [last] = await c.audit
      .find({}, { projection: { seq: 1, hash: 1 } })
      .sort({ seq: -1 })
      .limit(1)
      .toArray();
    if (last !== undefined) return { seq: Number(last.seq), hash: str(last.hash) };
    const checkpoint = await checkpointNow();
    return checkpoint ? { seq: checkpoint.seq, hash: checkpoint.hash } : { seq: 0, hash: null };
  };

  const appendAuditNow = async (
    drafts: readonly { id: string; draft: AuditDraft }[],
    session?: ClientSession,
  ): Promise<AuditRecord[]> => {
    const written: AuditRecord[] = [];
    let pending = [...drafts];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const head = await auditHead();
      const recordedAt = new Date().toISOString();
      let prevHash = head.hash;
      const sealed = pending.map(({ id, draft }, i) => {
        const record = sealAuditRecord(draft, { id, seq: head.seq + i + 1, recordedAt, prevHash });
        prevHash = record.hash;
        return record;
      });
      try {
        await c.audit.insertMany(sealed.map(auditDoc), { ordered: true, ...(session ? { session } : {}) });
        written.push(...sealed);
        pending = [];
      } catch (error) {
        // Another writer took a sequence number: keep what was inserted (a valid extension of
        // the chain), re-read the head and seal the rest after it.
        if (!isDuplicateKey(error) || attempt >= SEQ_CONFLICT_RETRIES || session !== undefined) throw error;
        const inserted = await c.audit.countDocuments({ _id: { $in: sealed.map((r) => r.id) } });
        written.push(...sealed.slice(0, inserted));
        pending = pending.slice(inserted);
      }
    }
    return written;
  };

  const checkpointNow = async (): Promise<AuditCheckpoint | null> => {
    const doc = await c.checkpoint.findOne({ _id: 1 });
    return doc
      ? { seq: Number(doc.seq), hash: str(doc.hash), prunedAt: str(doc.prunedAt), pruned: Number(doc.pruned) }
      : null;
  };

  const readPayload = async (id: string): Promise<string | null> => {
    const chunks = await c.payloads.find({ deliveryId: id }).sort({ n: 1 }).toArray();
    return chunks.length === 0 ? null : chunks.map((chunk) => str(chunk.data)).join('');
  };

  /**
   * Inserts a document under the next number of a counter. A duplicate _id means it is there
   * already (false); a duplicate seq means another writer got that number too, so take the next.
   */
  const insertNumbered = async (
    collection: 'deliveries' | 'wakes',
    doc: Doc & { _id: string },
    session?: ClientSession,
  ): Promise<number | null> => {
    for (let attempt = 0; ; attempt++) {
      const seq = await nextSeq(collection, session);
      try {
        await c[collection].insertOne({ ...doc, seq }, session ? { session } : {});
        return seq;
      } catch (error) {
        if (!isDuplicateKey(error) || session !== undefined || attempt >= SEQ_CONFLICT_RETRIES) throw error;
        if ((await c[collection].countDocuments({ _id: doc._id })) > 0) return null;
      }
    }
  };

  // Its id makes a wake idempotent: the same delivery never wakes a trigger twice.
  const insertWakes = async (wakes: readonly Wake[], session?: ClientSession): Promise<void> => {
    for (const wake of wakes) await insertNumbered('wakes', { ...wakeFields(wake), _id: wake.id }, session);
  };

  /**
   * Without transactions, a finished delivery carries its wakes and audit records in the same
   * single-document update that ends it (atomic on its own), then they are copied out. A replica
   * that dies in between leaves them there; any replica copies them out once `pendingUntil` has
   * passed. Record ids are fixed in advance, so a copy that is repeated adds nothing twice.
   */
  const flushPending = async (id: string): Promise<void> => {
    const doc = await c.deliveries.findOne({ _id: id }, { projection: { pending: 1 } });
    if (typeof doc?.pending !== 'string') return;
    const pending = JSON.parse(doc.pending) as { wakes: Wake[]; audit: { id: string; draft: AuditDraft }[] };
    await insertWakes(pending.wakes);
    const present = new Set(
      (await c.audit.find({ _id: { $in: pending.audit.map((a) => a.id) } }, { projection: { _id: 1 } }).toArray()).map(
        (found) => found._id,
      ),
    );
    await appendAuditNow(pending.audit.filter((a) => !present.has(a.id)));
    // Only the copy-out that was read: a newer one (a later attempt's) stays for its own copy.
    await c.deliveries.updateOne({ _id: id, pending: doc.pending }, { $set: { pending: null, pendingUntil: null } });
  };

  /** Takes over the copying of one delivery whose finisher died (see flushPending). */
  const recoverPending = async (now: string): Promise<void> => {
    const orphan = await c.deliveries.findOneAndUpdate(
      { pending: { $type: 'string' }, pendingUntil: { $lte: now } },
      { $set: { pendingUntil: new Date(Date.parse(now) + finishHoldMs).toISOString() } },
    );
    if (orphan !== null) await flushPending(str(orphan._id));
  };

  const endDelivery = async (
    id: string,
    workerId: string,
    set: Doc,
    audit: readonly AuditDraft[],
    wakes: readonly Wake[],
  ): Promise<boolean> => {
    const claimed = { _id: id, state: 'processing', leaseOwner: workerId };
    const ended = { ...set, leaseOwner: null, leaseUntil: null };
    if (transactions)
      return client.withSession((session) =>
        session.withTransaction(async () => {
          if ((await c.deliveries.updateOne(claimed, { $set: ended }, { session })).modifiedCount === 0) return false;
          await insertWakes(wakes, session);
          await appendAuditNow(
            audit.map((draft) => ({ id: randomUUID(), draft })),
            session,
          );
          return true;
        }),
      );
    const pending = JSON.stringify({ wakes, audit: audit.map((draft) => ({ id: randomUUID(), draft })) });
    if (pending.length > MAX_PENDING_CHARS) {
      // Too large to travel in the document (BSON caps it at 16 MB), e.g. an installation deleted
      // with tens of thousands of rows: written in order instead, without that atomicity.
      if ((await c.deliveries.updateOne(claimed, { $set: ended })).modifiedCount === 0) return false;
      await insertWakes(wakes);
      await appendAuditNow(audit.map((draft) => ({ id: randomUUID(), draft })));
      return true;
    }
    const pendingUntil = new Date(Date.now() + finishHoldMs).toISOString();
    const result = await c.deliveries.updateOne(claimed, { $set: { ...ended, pending, pendingUntil } });
    if (result.modifiedCount === 0) return false;
    // The delivery is finished: if copying out fails here, recoverPending does it after the hold,
    // so the failure must not make the worker treat an applied delivery as a failed step.
    await flushPending(id).catch(() => undefined);
    return true;
  };

  const recordDelivery = async (incoming: IncomingDelivery, now: string): Promise<RecordDeliveryResult> => {
    const { payload } = incoming;
    const existing = await getDeliveryNow(incoming.id);
    if (existing === null) {
      // The payload first: a delivery document is never visible without its payload.
      for (let n = 0, at = 0, end = 0; at < payload.length || n === 0; n++, at = end) {
        end = Math.min(payload.length, at + PAYLOAD_CHUNK_CHARS);
        // Never between the halves of a surrogate pair: BSON would store each half as U+FFFD.
        if (end < payload.length && /[\uD800-\uDBFF]/.test(payload.charAt(end - 1))) end -= 1;
        await upsertOnce(() =>
          c.payloads.updateOne(
            { _id: `${incoming.id}:${n}` },
            { $set: { deliveryId: incoming.id, n, data: payload.slice(at, end) } },
            { upsert: true },
          ),
        );
      }
      const { seq: _seq, id, headers, ...fresh } = newDelivery(incoming, 0);
      const doc = { _id: id, ...fresh, headers: JSON.stringify(headers), leaseOwner: null, leaseUntil: null };
      // null: another replica stored the same delivery a moment ago (a redelivery racing the original).
      const seq = await insertNumbered('deliveries', doc);
      if (seq !== null) return { status: 'accepted', delivery: newDelivery(incoming, seq) };
    }
    const stored = existing ?? (await getDeliveryNow(incoming.id));
    if (stored === null) throw new Error(`delivery ${incoming.id} vanished while being recorded`);
    const decision = decideRedelivery(stored);
    if (decision.status === 'requeued')
      await c.deliveries.updateOne(
        { _id: incoming.id, state: 'failed', nextAttemptAt: null },
        { $set: { state: 'received' } },
      );
    if (decision.status === 'pending' && decision.makeDueNow)
      await c.deliveries.updateOne({ _id: incoming.id, state: 'failed' }, { $set: { nextAttemptAt: now } });
    return { status: decision.status, delivery: (await getDeliveryNow(incoming.id)) ?? stored };
  };

  return {
    recordDelivery,
    async receiveDelivery(received, now) {
      const reading = readReceivedDelivery(received);
      return reading.ok ? recordDelivery(reading.incoming, now) : { status: 'malformed', problem: reading.problem };
    },
    async claimNextDelivery(claim) {
      await recoverPending(claim.now);
      const underClaim = await c.deliveries.distinct('installationId', {
        state: 'processing',
        leaseUntil: { $gt: claim.now },
        installationId: { $ne: null },
      });
      const doc = await c.deliveries.findOneAndUpdate(
        {
          // Not while an earlier attempt's copy-out is pending: a new finish would replace it.
          pending: null,
          // One at a time per installation ($nin also matches deliveries without one).
          ...(underClaim.length > 0 ? { installationId: { $nin: underClaim } } : {}),
          $or: [
            { state: 'received' },
            { state: 'failed', nextAttemptAt: { $ne: null, $lte: claim.now } },
            { state: 'processing', leaseUntil: { $lte: claim.now } },
          ],
        },
        // The driver's types reject $inc next to an index signature; the update itself is plain.
        {
          $set: { state: 'processing', leaseOwner: claim.workerId, leaseUntil: claim.leaseUntil },
          $inc: { attempts: 1 },
        } as unknown as UpdateFilter<Doc>,
        { sort: { seq: 1 }, returnDocument: 'after' },
      );
      return doc ? toDelivery(doc) : null;
    },
    async nextRetryAt() {
      const [doc] = await c.deliveries
        .find({ state: 'failed', nextAttemptAt: { $ne: null } }, { projection: { nextAttemptAt: 1 } })
        .sort({ nextAttemptAt: 1 })
        .limit(1)
        .toArray();
      return strOrNull(doc?.nextAttemptAt);
    },
    async finishDelivery(id, workerId, finish) {
      return endDelivery(
        id,
        workerId,
        {
          state: finish.state,
          reason: finish.reason,
          processedAt: finish.processedAt,
          nextAttemptAt: null,
          routingOutcome: finish.routingOutcome ?? null,
        },
        finish.audit,
        finish.wakes ?? [],
      );
    },
    async failDelivery(id, workerId, failure) {
      return endDelivery(
        id,
        workerId,
        {
          state: 'failed',
          error: failure.error,
          processedAt: failure.processedAt,
          nextAttemptAt: failure.nextAttemptAt,
        },
        failure.audit,
        [],
      );
    },
    getDelivery: getDeliveryNow,
    async getDeliveriesByIds(ids) {
      return (await c.deliveries.find({ _id: { $in: [...ids] } }).toArray()).map(toDelivery);
    },
    getDeliveryPayload: readPayload,
    async listDeliveries(query: DeliveryQuery) {
      const filter: Doc = {};
      const seq: Doc = {};
      if (query.beforeSeq !== undefined) seq.$lt = query.beforeSeq;
      if (Object.keys(seq).length > 0) filter.seq = seq;
      if (query.state !== undefined) filter.state = query.state;
      if (query.repoId !== undefined) filter.repoId = query.repoId;
      if (query.routingOutcomes !== undefined) filter.routingOutcome = { $in: [...query.routingOutcomes] };
      const found = await c.deliveries.find(filter).sort({ seq: -1 }).limit(query.limit).toArray();
      return found.map(toDelivery);
    },
    async inboxBacklog() {
      const pending = {
        $or: [{ state: { $in: ['received', 'processing'] } }, { state: 'failed', nextAttemptAt: { $ne: null } }],
      };
      const [oldest] = await c.deliveries
        .find(pending, { projection: { receivedAt: 1 } })
        .sort({ seq: 1 })
        .limit(1)
        .toArray();
      return { pending: await c.deliveries.countDocuments(pending), oldestReceivedAt: strOrNull(oldest?.receivedAt) };
    },
    async listWakes(query) {
      const filter = query.afterSeq === undefined ? {} : { seq: { $gt: query.afterSeq } };
      return (await c.wakes.find(filter).sort({ seq: 1 }).limit(query.limit).toArray()).map(toWake);
    },

    async upsertInstallation(installation) {
      const { _id: _unused, ...fields } = installationDoc(installation);
      await upsertOnce(() => c.installations.updateOne({ _id: installation.id }, { $set: fields }, { upsert: true }));
    },
    async getInstallation(id) {
      const doc = await c.installations.findOne({ _id: id });
      return doc ? toInstallation(doc) : null;
    },
    async listInstallations(ids) {
      if (ids.length === 0) return [];
      const found = await c.installations
        .find({ _id: { $in: [...ids] } })
        .sort({ _id: 1 })
        .toArray();
      return found.map(toInstallation);
    },
    async listInstallationPage(page) {
      const found = await c.installations
        .find(page.afterId === undefined ? {} : { _id: { $gt: page.afterId } })
        .sort({ _id: 1 })
        .limit(page.limit)
        .toArray();
      return found.map(toInstallation);
    },
    async countInstallationsByState() {
      const counts = { active: 0, suspended: 0, deleted: 0 };
      for (const doc of await c.installations.find({}, { projection: { suspendedAt: 1, deletedAt: 1 } }).toArray()) {
        counts[doc.deletedAt != null ? 'deleted' : doc.suspendedAt != null ? 'suspended' : 'active'] += 1;
      }
      return counts;
    },

    async upsertUser(user) {
      await upsertOnce(() =>
        c.users.updateOne(
          { _id: user.id },
          {
            $set: {
              githubUserId: user.githubUserId,
              githubLogin: user.githubLogin,
              createdAt: user.createdAt,
              updatedAt: user.updatedAt,
            },
          },
          { upsert: true },
        ),
      );
    },
    async getUser(id) {
      const doc = await c.users.findOne({ _id: id });
      return doc ? toUser(doc) : null;
    },
    async linkInstallation(userId, installationId, linkedAt) {
      try {
        await c.links.insertOne({ _id: `${userId}\u0000${installationId}`, userId, installationId, linkedAt });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async unlinkInstallation(userId, installationId) {
      return (await c.links.deleteOne({ _id: `${userId}\u0000${installationId}` })).deletedCount > 0;
    },
    async listLinkedInstallationIds(userId) {
      const found = await c.links.find({ userId }).sort({ installationId: 1 }).toArray();
      return found.map((doc) => Number(doc.installationId));
    },
    async listUsersLinkedTo(installationId) {
      const found = await c.links.find({ installationId }).sort({ userId: 1 }).toArray();
      return found.map((doc) => str(doc.userId));
    },

    async writeRepoRows(rows, audit) {
      const upserts = rows.map((row) => {
        const doc = repoRowDoc(row);
        return {
          updateOne: {
            filter: { userId: doc.userId, repoId: doc.repoId, rootDirectory: doc.rootDirectory },
            update: { $set: doc },
            upsert: true,
          },
        };
      });
      const sealed = audit.map((draft) => ({ id: randomUUID(), draft }));
      if (transactions) {
        await client.withSession((session) =>
          session.withTransaction(async () => {
            if (upserts.length > 0) await c.repos.bulkWrite(upserts, { ordered: false, session });
            await appendAuditNow(sealed, session);
          }),
        );
        return;
      }
      // Without a replica set the rows land first and their audit right after; upserts are
      // idempotent, so a retry after a lost race for a new key changes nothing already written.
      if (upserts.length > 0) await upsertOnce(() => c.repos.bulkWrite(upserts, { ordered: false }));
      if (sealed.length > 0) await appendAuditNow(sealed);
    },
    async getRepoRow(key) {
      const doc = await c.repos.findOne({
        userId: key.userId,
        repoId: key.repoId,
        rootDirectory: rootKey(key.rootDirectory),
      });
      return doc ? toRepoRow(doc) : null;
    },
    async listRepoRows(userId, page) {
      const filter: Doc = { userId };
      if (page.installationId !== undefined) filter.installationId = page.installationId;
      if (page.after !== undefined) {
        const root = rootKey(page.after.rootDirectory);
        filter.$or = [
          { repoId: { $gt: page.after.repoId } },
          { repoId: page.after.repoId, rootDirectory: { $gt: root } },
        ];
      }
      const found = await c.repos.find(filter).sort({ repoId: 1, rootDirectory: 1 }).limit(page.limit).toArray();
      return found.map(toRepoRow);
    },
    async listRepoRowsOfRepos(userId, repoIds) {
      const found = await c.repos
        .find({ userId, repoId: { $in: [...repoIds] } })
        .sort({ repoId: 1, rootDirectory: 1 })
        .toArray();
      return found.map(toRepoRow);
    },
    async listRepoRowInstallationIds(userId) {
      const ids = await c.repos.distinct('installationId', { userId });
      return ids
        .filter((id): id is number => typeof id === 'number')
        .map(Number)
        .sort((a, b) => a - b);
    },
    async countRepoRows(userId, installationId) {
      return c.repos.countDocuments({ userId, installationId });
    },
    async listRepoRowsByRepoId(repoId) {
      const found = await c.repos.find({ repoId }).sort({ userId: 1, rootDirectory: 1 }).toArray();
      return found.map(toRepoRow);
    },
    async listRepoRowsByFullName(fullName) {
      const found = await c.repos
        .find({ fullNameLower: fullName.toLowerCase() })
        .sort({ userId: 1, repoId: 1, rootDirectory: 1 })
        .toArray();
      return found.map(toRepoRow);
    },
    async listRepoRowsByInstallation(installationId, page) {
      const filter: Doc = { installationId };
      if (page.after !== undefined) {
        const { userId, repoId } = page.after;
        const root = rootKey(page.after.rootDirectory);
        filter.$or = [
          { userId: { $gt: userId } },
          { userId, repoId: { $gt: repoId } },
          { userId, repoId, rootDirectory: { $gt: root } },
        ];
      }
      const found = await c.repos
        .find(filter)
        .sort({ userId: 1, repoId: 1, rootDirectory: 1 })
        .limit(page.limit)
        .toArray();
      return found.map(toRepoRow);
    },
    async deleteRepoRow(key) {
      const deleted = await c.repos.deleteOne({
        userId: key.userId,
        repoId: key.repoId,
        rootDirectory: rootKey(key.rootDirectory),
      });
      return deleted.deletedCount > 0;
    },
    async deleteRepoRowsByRepoId(repoId) {
      return (await c.repos.deleteMany({ repoId })).deletedCount;
    },
    async countReposByCoverage() {
      const counts = { covered: 0, visible_only: 0, bound_to_gone: 0 };
      const groups = await c.repos
        .aggregate<{ _id: number | null; n: number }>([
          { $match: { rootDirectory: '' } },
          { $group: { _id: '$installationId', n: { $sum: 1 } } },
        ])
        .toArray();
      const ids = groups.map((g) => g._id).filter((id): id is number => id !== null);
      const live = new Set(
        (await c.installations.find({ _id: { $in: ids }, deletedAt: null }, { projection: { _id: 1 } }).toArray()).map(
          (doc) => Number(doc._id),
        ),
      );
      for (const group of groups) {
        const coverage = group._id === null ? 'visible_only' : live.has(group._id) ? 'covered' : 'bound_to_gone';
        counts[coverage] += group.n;
      }
      return counts;
    },

    async putAutomation(automation) {
      await upsertOnce(() =>
        c.automations.updateOne(
          { _id: automation.id },
          {
            $set: {
              userId: automation.userId,
              installationId: automation.installationId,
              name: automation.name,
              enabled: automation.enabled,
              updatedAt: automation.updatedAt,
            },
          },
          { upsert: true },
        ),
      );
    },
    async getAutomation(id) {
      const doc = await c.automations.findOne({ _id: id });
      return doc ? toAutomation(doc) : null;
    },
    async deleteAutomation(id) {
      return (await c.automations.deleteOne({ _id: id })).deletedCount > 0;
    },
    async listAutomationsByUser(userId) {
      return (await c.automations.find({ userId }).sort({ _id: 1 }).toArray()).map(toAutomation);
    },
    async putTrigger(trigger) {
      await upsertOnce(() =>
        c.triggers.updateOne(
          { _id: trigger.id },
          {
            $set: {
              userId: trigger.userId,
              automationId: trigger.automationId,
              installationId: trigger.installationId,
              repoId: trigger.repoId,
              repoFullName: trigger.repoFullName,
              rootDirectory: trigger.rootDirectory,
              events: JSON.stringify(trigger.events),
              enabled: trigger.enabled,
              updatedAt: trigger.updatedAt,
            },
          },
          { upsert: true },
        ),
      );
    },
    async getTrigger(id) {
      const doc = await c.triggers.findOne({ _id: id });
      return doc ? toTrigger(doc) : null;
    },
    async deleteTrigger(id) {
      return (await c.triggers.deleteOne({ _id: id })).deletedCount > 0;
    },
    async listTriggersByUser(userId) {
      return (await c.triggers.find({ userId }).sort({ _id: 1 }).toArray()).map(toTrigger);
    },
    async listTriggersByRepoId(repoId) {
      return (await c.triggers.find({ repoId }).sort({ _id: 1 }).toArray()).map(toTrigger);
    },

    async appendAudit(drafts) {
      return appendAuditNow(drafts.map((draft) => ({ id: randomUUID(), draft })));
    },
    async listAudit(query: AuditQuery) {
      const filter: Doc = {};
      const seq: Doc = {};
      if (query.afterSeq !== undefined) seq.$gt = query.afterSeq;
      if (query.beforeSeq !== undefined) seq.$lt = query.beforeSeq;
      if (Object.keys(seq).length > 0) filter.seq = seq;
      if (query.deliveryId !== undefined) filter.deliveryId = query.deliveryId;
      if (query.traceId !== undefined) filter.traceId = query.traceId;
      if (query.userId !== undefined) filter.userId = query.userId;
      if (query.installationId !== undefined) filter.installationId = query.installationId;
      if (query.kind !== undefined) filter.kind = query.kind;
      if (query.since !== undefined) filter.occurredAt = { $gte: query.since };
      if (query.repo !== undefined) {
        const about: Doc[] = [{ repoId: { $in: [...query.repo.ids] } }];
        if (query.repo.fullName !== undefined) about.push({ repoFullNameLower: query.repo.fullName.toLowerCase() });
        filter.$or = about;
      }
      const found = await c.audit
        .find(filter)
        .sort({ seq: query.order === 'newest' ? -1 : 1 })
        .limit(query.limit)
        .toArray();
      return found.map(toAuditRecord);
    },
    async countAuditByReason(kind) {
      const groups = await c.audit
        .aggregate<{ _id: string | null; n: number }>([
          { $match: { kind } },
          { $group: { _id: '$reason', n: { $sum: 1 } } },
        ])
        .toArray();
      return Object.fromEntries(groups.map((g) => [g._id ?? '', g.n]));
    },
    auditCheckpoint: checkpointNow,
    async pruneAudit(recordedBefore, prunedAt) {
      const [firstKept] = await c.audit
        .find({ recordedAt: { $gte: recordedBefore } })
        .sort({ seq: 1 })
        .limit(1)
        .toArray();
      const [newest] = await c.audit.find({}).sort({ seq: -1 }).limit(1).toArray();
      const keepFrom = firstKept?.seq ?? newest?.seq;
      const previous = await checkpointNow();
      if (keepFrom === undefined) return { pruned: 0, checkpoint: previous };
      const [last] = await c.audit
        .find({ seq: { $lt: keepFrom } })
        .sort({ seq: -1 })
        .limit(1)
        .toArray();
      if (last === undefined) return { pruned: 0, checkpoint: previous };
      const count = await c.audit.countDocuments({ seq: { $lt: keepFrom } });
      const checkpoint: AuditCheckpoint = {
        seq: Number(last.seq),
        hash: str(last.hash),
        prunedAt,
        pruned: (previous?.pruned ?? 0) + count,
      };
      // The checkpoint first (a crash before the delete leaves records that verification skips),
      // and only forwards: another replica's prune may have moved it further already.
      try {
        await c.checkpoint.updateOne(
          { _id: 1, seq: { $lt: checkpoint.seq } },
          { $set: { ...checkpoint } },
          { upsert: true },
        );
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const deleted = (await c.audit.deleteMany({ seq: { $lt: keepFrom } })).deletedCount;
      return { pruned: deleted, checkpoint: (await checkpointNow()) ?? checkpoint };
    },

    async acquireLease(name, holder, now, until) {
      try {
        const result = await c.leases.updateOne(
          { _id: name, $or: [{ holder }, { until: { $lte: now } }] },
          { $set: { holder, until } },
          { upsert: true },
        );
        return result.matchedCount + result.upsertedCount > 0;
      } catch (error) {
        // The filter missed because another holder's lease is current, so the upsert tried to
        // insert a second document with its name; the same happens to the loser of two first takes.
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    },
    async releaseLease(name, holder) {
      return (await c.leases.deleteOne({ _id: name, holder })).deletedCount > 0;
    },
    async getLease(name) {
      const doc = await c.leases.findOne({ _id: name });
      return doc === null ? null : { name, holder: str(doc.holder), until: str(doc.until) };
    },

    async ping() {
      await db.command({ ping: 1 });
    },
    async close() {
      await client.close();
    },
  };
}

function wakeFields(wake: Wake): Doc {
  return {
    deliveryId: wake.deliveryId,
    triggerId: wake.triggerId,
    automationId: wake.automationId,
    userId: wake.userId,
    repoId: wake.repoId,
    installationId: wake.installationId,
    event: wake.event,
    action: wake.action,
    createdAt: wake.createdAt,
  };
}
