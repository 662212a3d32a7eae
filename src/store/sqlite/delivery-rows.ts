import type { Delivery, DeliveryState } from '../../domain/delivery.js';

export type Row = Record<string, unknown>;

// Every delivery column but the payload, which only the worker reads (and can be 25 MB).
export const DELIVERY_COLUMNS = `seq, id, event, action, installation_id, repo_id, received_at, headers, state, attempts, error,
  reason, processed_at, next_attempt_at`;

export const str = (v: unknown): string => v as string;
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toDelivery(row: Row): Delivery {
  return {
    seq: Number(row.seq),
    id: str(row.id),
    event: str(row.event),
    action: strOrNull(row.action),
    installationId: numOrNull(row.installation_id),
    repoId: numOrNull(row.repo_id),
    receivedAt: str(row.received_at),
    headers: JSON.parse(str(row.headers)) as Record<string, string>,
    state: str(row.state) as DeliveryState,
    attempts: Number(row.attempts),
    error: strOrNull(row.error),
    reason: strOrNull(row.reason),
    processedAt: strOrNull(row.processed_at),
    nextAttemptAt: strOrNull(row.next_attempt_at),
  };
}
