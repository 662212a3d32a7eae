import type { ApplyDelivery, ApplyOutcome } from '../inbox/worker-contract.js';
import { routeDelivery } from './route-delivery.js';
import { deliveryContext } from './sync-context.js';
import { createWebhookRouter, type WebhookRouter } from './webhook-router.js';
import type { WebhookDeps } from './webhooks/apply-repo-changes.js';
import { parsePayload } from './webhooks/claimed-payload.js';
import { onInstallationRepositories } from './webhooks/installation-repositories.js';
import { onInstallationTarget } from './webhooks/installation-target.js';
import { onInstallation } from './webhooks/installation.js';
import { onPing } from './webhooks/ping.js';
import { onRepository } from './webhooks/repository.js';

/** Every webhook the reconciler acts on (R7), registered per `event.action`. */
export function webhookRouter(deps: WebhookDeps): WebhookRouter {
  const router = createWebhookRouter();
  onPing(router);
  onInstallation(router, deps);
  onInstallationRepositories(router, deps);
  onRepository(router, deps);
  onInstallationTarget(router, deps);
  return router;
}

/**
 * The worker's apply step, the one entry point from the inbox into reconciliation and routing.
 * The payload is parsed once; a delivery first changes the routing model (when a handler knows
 * its event and action, R7), then is routed against the model as it now is (R9), so a rename or
 * transfer is in place before its own event is matched to triggers.
 */
export function reconcileDeliveries(deps: WebhookDeps): ApplyDelivery {
  const router = webhookRouter(deps);
  return async (delivery, raw) => {
    const payload = parsePayload(raw);
    const context = deliveryContext(delivery, deps.now);
    const dispatch = router.dispatch(delivery, deps.now);
    // A replay re-tests routing only: applying an old payload's effects again could undo a
    // newer change (GITHUB-FACTS.md, Deliveries: order is not guaranteed).
    const handled =
      delivery.replayOf !== null || dispatch.kind === 'none'
        ? null
        : dispatch.kind === 'unhandled_action'
          ? dispatch.outcome
          : await dispatch.run(payload, context);
    const routed = delivery.event === 'ping' ? null : await routeDelivery(deps.store, context, delivery, payload);
    if (routed === null) {
      return (
        handled ?? {
          state: 'ignored',
          reason: `no handler for event "${delivery.event}" and no repository to route`,
          audit: [],
        }
      );
    }
    const outcome: ApplyOutcome = {
      state: handled?.state === 'applied' || routed.outcome !== 'no_candidates' ? 'applied' : 'ignored',
      reason: handled === null ? routed.summary : `${handled.reason ?? handled.state}; ${routed.summary}`,
      audit: [...(handled?.audit ?? []), ...routed.audit],
      wakes: routed.wakes,
      routingOutcome: routed.outcome,
    };
    return outcome;
  };
}
