import { randomUUID } from 'node:crypto';
import { apiDraft, type ApiOrigin } from '../domain/audit/api-change.js';
import type { Delivery } from '../domain/delivery.js';
import type { DeliveryStore, AuditStore } from '../store/store.js';
import { currentTraceparent, inSpan, remoteContextOf } from '../telemetry/tracing.js';

// Re-test (repo-sync-and-rebinding.md, "Good troubleshooting order", step 4): the exact stored
// event goes through the same pipeline again as a new delivery, so a fix can be proven with it.

/** Why a delivery cannot be replayed now; each is a conflict with its state, not a bad request. */
export type ReplayRefusal = { code: 'not_replayable' | 'delivery_pending' | 'payload_missing'; message: string };

export type ReplayResult = { replayed: Delivery } | { refused: ReplayRefusal };

export const payloadMissing = (deliveryId: string): ReplayRefusal => ({
  code: 'payload_missing',
  message: `the stored payload of delivery ${deliveryId} is missing`,
});

/** Why `original` cannot be re-tested now, or null. A dry run may re-test a pending delivery. */
export function replayRefusal(original: Delivery, options: { pendingAllowed: boolean }): ReplayRefusal | null {
  if (original.repoId === null)
    return {
      code: 'not_replayable',
      message: `delivery ${original.id} (${original.event}) names no repository, so it routes to no trigger; to re-check coverage, sync the user instead`,
    };
  // A delivery still on its way would be routed twice at once, and wake its triggers twice.
  if (
    !options.pendingAllowed &&
    (original.state === 'received' || original.state === 'processing' || original.nextAttemptAt !== null)
  )
    return {
      code: 'delivery_pending',
      message: `delivery ${original.id} is ${original.state}${original.nextAttemptAt !== null ? ` until its retry at ${original.nextAttemptAt}` : ''}; replay it once it has finished`,
    };
  return null;
}

export async function replayDelivery(
  store: DeliveryStore & AuditStore,
  original: Delivery,
  origin: ApiOrigin,
): Promise<ReplayResult> {
  const refusal = replayRefusal(original, { pendingAllowed: false });
  if (refusal !== null) return { refused: refusal };
  const payload = await store.getDeliveryPayload(original.id);
  if (payload === null)
    return {
      refused: payloadMissing(original.id),
    };
  const at = origin.at.toISOString();
  const id = randomUUID();
  // A new trace for the re-test, linked to the original delivery's: its processing joins this
  // one, and a trace backend can walk from either to the other.
  const originalTrace = remoteContextOf(original.traceparent);
  const recorded = await inSpan(
    'replay delivery',
    {
      root: true,
      links: originalTrace === null ? [] : [originalTrace.link],
      attributes: { 'messaging.message.id': id, 'reconciler.replay_of': original.id },
    },
    async () => {
      const traceparent = currentTraceparent();
      return store.recordDelivery(
        {
          id,
          event: original.event,
          action: original.action,
          installationId: original.installationId,
          repoId: original.repoId,
          receivedAt: at,
          payload,
          headers: original.headers,
          replayOf: original.id,
          ...(traceparent !== null ? { traceparent } : {}),
        },
        at,
      );
    },
  );
  await store.appendAudit([
    {
      ...apiDraft(origin, {
        kind: 'delivery.replayed',
        subject: {
          ...(original.installationId !== null ? { installationId: original.installationId } : {}),
          ...(original.repoId !== null ? { repoId: original.repoId } : {}),
        },
        decision: 'replayed',
        before: { deliveryId: original.id },
        after: { deliveryId: recorded.delivery.id },
      }),
      deliveryId: recorded.delivery.id,
    },
  ]);
  return { replayed: recorded.delivery };
}
