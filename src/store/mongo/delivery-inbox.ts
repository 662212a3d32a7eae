import { decideRedelivery, newDelivery, readReceivedDelivery, type IncomingDelivery } from '../../domain/delivery.js';
import { DELIVERY } from '../codec.js';
import type { DeliveryStore, RecordDeliveryResult } from '../ports/deliveries.js';
import { docOf, oneOf, upsertOnce, type Collections } from './collections.js';
import { insertNumbered } from './sequence.js';

// BSON documents are capped at 16 MB and GitHub payloads at 25 MB: payloads are stored in chunks.
const PAYLOAD_CHUNK_CHARS = 4 * 1024 * 1024;

/** Recording deliveries: the payload in chunks, then the delivery under the next inbox number. */
export function mongoDeliveryInbox(
  c: Collections,
): Pick<DeliveryStore, 'recordDelivery' | 'receiveDelivery' | 'getDeliveryPayload'> {
  const getDelivery = async (id: string) => oneOf(DELIVERY, await c.deliveries.findOne({ _id: id }));

  const recordDelivery = async (incoming: IncomingDelivery, now: string): Promise<RecordDeliveryResult> => {
    const { payload } = incoming;
    const existing = await getDelivery(incoming.id);
    if (existing === null) {
      // The payload first: a delivery document is never visible without its payload.
      for (let n = 0, at = 0, end = 0; at < payload.length || n === 0; n++, at = end) {
        end = Math.min(payload.length, at + PAYLOAD_CHUNK_CHARS);
        // Never between the halves of a surrogate pair: BSON would store each half as U+FFFD.
        if (end < payload.length && /[\uD800-\uDBFF]/.test(payload.charAt(end - 1))) end -= 1;
        await upsertOnce(() =>
          c.payloads.updateOne(
            { _id: `${incoming.id}:${n}` },
            { $set: { deliveryId: incoming.id, n, data: payload.slice(at, end) } },
            { upsert: true },
          ),
        );
      }
      const { seq: _seq, ...fresh } = docOf(DELIVERY, newDelivery(incoming, 0));
      const doc = { ...fresh, _id: incoming.id, leaseOwner: null, leaseUntil: null };
      // null: another replica stored the same delivery a moment ago (a redelivery racing the original).
      const seq = await insertNumbered(c, 'deliveries', doc);
      if (seq !== null) return { status: 'accepted', delivery: newDelivery(incoming, seq) };
    }
    const stored = existing ?? (await getDelivery(incoming.id));
    if (stored === null) throw new Error(`delivery ${incoming.id} vanished while being recorded`);
    const decision = decideRedelivery(stored);
    if (decision.status === 'requeued')
      await c.deliveries.updateOne(
        { _id: incoming.id, state: 'failed', nextAttemptAt: null },
        { $set: { state: 'received' } },
      );
    if (decision.status === 'pending' && decision.makeDueNow)
      await c.deliveries.updateOne({ _id: incoming.id, state: 'failed' }, { $set: { nextAttemptAt: now } });
    return { status: decision.status, delivery: (await getDelivery(incoming.id)) ?? stored };
  };

  return {
    recordDelivery,
    async receiveDelivery(received, now) {
      const reading = readReceivedDelivery(received);
      return reading.ok ? recordDelivery(reading.incoming, now) : { status: 'malformed', problem: reading.problem };
    },
    async getDeliveryPayload(id) {
      const chunks = await c.payloads.find({ deliveryId: id }).sort({ n: 1 }).toArray();
      return chunks.length === 0 ? null : chunks.map((chunk) => chunk.data as string).join('');
    },
  };
}
