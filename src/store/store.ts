import type { AuditCheckpoint, AuditDraft, AuditRecord } from '../domain/audit.js';
import type { Coverage } from '../domain/projects.js';
import type { Delivery, DeliveryState, IncomingDelivery, ReceivedDelivery, RoutedOutcome } from '../domain/delivery.js';
import type {
  Automation,
  Installation,
  InstallationState,
  RepoRow,
  RepoRowKey,
  StoredWake,
  Trigger,
  User,
  Wake,
} from '../domain/entities.js';

// The store port: what the reconciler needs from persistence, and nothing about how.
// Every adapter (sqlite/, later mongo/) passes the one contract suite in test/store-contract.ts.

/** How the inbox answered a delivery id: first sight, or what it already knew. */
export type RecordDeliveryResult =
  | { status: 'accepted'; delivery: Delivery }
  /** Stored and finished (applied or ignored): acknowledged, never applied twice. */
  | { status: 'duplicate'; delivery: Delivery }
  /** Stored but not finished: it stays queued (a failed one waiting for a retry becomes due now). */
  | { status: 'pending'; delivery: Delivery }
  /** Stored and given up after its last attempt: a redelivery queues it once more. */
  | { status: 'requeued'; delivery: Delivery };

/** What receiving a delivery did: recorded as above, or refused (nothing stored) because its payload is not a JSON object. */
export type ReceiveDeliveryResult = RecordDeliveryResult | { status: 'malformed'; problem: string };

export interface DeliveryClaim {
  workerId: string;
  now: string;
  leaseUntil: string;
}

export interface DeliveryFinish {
  state: 'applied' | 'ignored';
  reason: string | null;
  processedAt: string;
  audit: AuditDraft[];
  /** Triggers the delivery woke, written with its outcome so that a wake is never lost or doubled. */
  wakes?: Wake[];
  routingOutcome?: RoutedOutcome;
}

export interface DeliveryFailure {
  error: string;
  processedAt: string;
  /** null: attempts are used up and the delivery stays failed until redelivered. */
  nextAttemptAt: string | null;
  audit: AuditDraft[];
}

export interface DeliveryQuery {
  limit: number;
  /** Deliveries received before this sequence number (newest first paging). */
  beforeSeq?: number;
  state?: DeliveryState;
  repoId?: number;
  /** Deliveries whose routing ended in one of these; `null` in the list matches those not routed. */
  routingOutcomes?: readonly (RoutedOutcome | null)[];
}

export interface WakeQuery {
  limit: number;
  /** Wakes after this outbox position (oldest first). */
  afterSeq?: number;
}

export interface InboxBacklog {
  pending: number;
  oldestReceivedAt: string | null;
}

export interface DeliveryStore {
  recordDelivery(incoming: IncomingDelivery, now: string): Promise<RecordDeliveryResult>;
  /**
   * Reads the indexed facts (action, installation, repository) from the payload and records the
   * delivery, as one step so that a store can do both off the event loop that answers GitHub.
   */
  receiveDelivery(received: ReceivedDelivery, now: string): Promise<ReceiveDeliveryResult>;
  /**
   * Takes the oldest delivery that is due: received, failed with its retry time reached, or
   * processing under a lease that expired (its worker died). Counts the attempt. Never one of an
   * installation that has a delivery under a live claim: an installation's deliveries are applied
   * one at a time, so a later one cannot overtake an earlier one that a crashed worker still
   * holds, or that another replica is applying.
   */
  claimNextDelivery(claim: DeliveryClaim): Promise<Delivery | null>;
  /** When the next waiting retry becomes due, so an idle worker knows how long to sleep. */
  nextRetryAt(): Promise<string | null>;
  /** Both return false when the claim was lost (another worker holds the delivery now). */
  finishDelivery(id: string, workerId: string, finish: DeliveryFinish): Promise<boolean>;
  failDelivery(id: string, workerId: string, failure: DeliveryFailure): Promise<boolean>;
  getDelivery(id: string): Promise<Delivery | null>;
  /** The stored deliveries among these ids, in no particular order; ids not stored are left out. */
  getDeliveriesByIds(ids: readonly string[]): Promise<Delivery[]>;
  getDeliveryPayload(id: string): Promise<string | null>;
  listDeliveries(query: DeliveryQuery): Promise<Delivery[]>;
  inboxBacklog(): Promise<InboxBacklog>;
  listWakes(query: WakeQuery): Promise<StoredWake[]>;
}

export interface InstallationStore {
  upsertInstallation(installation: Installation): Promise<void>;
  countInstallationsByState(): Promise<Record<InstallationState, number>>;
  getInstallation(id: number): Promise<Installation | null>;
  listInstallations(ids: number[]): Promise<Installation[]>;
  /** Every stored installation (any state) in id order, a page at a time: those with an id above `afterId`. */
  listInstallationPage(page: { afterId?: number; limit: number }): Promise<Installation[]>;
}

export interface UserStore {
  upsertUser(user: User): Promise<void>;
  getUser(id: string): Promise<User | null>;
  /** Returns false when the link already existed. */
  linkInstallation(userId: string, installationId: number, linkedAt: string): Promise<boolean>;
  /** Returns false when there was no such link. */
  unlinkInstallation(userId: string, installationId: number): Promise<boolean>;
  listLinkedInstallationIds(userId: string): Promise<number[]>;
  listUsersLinkedTo(installationId: number): Promise<string[]>;
}

export interface RepoRowPage {
  limit: number;
  /** Rows after this key in (repoId, rootDirectory) order; a base row sorts before its sub-projects. */
  after?: Pick<RepoRowKey, 'repoId' | 'rootDirectory'>;
  /** Only the rows bound to this installation, or with null only those bound to none. */
  installationId?: number | null;
}

export interface InstallationRowPage {
  limit: number;
  /** Rows after this key in (userId, repoId, rootDirectory) order. */
  after?: RepoRowKey;
}

export interface RepoStore {
  /**
   * Writes rows and the audit records of their decisions together (one transaction where the
   * store has them): a sync writes one batch per page instead of one commit per row.
   */
  writeRepoRows(rows: readonly RepoRow[], audit: AuditDraft[]): Promise<void>;
  getRepoRow(key: RepoRowKey): Promise<RepoRow | null>;
  listRepoRows(userId: string, page: RepoRowPage): Promise<RepoRow[]>;
  /** The base and sub-project rows one user has for any of these repos, in key order. */
  listRepoRowsOfRepos(userId: string, repoIds: readonly number[]): Promise<RepoRow[]>;
  /** Each installation id the user's rows carry, once, ascending (read from the index, not the rows). */
  listRepoRowInstallationIds(userId: string): Promise<number[]>;
  /** How many rows of the user are bound to this installation (null: bound to none). */
  countRepoRows(userId: string, installationId: number | null): Promise<number>;
  listRepoRowsByRepoId(repoId: number): Promise<RepoRow[]>;
  /** Every row (any user) whose full name is this one, compared without case as GitHub does. */
  listRepoRowsByFullName(fullName: string): Promise<RepoRow[]>;
  /** Every row (any user, base or sub-project) that carries this installation id, a page at a time. */
  listRepoRowsByInstallation(installationId: number, page: InstallationRowPage): Promise<RepoRow[]>;
  deleteRepoRow(key: RepoRowKey): Promise<boolean>;
  /** Base rows of every user by coverage (R5): covered, visible only, bound to a gone installation. */
  countReposByCoverage(): Promise<Record<Coverage, number>>;
  /** Removes the base and every sub-project row of a repo, for every user; returns how many. */
  deleteRepoRowsByRepoId(repoId: number): Promise<number>;
}

export interface BindingStore {
  putAutomation(automation: Automation): Promise<void>;
  getAutomation(id: string): Promise<Automation | null>;
  deleteAutomation(id: string): Promise<boolean>;
  listAutomationsByUser(userId: string): Promise<Automation[]>;
  putTrigger(trigger: Trigger): Promise<void>;
  getTrigger(id: string): Promise<Trigger | null>;
  deleteTrigger(id: string): Promise<boolean>;
  listTriggersByUser(userId: string): Promise<Trigger[]>;
  listTriggersByRepoId(repoId: number): Promise<Trigger[]>;
}

export interface AuditQuery {
  limit: number;
  /** Oldest first (the default) or newest first. */
  order?: 'oldest' | 'newest';
  /** Records with a sequence number above this one. */
  afterSeq?: number;
  /** Records with a sequence number below this one. */
  beforeSeq?: number;
  deliveryId?: string;
  traceId?: string;
  userId?: string;
  installationId?: number;
  /** Records about any of these repo ids, or whose subject names this full name (without case). */
  repo?: { ids: readonly number[]; fullName?: string };
  kind?: string;
  since?: string;
}

export interface AuditStore {
  /** Appends in order, chaining each record to the one before it. */
  appendAudit(drafts: AuditDraft[]): Promise<AuditRecord[]>;
  listAudit(query: AuditQuery): Promise<AuditRecord[]>;
  /** How many records of a kind were written, by reason (a record without one counts under ''). */
  countAuditByReason(kind: string): Promise<Record<string, number>>;
  /** Null until records were pruned; then where the remaining chain starts. */
  auditCheckpoint(): Promise<AuditCheckpoint | null>;
  /**
   * Removes the oldest records, those recorded before `recordedBefore`, as one prefix of the
   * chain, and moves the checkpoint to the last one removed, so the rest still verifies.
   */
  pruneAudit(recordedBefore: string, prunedAt: string): Promise<{ pruned: number; checkpoint: AuditCheckpoint | null }>;
}

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

export interface Store
  extends DeliveryStore, InstallationStore, UserStore, RepoStore, BindingStore, AuditStore, LeaseStore {
  /** Throws when the store cannot answer a trivial query (used by /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
