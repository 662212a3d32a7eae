import { createRequire } from 'node:module';
import { sign } from '@octokit/webhooks-methods';

// Real payloads from @octokit/webhooks-examples, signed the way GitHub signs them.

interface ExampleGroup {
  name: string;
  examples: Record<string, unknown>[];
}

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as ExampleGroup[];

/** The first real example of `event` (and `action`, when given) that passes `where`. */
export function examplePayload(
  event: string,
  action?: string,
  where: (example: Record<string, unknown>) => boolean = () => true,
): Record<string, unknown> {
  const group = examples.find((g) => g.name === event);
  const example = group?.examples.find((e) => (action === undefined || e.action === action) && where(e));
  if (example === undefined) throw new Error(`@octokit/webhooks-examples has no ${event}${action ? `.${action}` : ''}`);
  return structuredClone(example);
}

export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
}

export async function signedDelivery(
  secret: string,
  event: string,
  deliveryId: string,
  payload: Record<string, unknown> | string,
): Promise<SignedDelivery> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/test',
      'x-github-event': event,
      'x-github-delivery': deliveryId,
      'x-github-hook-id': '1',
      'x-hub-signature-256': await sign(secret, body),
    },
  };
}

export async function postDelivery(baseUrl: string, delivery: SignedDelivery): Promise<Response> {
  return fetch(`${baseUrl}/webhooks/github`, { method: 'POST', headers: delivery.headers, body: delivery.body });
}
