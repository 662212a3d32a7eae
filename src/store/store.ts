import type { AuditStore } from './ports/audit.js';
import type { BindingStore } from './ports/bindings.js';
import type { DeliveryStore } from './ports/deliveries.js';
import type { InstallationStore } from './ports/installations.js';
import type { LeaseStore } from './ports/leases.js';
import type { RepoStore } from './ports/repo-rows.js';
import type { UserStore } from './ports/users.js';
import type { WakeOutboxStore } from './ports/wakes.js';
import type { WakePushStore } from './ports/wake-push.js';

// The store port: what the reconciler needs from persistence, and nothing about how. One port
// per aggregate (ports/), combined here. Every adapter (sqlite/, mongo/) passes the one contract
// suite in test/store-contract.ts.

export type * from './ports/audit.js';
export type * from './ports/bindings.js';
export type * from './ports/deliveries.js';
export type * from './ports/installations.js';
export type * from './ports/leases.js';
export type * from './ports/repo-rows.js';
export type * from './ports/users.js';
export type * from './ports/wakes.js';
export type * from './ports/wake-push.js';

export interface Store
  extends
    DeliveryStore,
    InstallationStore,
    UserStore,
    RepoStore,
    BindingStore,
    AuditStore,
    LeaseStore,
    WakeOutboxStore,
    WakePushStore {
  /** Throws when the store cannot answer a trivial query (used by /readyz). */
  ping(): Promise<void>;
  /**
   * Throws unless a delivery can be stored and read now: reads the newest delivery and its payload
   * and checks that the store takes writes (nothing is written). /readyz asks it, because a store
   * that answers a trivial query can still fail every delivery (a damaged page, a read-only file,
   * a replica that is not primary).
   */
  probeInbox(): Promise<void>;
  close(): Promise<void>;
}
