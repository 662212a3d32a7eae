import { isUtf8 } from 'node:buffer';
import { keptDeliveryHeaders, type Delivery } from '../domain/delivery.js';
import type { DeliveryStore, RecordDeliveryResult } from '../store/store.js';
import { currentTraceparent } from '../telemetry/tracing.js';
import { verifySignature } from './verify-signature.js';

export type IncomingHeaders = Readonly<Record<string, string | string[] | undefined>>;

export type AcceptOutcome =
  | { kind: 'rejected'; code: 'bad_signature'; message: string }
  | { kind: 'malformed'; code: 'missing_header' | 'malformed_body'; message: string }
  | { kind: 'stored'; status: RecordDeliveryResult['status']; delivery: Delivery };

export interface DeliveryAcceptorDeps {
  store: Pick<DeliveryStore, 'receiveDelivery'>;
  webhookSecrets: readonly string[];
  now: () => Date;
}

function header(headers: IncomingHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// GitHub sends a GUID; anything longer or stranger than an id is refused before it reaches the store.
// No dots: `.` and `..` are path segments a URL normalises away, so their story could not be opened,
// and every id of this alphabet is a path segment as it stands (GET /api/deliveries/:id/story).
const DELIVERY_ID = /^[A-Za-z0-9_-]{1,128}$/;
const EVENT_NAME = /^[a-z_]{1,64}$/;

/**
 * The inbox's front door: verify, then let the store read the few indexed facts and commit.
 * Nothing slow happens here because GitHub marks a delivery failed after 10 s (GITHUB-FACTS.md,
 * Deliveries).
 * The signature is checked first so that a forger learns nothing about what else is expected.
 */
export async function acceptDelivery(
  deps: DeliveryAcceptorDeps,
  headers: IncomingHeaders,
  body: Buffer,
): Promise<AcceptOutcome> {
  if (!verifySignature(deps.webhookSecrets, body, header(headers, 'x-hub-signature-256'))) {
    return {
      kind: 'rejected',
      code: 'bad_signature',
      message: 'X-Hub-Signature-256 is missing or does not match the body',
    };
  }
  const event = header(headers, 'x-github-event');
  const deliveryId = header(headers, 'x-github-delivery');
  if (event === undefined || !EVENT_NAME.test(event)) {
    return { kind: 'malformed', code: 'missing_header', message: 'X-GitHub-Event is missing or not an event name' };
  }
  if (deliveryId === undefined || !DELIVERY_ID.test(deliveryId)) {
    return { kind: 'malformed', code: 'missing_header', message: 'X-GitHub-Delivery is missing or not a delivery id' };
  }
  // JSON travels as UTF-8 (RFC 8259): decoding anything else would store a body other than the one signed.
  if (!isUtf8(body)) return { kind: 'malformed', code: 'malformed_body', message: 'the body is not valid UTF-8' };
  const now = deps.now().toISOString();
  const traceparent = currentTraceparent();
  const result = await deps.store.receiveDelivery(
    {
      id: deliveryId,
      event,
      receivedAt: now,
      payload: body,
      headers: keptDeliveryHeaders(headers),
      ...(traceparent !== null ? { traceparent } : {}),
    },
    now,
  );
  if (result.status === 'malformed') return { kind: 'malformed', code: 'malformed_body', message: result.problem };
  return { kind: 'stored', status: result.status, delivery: result.delivery };
}
