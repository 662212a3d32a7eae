// A GitHub webhook delivery as the inbox keeps it, and the pure reading of its payload.

export type DeliveryState = 'received' | 'processing' | 'applied' | 'ignored' | 'failed';

/** What the ingress learned from one verified request, before anything is stored. */
export interface IncomingDelivery {
  id: string;
  event: string;
  action: string | null;
  installationId: number | null;
  repoId: number | null;
  receivedAt: string;
  /** The raw body exactly as signed: replay and re-processing read this, never a re-serialisation. */
  payload: string;
  headers: Record<string, string>;
  /** Set on a re-test: the delivery whose stored payload this one replays. */
  replayOf?: string;
  /** W3C traceparent of the request that stored it: its processing joins that trace (R11). */
  traceparent?: string;
}

/**
 * A verified request before its payload is read: the store reads the indexed facts where it
 * writes. The payload is still the bytes as signed (valid UTF-8): decoding them is the store's
 * first step, so a store that writes on another thread can take them there without a copy.
 */
export type ReceivedDelivery = Omit<IncomingDelivery, 'action' | 'installationId' | 'repoId' | 'payload'> & {
  payload: Uint8Array;
};

export type RoutedOutcome = 'woke' | 'woke_none' | 'no_candidates';

export interface Delivery extends Omit<IncomingDelivery, 'payload' | 'replayOf' | 'traceparent'> {
  seq: number;
  /** How routing ended; null while not routed (waiting, failed, or an event that names no repository). */
  routingOutcome: RoutedOutcome | null;
  /** Distinct reason codes of its routing's candidates that did not wake (domain/reason-classes.ts); null while not routed. */
  routingReasons: string[] | null;
  replayOf: string | null;
  traceparent: string | null;
  state: DeliveryState;
  attempts: number;
  error: string | null;
  /** Why an applied or ignored delivery ended as it did (e.g. "no handler for event star"). */
  reason: string | null;
  processedAt: string | null;
  /** Set while a failed delivery waits for its next attempt; null once it is given up. */
  nextAttemptAt: string | null;
}

/** A delivery as it is first stored: received, not attempted yet. */
/** The delivery as first stored; its payload, when given, is not part of it. */
export function newDelivery(incoming: Omit<IncomingDelivery, 'payload'> & { payload?: string }, seq: number): Delivery {
  const { payload: _payload, replayOf, traceparent, ...fields } = incoming;
  return {
    ...fields,
    seq,
    state: 'received',
    attempts: 0,
    error: null,
    reason: null,
    processedAt: null,
    nextAttemptAt: null,
    replayOf: replayOf ?? null,
    traceparent: traceparent ?? null,
    routingOutcome: null,
    routingReasons: null,
  };
}

/** The trace id inside a W3C traceparent (`00-<trace id>-<span id>-<flags>`). */
export const traceIdOf = (traceparent: string | null): string | null => traceparent?.split('-')[1] ?? null;

export type PayloadReading =
  | { ok: true; action: string | null; installationId: number | null; repoId: number | null }
  | { ok: false; problem: string };

/** GitHub ids are integers that fit in 53 bits (GITHUB-FACTS.md, API); anything else is not an id. */
export function asGitHubId(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : null;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * How much of a payload's action the inbox keeps. GitHub's actions are short snake_case names
 * ("created", "review_requested"); anything longer is not one.
 */
export const KEPT_ACTION_CHARS = 64;

/**
 * An action as the inbox indexes it. It is stored with the delivery, shown in every list and copied
 * into every wake and audit record of it, so one longer than a name is cut to a prefix marked
 * with "…": no handler or trigger filter names it, so the delivery is ignored with the reason
 * "<event>.<prefix>… is not handled", and a 20 MB action costs 65 characters, not 20 MB per
 * trigger. The cut never splits a surrogate pair.
 */
export function boundedAction(action: string): string {
  if (action.length <= KEPT_ACTION_CHARS) return action;
  const last = action.charCodeAt(KEPT_ACTION_CHARS - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? KEPT_ACTION_CHARS - 1 : KEPT_ACTION_CHARS;
  return `${action.slice(0, end)}…`;
}

/**
 * Reads the few typed facts the inbox indexes from a raw body. The body must be a JSON object;
 * everything else about its shape is the reconciler's business, not the inbox's.
 */
export function readDeliveryPayload(rawBody: string): PayloadReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return { ok: false, problem: 'the body is not valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, problem: 'the body must be a JSON object' };
  }
  const action = field(parsed, 'action');
  return {
    ok: true,
    action: typeof action === 'string' ? boundedAction(action) : null,
    installationId: asGitHubId(field(field(parsed, 'installation'), 'id')),
    repoId: asGitHubId(field(field(parsed, 'repository'), 'id')),
  };
}

/** A received delivery with the facts its payload gives, or why its payload cannot be read. */
export function readReceivedDelivery(
  received: ReceivedDelivery,
): { ok: true; incoming: IncomingDelivery } | { ok: false; problem: string } {
  const payload = new TextDecoder().decode(received.payload);
  const reading = readDeliveryPayload(payload);
  if (!reading.ok) return reading;
  const { action, installationId, repoId } = reading;
  return { ok: true, incoming: { ...received, payload, action, installationId, repoId } };
}

/**
 * The request headers kept with a delivery, to show it as GitHub sent it: all of them but the
 * signatures (worthless once verified, and derived from the secret) and credentials a proxy in
 * front may have added. Node gives the names in lower case.
 */
export function keptDeliveryHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name.startsWith('x-hub-signature') || DROPPED_HEADERS.includes(name)) continue;
    kept[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}

const DROPPED_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie'];

export type RedeliveryDecision =
  { status: 'duplicate' } | { status: 'pending'; makeDueNow: boolean } | { status: 'requeued' };

/**
 * What a delivery id seen again means. GitHub's redelivery reuses the GUID
 * (GITHUB-FACTS.md, Deliveries): a finished one must not be applied twice, but one whose
 * processing never finished must still be processed, and one given up gets one more attempt.
 */
export function decideRedelivery(existing: Pick<Delivery, 'state' | 'nextAttemptAt'>): RedeliveryDecision {
  switch (existing.state) {
    case 'applied':
    case 'ignored':
      return { status: 'duplicate' };
    case 'received':
    case 'processing':
      return { status: 'pending', makeDueNow: false };
    case 'failed':
      return existing.nextAttemptAt === null ? { status: 'requeued' } : { status: 'pending', makeDueNow: true };
  }
}
