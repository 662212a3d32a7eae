import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import test from 'ava';
import express from 'express';
import { pino } from 'pino';
import { webhookRoute } from '../src/http/routes/webhook.js';
import { IngressActivity } from '../src/inbox/ingress-gate.js';
import { RefusalTally } from '../src/inbox/refusal-tally.js';
import { eventually, TEST_SECRET } from './support/test-service.js';
import { postDelivery, signedDelivery } from './support/webhook-samples.js';

// Issue 19, "Also": a sustained stream of bad signatures is someone probing the endpoint. It is
// logged as one line per interval with the count and the addresses, not one line per request.

test('the first refusal of a quiet period is logged alone; those after it are summed up by address, most first', (t) => {
  const tally = new RefusalTally();
  t.is(tally.note('10.0.0.1'), 'log');
  for (const source of ['10.0.0.2', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.2'])
    t.is(tally.note(source), 'counted');
  t.deepEqual(tally.closeInterval(), {
    count: 5,
    sources: [
      { source: '10.0.0.2', count: 3 },
      { source: '10.0.0.1', count: 1 },
      { source: '10.0.0.3', count: 1 },
    ],
    otherSources: 0,
  });
  t.true(tally.isOpen(), 'a stream still coming keeps the interval open');
  t.is(tally.note('10.0.0.2'), 'counted');
  t.like(tally.closeInterval(), { count: 1 });
  t.is(tally.closeInterval(), null, 'an interval with nothing after its first refusal ends the stream');
  t.false(tally.isOpen());
  t.is(tally.note('10.0.0.9'), 'log', 'the next refusal opens a new stream and is logged alone');
});

test('a summary names ten addresses and counts the others', (t) => {
  const tally = new RefusalTally();
  tally.note('first');
  for (let i = 0; i < 14; i++) for (let k = 0; k <= i; k++) tally.note(`10.0.0.${i}`);
  const summary = tally.closeInterval();
  t.is(summary?.count, (14 * 15) / 2);
  t.is(summary?.sources.length, 10);
  t.deepEqual(summary?.sources[0], { source: '10.0.0.13', count: 14 });
  t.is(summary?.otherSources, 4);
});

test('a stream of bad signatures on the webhook route logs the first refusal and then one summary line with the count and the address', async (t) => {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  const app = express();
  app.post(
    '/webhooks/github',
    webhookRoute(
      {
        // Never reached: a refused signature stores nothing.
        store: { receiveDelivery: () => Promise.reject(new Error('a refused delivery reached the store')) },
        webhookSecrets: [TEST_SECRET],
        now: () => new Date(),
        logger: pino({ level: 'info' }, destination),
        onStored: () => undefined,
        onAnswered: () => undefined,
        badSignatureSummaryMs: 1000,
      },
      new IngressActivity(),
    ),
  );
  const server = app.listen(0, '127.0.0.1');
  t.teardown(() => server.close());
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const forged = await signedDelivery('not-the-secret', 'push', 'probe', { zen: 'x' });
  for (let i = 0; i < 12; i++) t.is((await postDelivery(url, forged)).status, 401);
  // However slow the machine, every refusal is either the one line of a stream's first or counted in a summary.
  const alone = () => lines.filter((line) => line.msg === 'webhook refused: bad signature');
  const summaries = () => lines.filter((line) => line.count !== undefined);
  const accounted = () => alone().length + summaries().reduce((sum, line) => sum + Number(line.count), 0);
  await eventually(async () => accounted() === 12);
  t.true(summaries().length >= 1);
  t.true(alone().length < 12, 'not one line per request');
  for (const summary of summaries()) {
    t.like(summary, { level: 40, result: 'bad_signature', otherSources: 0, intervalMs: 1000 });
    t.deepEqual(summary.sources, [{ source: '127.0.0.1', count: summary.count }]);
  }
});
