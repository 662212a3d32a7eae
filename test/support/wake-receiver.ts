import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionContext } from 'ava';

// A runner endpoint inside the test: records every request and answers as the test says.

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WakeReceiver {
  url: string;
  received: ReceivedRequest[];
  /** The status to answer the n-th request with (0-based), and an optional Retry-After. */
  answer: (n: number) => { status: number; retryAfter?: string };
}

/** A 32-byte Standard Webhooks secret for tests. */
export const RUNNER_SECRET = `whsec_${Buffer.from('a-test-secret-of-32-bytes-length').toString('base64')}`;

export async function startWakeReceiver(t: ExecutionContext): Promise<WakeReceiver> {
  const receiver: WakeReceiver = { url: '', received: [], answer: () => ({ status: 204 }) };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const n = receiver.received.length;
      receiver.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const { status, retryAfter } = receiver.answer(n);
      res.writeHead(status, retryAfter === undefined ? {} : { 'retry-after': retryAfter }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wakes`;
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return receiver;
}
