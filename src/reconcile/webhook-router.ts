import type { EmitterWebhookEvent, EmitterWebhookEventName } from '@octokit/webhooks/types';
import type { Delivery } from '../domain/delivery.js';
import type { ApplyOutcome } from '../inbox/worker-contract.js';
import type { ReconcileContext } from './sync-context.js';
import type { Claimed, ParsedPayload } from './webhooks/claimed-payload.js';

// Handlers are registered per `event` or `event.action`, as Probot's `app.on` does, over a
// context that carries the delivery's payload (parsed once, read as its octokit type claims),
// the delivery and the clock.

export interface WebhookContext<E extends EmitterWebhookEventName> {
  /** `event.action` as registered (or `event` for events without actions). */
  name: E;
  delivery: Delivery;
  payload: Claimed<EmitterWebhookEvent<E>['payload']>;
  now: () => Date;
  /** Every audit record the handler writes carries the delivery through this. */
  audit: ReconcileContext;
}

export type WebhookHandler<E extends EmitterWebhookEventName> = (context: WebhookContext<E>) => Promise<ApplyOutcome>;

/** What a handler sees once the registry forgot which name it was registered for. */
interface AnyContext {
  name: string;
  delivery: Delivery;
  payload: unknown;
  now: () => Date;
  audit: ReconcileContext;
}
type AnyHandler = (context: AnyContext) => Promise<ApplyOutcome>;

export type Dispatch =
  | { kind: 'handler'; name: string; run: (payload: ParsedPayload, audit: ReconcileContext) => Promise<ApplyOutcome> }
  /** The event has handlers, but none for this action. */
  | { kind: 'unhandled_action'; outcome: ApplyOutcome }
  /** No handler knows the event at all: routing alone decides. */
  | { kind: 'none' };

export interface WebhookRouter {
  on<E extends EmitterWebhookEventName>(names: E | readonly E[], handler: WebhookHandler<E>): void;
  /** The handler of `event.action`, else of `event`. */
  dispatch(delivery: Delivery, now: () => Date): Dispatch;
  /** Every registered name, for the table test and the docs. */
  names(): string[];
}

export function createWebhookRouter(): WebhookRouter {
  // A Map, not an object: an event named "constructor" or "__proto__" must not find Object.prototype.
  const handlers = new Map<string, AnyHandler>();
  const events = new Set<string>();
  return {
    on(names, handler) {
      for (const name of typeof names === 'string' ? [names] : names) {
        if (handlers.has(name)) throw new Error(`a handler for ${name} is registered twice`);
        handlers.set(name, handler as unknown as AnyHandler);
        events.add(name.split('.')[0] ?? name);
      }
    },
    dispatch(delivery, now) {
      const qualified = delivery.action === null ? null : `${delivery.event}.${delivery.action}`;
      const name = qualified !== null && handlers.has(qualified) ? qualified : delivery.event;
      const handler = handlers.get(name);
      if (handler !== undefined)
        return {
          kind: 'handler',
          name,
          run: (payload, audit) => handler({ name, delivery, payload, now, audit }),
        };
      if (!events.has(delivery.event)) return { kind: 'none' };
      return {
        kind: 'unhandled_action',
        outcome: {
          state: 'ignored',
          reason: `${delivery.event}.${delivery.action ?? '(no action)'} is not handled`,
          audit: [],
        },
      };
    },
    names: () => [...handlers.keys()],
  };
}
