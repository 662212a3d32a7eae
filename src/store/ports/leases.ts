/** Who holds a named lease, and until when (ISO time). */
export interface Lease {
  name: string;
  holder: string;
  until: string;
}

/**
 * Named leases with expiry, for work only one process may do at a time (periodic jobs,
 * docs/periodic-work.md). Times are ISO strings from the caller's clock.
 */
export interface LeaseStore {
  /**
   * Takes the lease for `holder` until `until` when nobody holds it, its holder's time ran out
   * (`until` <= `now`), or `holder` already holds it (a renewal). True when `holder` holds it now.
   */
  acquireLease(name: string, holder: string, now: string, until: string): Promise<boolean>;
  /** Gives the lease up, if `holder` still holds it, so another process need not wait for it to expire. */
  releaseLease(name: string, holder: string): Promise<boolean>;
  getLease(name: string): Promise<Lease | null>;
}
