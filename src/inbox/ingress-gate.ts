// The ingress gate the delivery worker defers to: webhook acknowledgements go first (GitHub
// gives up after 10 s), so the worker waits while any is in progress, and the bodies being read
// share one memory budget.

/**
 * Webhook bodies held in memory at once, across requests. The signature can only be checked once
 * a body is whole, so until then anyone can make us hold up to 25 MB per connection: this bounds
 * the sum (five bodies at GitHub's cap; ordinary deliveries are a few KB).
 */
export const WEBHOOK_BODY_BYTES_IN_FLIGHT = 128 * 1024 * 1024;

/**
 * Below this much free budget the ingress refuses ordinary deliveries (a few KB, a push with many
 * commits a few hundred): /readyz reports it, so a balancer sends GitHub elsewhere.
 */
const ORDINARY_DELIVERY_BYTES = 1024 * 1024;

/** Why a reservation was refused: the whole budget is spent, or the caller's address has its share. */
export type Refusal = 'over_budget' | 'over_source_share';

/** One request's hold on the budget. `release` may be called any number of times: only the first counts. */
export interface BodyReservation {
  reserve(bytes: number): Refusal | null;
  release(): void;
}

export interface BodyBudget {
  /** Bytes of webhook bodies held at once, across all requests. */
  totalBytes: number;
  /**
   * Bytes one remote address may hold at once. A connection holds one body at a time (HTTP/1.1
   * answers a connection's requests in turn) and at most GitHub's 25 MB cap, so without this a
   * handful of connections from one address could take everything.
   */
  perSourceBytes: number;
}

/** Half the budget per address: two bodies at GitHub's cap from one address, and the rest for everyone else. */
export const budgetOf = (totalBytes: number): BodyBudget => ({
  totalBytes,
  perSourceBytes: Math.floor(totalBytes / 2),
});

/**
 * Webhook requests in progress, so that the worker can let acknowledgements go first, and the
 * bytes of their bodies held in memory, against one budget shared out by remote address.
 */
export class IngressActivity {
  private inFlight = 0;
  private bodyBytes = 0;
  private readonly bySource = new Map<string, number>();
  constructor(readonly budget: BodyBudget = budgetOf(WEBHOOK_BODY_BYTES_IN_FLIGHT)) {}
  readonly isBusy = (): boolean => this.inFlight > 0;
  readonly bodyBytesInFlight = (): number => this.bodyBytes;
  /** True while an ordinary delivery would be refused for lack of budget. */
  readonly isExhausted = (): boolean => this.budget.totalBytes - this.bodyBytes < ORDINARY_DELIVERY_BYTES;

  /** Opens a reservation for one request from `source` (its remote address). */
  open(source: string): BodyReservation {
    let held = 0;
    let released = false;
    return {
      reserve: (bytes) => {
        if (released) return 'over_budget';
        if (this.bodyBytes + bytes > this.budget.totalBytes) return 'over_budget';
        const sourceBytes = this.bySource.get(source) ?? 0;
        if (sourceBytes + bytes > this.budget.perSourceBytes) return 'over_source_share';
        this.bodyBytes += bytes;
        this.bySource.set(source, sourceBytes + bytes);
        held += bytes;
        return null;
      },
      release: () => {
        if (released) return;
        released = true;
        this.bodyBytes -= held;
        const left = (this.bySource.get(source) ?? 0) - held;
        if (left > 0) this.bySource.set(source, left);
        else this.bySource.delete(source);
        held = 0;
      },
    };
  }

  /** Runs one webhook request; its reservation is released when it ends, if the request has not released it before. */
  async track<T>(source: string, work: (reservation: BodyReservation) => Promise<T>): Promise<T> {
    this.inFlight += 1;
    const reservation = this.open(source);
    try {
      return await work(reservation);
    } finally {
      this.inFlight -= 1;
      reservation.release();
    }
  }
}
