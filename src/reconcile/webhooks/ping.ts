import type { WebhookRouter } from '../webhook-router.js';

/**
 * GitHub sends `ping` when a webhook is created or its settings change: receiving it proves
 * the URL and secret are right, and there is nothing else to reconcile or route.
 */
export function onPing(router: WebhookRouter): void {
  router.on('ping', async () => ({ state: 'applied', reason: 'webhook configuration confirmed', audit: [] }));
}
