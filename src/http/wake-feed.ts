import type { WakeOutboxStore } from '../store/store.js';

// Long-polls and streams of the wake outbox wait here for its head to move. The head is read
// from the store, not announced by the worker, so a wake written by another replica (MongoDB)
// wakes a waiter here just as fast; the store is asked only while somebody waits.

/** How often the head is read while somebody waits: a new wake reaches its waiter within this. */
const HEAD_POLL_MS = 20;

interface Waiter {
  afterSeq: number;
  resolve: (moved: boolean) => void;
}

export class WakeFeed {
  private readonly waiters = new Set<Waiter>();
  private polling = false;
  private closedFlag = false;

  constructor(
    private readonly store: Pick<WakeOutboxStore, 'wakeBounds'>,
    private readonly pollMs = HEAD_POLL_MS,
  ) {}

  /**
   * Resolves true as soon as the outbox holds a wake after `afterSeq`, false after `timeoutMs`
   * or when `signal` aborts (the client went away).
   */
  waitBeyond(afterSeq: number, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
    return new Promise((resolve) => {
      if (this.closedFlag) return resolve(false);
      const waiter: Waiter = {
        afterSeq,
        resolve: (moved) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', onAbort);
          this.waiters.delete(waiter);
          resolve(moved);
        },
      };
      const onAbort = () => waiter.resolve(false);
      const timer = setTimeout(() => waiter.resolve(false), timeoutMs);
      if (signal.aborted) return waiter.resolve(false);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(waiter);
      if (!this.polling) void this.poll();
    });
  }

  /** The service is stopping: every wait ends now, and streams end instead of waiting again. */
  get closed(): boolean {
    return this.closedFlag;
  }

  close(): void {
    this.closedFlag = true;
    for (const waiter of [...this.waiters]) waiter.resolve(false);
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      while (this.waiters.size > 0) {
        await new Promise((resolve) => setTimeout(resolve, this.pollMs).unref());
        let headSeq: number;
        try {
          ({ headSeq } = await this.store.wakeBounds());
        } catch {
          // The waiters read their page now, and that read reports what the store says.
          for (const waiter of [...this.waiters]) waiter.resolve(false);
          return;
        }
        for (const waiter of [...this.waiters]) if (headSeq > waiter.afterSeq) waiter.resolve(true);
      }
    } finally {
      this.polling = false;
    }
  }
}
