import type { AuditDraft } from '../../domain/audit/index.js';
import type { SendAttempt, SendState, StoredEndpoint, WakeEndpoint, WakeSend } from '../../domain/wake-push.js';

// Pushed wakes (docs/wake-push.md): runner endpoints, and per endpoint a durable queue of
// sends that several replicas take from by claim, as the inbox is taken from.

/** A wake queued for an endpoint: the send's id is the message's `webhook-id`. */
export type NewSend = Pick<WakeSend, 'id' | 'seq' | 'endpointId' | 'wakeId' | 'body' | 'createdAt'>;

export interface SendClaim {
  workerId: string;
  now: string;
  leaseUntil: string;
}

/** How an attempt ended: the send's next state, and what it says about its endpoint. */
export interface SendFinish {
  state: Extract<SendState, 'pending' | 'delivered' | 'given_up'>;
  nextAttemptAt: string | null;
  attempt: SendAttempt;
  /** When a failure is the endpoint's `pauseAfterFailures`-th in a row, it is paused until this. */
  pauseUntil: string;
  pauseAfterFailures: number;
}

export interface SendQuery {
  endpointId: string;
  states?: readonly SendState[];
  limit: number;
  /** Newest first: sends queued before this outbox position. */
  beforeSeq?: number;
}

export type SendsToRequeue = { sendId: string } | { givenUpSince: string };

export interface EndpointBacklog {
  endpointId: string;
  /** Waiting for an attempt or in one. */
  pending: number;
  oldestPendingAt: string | null;
}

export interface WakePushStore {
  /**
   * Creates or replaces an endpoint's registration, keeping its health and queue. A new
   * endpoint's queue starts after `startAfterSeq` (the outbox head when it was registered).
   */
  putEndpoint(endpoint: WakeEndpoint, startAfterSeq: number, audit: readonly AuditDraft[]): Promise<'created' | 'updated'>;
  getEndpoint(id: string): Promise<StoredEndpoint | null>;
  listEndpoints(): Promise<StoredEndpoint[]>;
  /** Removes the endpoint and its queue. */
  deleteEndpoint(id: string, audit: readonly AuditDraft[]): Promise<boolean>;
  /**
   * Queues `sends` and moves the endpoint's queue position from `fromSeq` to `throughSeq`, when
   * it is still at `fromSeq`; false when another process moved it first. A send queued twice is
   * kept once (by id), so a crash between the two steps loses or doubles nothing.
   */
  queueSends(endpointId: string, fromSeq: number, throughSeq: number, sends: readonly NewSend[]): Promise<boolean>;
  /** Takes the send that is due first (pending and due, or in an attempt whose lease expired), of an enabled endpoint that is not paused. */
  claimSend(claim: SendClaim): Promise<WakeSend | null>;
  /** Ends an attempt under its claim and updates its endpoint's health; false when the claim was lost. */
  finishSend(id: string, workerId: string, now: string, finish: SendFinish): Promise<boolean>;
  listSends(query: SendQuery): Promise<WakeSend[]>;
  /** Given-up sends of an endpoint due again now (the one named, or all given up since a time); how many. */
  requeueSends(endpointId: string, which: SendsToRequeue, now: string): Promise<number>;
  sendBacklog(): Promise<EndpointBacklog[]>;
  /** When the next pending send becomes due, so an idle sender knows how long to sleep. */
  nextSendAt(): Promise<string | null>;
}
