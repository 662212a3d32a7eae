/** Who holds a named lease, and until when (ISO time). */
export interface Lease {
  name: string;
  holder: string;
  until: string;
}

/**
 * Named leases with expiry, for work only one process may do at a time (periodic jobs,
 * docs/periodic-work.md). Expiry is judged by the database's clock, never a replica's: two
 * replicas whose clocks disagree would otherwise each see the other's lease run out and both lead.
 */
export interface LeaseStore {
  /**
   * Takes the lease for `holder`, for `durationMs` from the database's now, when nobody holds it,
   * its holder's time ran out, or `holder` already holds it (a renewal). True when `holder` holds it now.
   */
  acquireLease(name: string, holder: string, durationMs: number): Promise<boolean>;
  /** Gives the lease up, if `holder` still holds it, so another process need not wait for it to expire. */
  releaseLease(name: string, holder: string): Promise<boolean>;
  getLease(name: string): Promise<Lease | null>;
}
