import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { prepareDeliveryInbox, type InboxWork, type InboxWorkResult } from './delivery-inbox.js';

// The inbox writer thread: records, claims and ends deliveries on its own connection so that
// the commit and its fsync, and the wait for the write lock, never stall the event loop that
// answers GitHub (GITHUB-FACTS.md, Deliveries: 10 s) and runs the worker.

export type InboxRequest = { type: 'work'; items: { requestId: number; work: InboxWork }[] } | { type: 'close' };
export type InboxReply =
  { type: 'done'; replies: { requestId: number; outcome: InboxWorkResult }[] } | { type: 'closed' };

const port = parentPort;
if (port === null) throw new Error('inbox-writer-thread must run as a worker thread');
const { path } = workerData as { path: string };

const db = new Database(path);
db.pragma('busy_timeout = 5000');
const doBatch = prepareDeliveryInbox(db);

// FULL when the batch records a delivery: one answered with 202 survives a power cut, not only
// a crash, and syncing the WAL also makes every earlier commit durable. NORMAL for the worker's
// claims and ends alone (a commit survives a crash): losing one to a power cut only makes a
// delivery run again, with its wakes, which were in the same transaction, and the fsync was most
// of what each of those commits cost.
let synchronous: 'FULL' | 'NORMAL' | null = null;
const syncFor = (batch: readonly { work: InboxWork }[]): void => {
  const wanted = batch.some((entry) => entry.work.kind === 'record') ? 'FULL' : 'NORMAL';
  if (wanted === synchronous) return;
  db.pragma(`synchronous = ${wanted}`);
  synchronous = wanted;
};

let queued: { requestId: number; work: InboxWork }[] = [];
let closing = false;

// Group commit: everything that arrived in this turn of the thread's event loop shares one
// transaction and one fsync.
const commitQueued = (): void => {
  const batch = queued;
  queued = [];
  if (batch.length > 0) {
    syncFor(batch);
    const outcomes = doBatch(batch.map((entry) => entry.work));
    const reply: InboxReply = {
      type: 'done',
      replies: batch.map((entry, i) => ({
        requestId: entry.requestId,
        outcome: outcomes[i] ?? { ok: false, error: 'no outcome recorded' },
      })),
    };
    port.postMessage(reply);
  }
  if (closing) {
    db.close();
    port.postMessage({ type: 'closed' } satisfies InboxReply);
    port.close();
  }
};

port.on('message', (request: InboxRequest) => {
  if (queued.length === 0 && !closing) setImmediate(commitQueued);
  if (request.type === 'work') queued.push(...request.items);
  else closing = true;
});
