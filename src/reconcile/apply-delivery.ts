import type { ApplyDelivery } from '../inbox/delivery-worker.js';
import type { EventHandler } from './webhook-effects.js';

/**
 * GitHub sends `ping` when a webhook is created or its settings change: receiving it proves
 * the URL and secret are right, and there is nothing else to reconcile.
 */
const confirmPing: EventHandler = async () => ({
  state: 'applied',
  reason: 'webhook configuration confirmed',
  audit: [],
});

/**
 * The one entry point from the inbox into reconciliation: one handler per event. An event with
 * no handler is ignored, and the delivery says so.
 */
export function createDeliveryApplier(handlers: Readonly<Record<string, EventHandler>>): ApplyDelivery {
  const all: Readonly<Record<string, EventHandler>> = { ping: confirmPing, ...handlers };
  return async (delivery, payload) => {
    // Own keys only: an event named "constructor" or "__proto__" must not reach Object.prototype.
    const handler = Object.hasOwn(all, delivery.event) ? all[delivery.event] : undefined;
    if (handler === undefined) {
      return { state: 'ignored', reason: `no handler for event "${delivery.event}"`, audit: [] };
    }
    return handler(delivery, payload);
  };
}
