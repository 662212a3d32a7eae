// The ingress gate the delivery worker defers to: webhook acknowledgements go first (GitHub
// gives up after 10 s), so the worker waits while any is in progress, and the bodies being read
// share one memory budget.

/**
 * Webhook bodies held in memory at once, across requests. The signature can only be checked once
 * a body is whole, so until then anyone can make us hold up to 25 MB per connection: this bounds
 * the sum (five bodies at GitHub's cap; ordinary deliveries are a few KB).
 */
const WEBHOOK_BODY_BYTES_IN_FLIGHT = 128 * 1024 * 1024;

/**
 * Webhook requests in progress, so that the worker can let acknowledgements go first, and the
 * bytes of their bodies held in memory, against one budget.
 */
export class IngressActivity {
  private inFlight = 0;
  private bodyBytes = 0;
  constructor(readonly bodyBytesBudget = WEBHOOK_BODY_BYTES_IN_FLIGHT) {}
  readonly isBusy = (): boolean => this.inFlight > 0;
  async track<T>(work: (reserveBody: (bytes: number) => boolean) => Promise<T>): Promise<T> {
    this.inFlight += 1;
    let reserved = 0;
    const reserveBody = (bytes: number): boolean => {
      if (this.bodyBytes + bytes > this.bodyBytesBudget) return false;
      this.bodyBytes += bytes;
      reserved += bytes;
      return true;
    };
    try {
      return await work(reserveBody);
    } finally {
      this.inFlight -= 1;
      this.bodyBytes -= reserved;
    }
  }
}
