import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { prepareDeliveryInbox, type InboxItem, type InboxItemResult } from './delivery-inbox.js';

// The inbox writer thread: records deliveries on its own connection so that the commit and its
// fsync never stall the event loop that answers GitHub (GITHUB-FACTS.md, Deliveries: 10 s).

export type InboxRequest = { type: 'record'; items: { requestId: number; item: InboxItem }[] } | { type: 'close' };
export type InboxReply =
  { type: 'recorded'; replies: { requestId: number; outcome: InboxItemResult }[] } | { type: 'closed' };

const port = parentPort;
if (port === null) throw new Error('inbox-writer-thread must run as a worker thread');
const { path } = workerData as { path: string };

const db = new Database(path);
db.pragma('busy_timeout = 5000');
// FULL: a delivery answered with 202 survives a power cut, not only a crash; syncing the WAL
// also makes every earlier commit of the main connection durable.
db.pragma('synchronous = FULL');
const recordBatch = prepareDeliveryInbox(db);

let queued: { requestId: number; item: InboxItem }[] = [];
let closing = false;

// Group commit: every request that arrived in this turn of the thread's event loop shares one
// transaction and one fsync.
const commitQueued = (): void => {
  const batch = queued;
  queued = [];
  if (batch.length > 0) {
    const outcomes = recordBatch(batch.map((entry) => entry.item));
    const reply: InboxReply = {
      type: 'recorded',
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
  if (request.type === 'record') queued.push(...request.items);
  else closing = true;
});
