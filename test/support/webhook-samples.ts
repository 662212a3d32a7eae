import { request } from 'node:http';
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

/** Posts a delivery with Node's client, which (unlike fetch) sees an answer the server gives before reading the whole body. */
export function postSeeingEarlyAnswer(
  url: string,
  delivery: SignedDelivery,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/webhooks/github`, { method: 'POST', headers: delivery.headers });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(delivery.body);
  });
}

/** Sends `size` bytes with Node's client, which lets us see an early answer while still uploading. */
export function sendLargeBody(
  url: string,
  size: number,
  declareLength: boolean,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/webhooks/github`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'push',
        'x-github-delivery': 'guid-big',
        'x-hub-signature-256': 'sha256=00',
        ...(declareLength ? { 'content-length': String(size) } : {}),
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // The server may close while we are still writing: that is the point, not a failure.
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)));
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const writeMore = (): void => {
      while (sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', writeMore);
          return;
        }
      }
      req.end();
    };
    writeMore();
  });
}
