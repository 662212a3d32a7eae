import type { AuditDraft } from '../../domain/audit/index.js';
import type {
  Delivery,
  DeliveryState,
  IncomingDelivery,
  ReceivedDelivery,
  RoutedOutcome,
} from '../../domain/delivery.js';
import type { StoredWake, Wake } from '../../domain/entities.js';

// The inbox: deliveries as GitHub sent them, claimed by workers, finished with their outcome.

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
  /** Deliveries about any of these repositories (a repo known by several ids, or a name's ids). */
  repoIds?: readonly number[];
  /** Deliveries whose routing ended in one of these; `null` in the list matches those not routed. */
  routingOutcomes?: readonly (RoutedOutcome | null)[];
  deliveryId?: string;
  /** Deliveries sent by any of these installations. */
  installationIds?: readonly number[];
  event?: string;
  action?: string;
  /** Deliveries whose routing considered this trigger (it was a candidate, woken or not). */
  triggerId?: string;
  /** Deliveries whose routing considered a trigger of this automation. */
  automationId?: string;
  /** Deliveries with this reason code among their routing's (RoutingFacts.reasons). */
  reason?: string;
  /** Received at or after this time (ISO-8601). */
  receivedSince?: string;
  /** Received before this time (ISO-8601). */
  receivedUntil?: string;
  /** Only deliveries whose routing recorded a problem reason (domain/reason-classes.ts). */
  problemsOnly?: boolean;
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
  /** Newest first; every filter given must hold. */
  listDeliveries(query: DeliveryQuery): Promise<Delivery[]>;
  inboxBacklog(): Promise<InboxBacklog>;
  listWakes(query: WakeQuery): Promise<StoredWake[]>;
}
