import { Worker } from 'node:worker_threads';
import type { ReceiveDeliveryResult } from '../store.js';
import type { InboxItem } from './delivery-inbox.js';
import type { InboxReply, InboxRequest } from './inbox-writer-thread.js';

export interface InboxWriter {
  record(item: InboxItem): Promise<ReceiveDeliveryResult>;
  /** Waits for every delivery already handed over to be committed, then stops the thread. */
  close(): Promise<void>;
}

interface Pending {
  resolve: (result: ReceiveDeliveryResult) => void;
  reject: (error: Error) => void;
}

/**
 * A received payload's memory, when the payload owns all of it, moves to the thread instead of
 * being copied (a 25 MB body would otherwise exist twice). A small one shares Node's buffer pool
 * with other buffers and is copied.
 */
function transferablePayload(item: InboxItem): ArrayBuffer[] {
  if (!('received' in item)) return [];
  const { buffer, byteOffset, byteLength } = item.received.payload;
  return buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength ? [buffer] : [];
}

const THREAD_URL = new URL('./inbox-writer-thread.js', import.meta.url);

/** The main thread's side of the inbox writer thread; a thread that dies is replaced on the next call. */
export function startInboxWriter(path: string): InboxWriter {
  const pending = new Map<number, Pending>();
  let nextRequestId = 1;
  let worker: Worker | null = null;
  let closed: Promise<void> | null = null;

  const failAll = (error: Error): void => {
    for (const entry of pending.values()) entry.reject(error);
    pending.clear();
  };

  const spawnThread = (): Worker => {
    const thread = new Worker(THREAD_URL, { workerData: { path } });
    thread.on('message', (reply: InboxReply) => {
      if (reply.type !== 'recorded') return;
      for (const { requestId, outcome } of reply.replies) {
        const entry = pending.get(requestId);
        pending.delete(requestId);
        if (outcome.ok) entry?.resolve(outcome.result);
        else entry?.reject(new Error(`the inbox could not store the delivery: ${outcome.error}`));
      }
    });
    thread.on('error', (error) => failAll(new Error(`the inbox writer thread failed: ${error.message}`)));
    thread.on('exit', () => {
      if (worker === thread) worker = null;
      failAll(new Error('the inbox writer thread stopped before storing the delivery'));
    });
    return thread;
  };

  // One message per turn of the event loop for every delivery handed over in it: a burst of
  // acknowledgements costs one post, and the thread commits them in one transaction anyway.
  let outbox: { requestId: number; item: InboxItem }[] = [];
  const post = (): void => {
    const items = outbox;
    outbox = [];
    worker ??= spawnThread();
    worker.postMessage(
      { type: 'record', items } satisfies InboxRequest,
      items.flatMap((entry) => transferablePayload(entry.item)),
    );
  };

  return {
    record(item) {
      if (closed !== null) return Promise.reject(new Error('the store is closed'));
      const requestId = nextRequestId++;
      return new Promise((resolve, reject) => {
        pending.set(requestId, { resolve, reject });
        if (outbox.length === 0) setImmediate(post);
        outbox.push({ requestId, item });
      });
    },
    close() {
      closed ??= (async () => {
        if (outbox.length > 0) post();
        const thread = worker;
        if (thread === null) return;
        const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
        thread.postMessage({ type: 'close' } satisfies InboxRequest);
        await exited;
      })();
      return closed;
    },
  };
}
