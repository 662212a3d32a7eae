import { Worker } from 'node:worker_threads';
import type { Delivery } from '../../domain/delivery.js';
import type { DeliveryClaim, ReceiveDeliveryResult } from '../store.js';
import type { DeliveryEnding, InboxAnswer, InboxItem, InboxWork } from './delivery-inbox.js';
import type { InboxReply, InboxRequest } from './inbox-writer-thread.js';

/** The inbox's writes, each answered once committed by the writer thread. */
export interface InboxWriter {
  record(item: InboxItem): Promise<ReceiveDeliveryResult>;
  /** The oldest delivery due, claimed; null when none is. */
  claim(claim: DeliveryClaim): Promise<Delivery | null>;
  /** False when the claim was lost (another worker holds the delivery now). */
  end(ending: DeliveryEnding): Promise<boolean>;
  /** Waits for every piece of work already handed over to be committed, then stops the thread. */
  close(): Promise<void>;
}

interface Pending {
  resolve: (answer: InboxAnswer) => void;
  reject: (error: Error) => void;
}

/**
 * A received payload's memory, when the payload owns all of it, moves to the thread instead of
 * being copied (a 25 MB body would otherwise exist twice). A small one shares Node's buffer pool
 * with other buffers and is copied.
 */
function transferablePayload(work: InboxWork): ArrayBuffer[] {
  if (work.kind !== 'record' || !('received' in work.item)) return [];
  const { buffer, byteOffset, byteLength } = work.item.received.payload;
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
      if (reply.type !== 'done') return;
      for (const { requestId, outcome } of reply.replies) {
        const entry = pending.get(requestId);
        pending.delete(requestId);
        if (outcome.ok) entry?.resolve(outcome.answer);
        else entry?.reject(new Error(`the inbox could not write: ${outcome.error}`));
      }
    });
    thread.on('error', (error) => failAll(new Error(`the inbox writer thread failed: ${error.message}`)));
    thread.on('exit', () => {
      if (worker === thread) worker = null;
      failAll(new Error('the inbox writer thread stopped before it wrote'));
    });
    return thread;
  };

  // One message per turn of the event loop for everything handed over in it: a burst of
  // acknowledgements and the worker's claims and ends cost one post, and one commit in the thread.
  let outbox: { requestId: number; work: InboxWork }[] = [];
  const post = (): void => {
    const items = outbox;
    outbox = [];
    worker ??= spawnThread();
    worker.postMessage(
      { type: 'work', items } satisfies InboxRequest,
      items.flatMap((entry) => transferablePayload(entry.work)),
    );
  };
  const submit = (work: InboxWork): Promise<InboxAnswer> => {
    if (closed !== null) return Promise.reject(new Error('the store is closed'));
    const requestId = nextRequestId++;
    return new Promise((resolve, reject) => {
      pending.set(requestId, { resolve, reject });
      if (outbox.length === 0) setImmediate(post);
      outbox.push({ requestId, work });
    });
  };

  return {
    // The answers' types follow from the kind of work (delivery-inbox.ts).
    record: async (item) => (await submit({ kind: 'record', item })) as ReceiveDeliveryResult,
    claim: async (claim) => (await submit({ kind: 'claim', claim })) as Delivery | null,
    end: async (ending) => (await submit({ kind: 'end', ending })) as boolean,
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
