import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import anyTest from 'ava';
import { startTracing } from '../src/telemetry/start-tracing.js';
import { coveredRepoWorld, deliver, pushPayload, pushTrigger } from './support/github-payloads.js';
import { INSTRUMENT_JS, spawnService } from './support/spawned-service.js';
import { eventually, json, startTestService, temporaryDir, TEST_SECRET, TEST_TOKEN } from './support/test-service.js';
import { postDelivery, signedDelivery, type SignedDelivery } from './support/webhook-samples.js';

// R11 traces. In this process the SDK runs with an in-memory exporter and no auto-instrumentation
// (the service's own spans); a second test runs the real server with the preload `npm start`
// uses and receives its spans over OTLP, to prove the preload's http instrumentation works.

// Serial: the exporter is shared by the whole file.
const test = anyTest.serial;
const exporter = new InMemorySpanExporter();
startTracing({ env: {}, instrumentations: [], spanProcessors: [new SimpleSpanProcessor(exporter)] });

const attribute = (span: ReadableSpan | undefined, key: string) => span?.attributes[key];

test('one signed delivery: the request span, the linked consumer span with its attributes and decisions, one trace id everywhere', async (t) => {
  exporter.reset();
  const service = await startTestService(t);
  await coveredRepoWorld(service);
  await pushTrigger(service, 11);
  const push = await deliver(service, 'push', pushPayload({ id: 7, owner: 'octo-org', name: 'api' }, 22, ['a']));

  const spans = await eventually(async () => {
    const all = exporter.getFinishedSpans();
    return all.some((s) => s.name === 'process push') ? all : null;
  });
  const request = spans.find((s) => s.name === 'webhook receive' && attribute(s, 'messaging.message.id') === push.id);
  const consumer = spans.find((s) => s.name === 'process push' && attribute(s, 'messaging.message.id') === push.id);
  if (request === undefined || consumer === undefined) return t.fail('request and consumer spans are exported');
  const traceId = request.spanContext().traceId;

  t.is(request.kind, SpanKind.SERVER);
  t.is(attribute(request, 'reconciler.webhook.result'), 'accepted');
  t.is(consumer.kind, SpanKind.CONSUMER);
  t.is(consumer.spanContext().traceId, traceId, 'processing joins the request trace');
  t.is(consumer.parentSpanContext?.spanId, request.spanContext().spanId);
  t.deepEqual(
    consumer.links.map((link) => link.context.spanId),
    [request.spanContext().spanId],
    'and links to it',
  );
  t.like(consumer.attributes, {
    'messaging.system': 'github',
    'messaging.message.id': push.id,
    'github.event': 'push',
    'github.installation.id': 22,
    'github.repository.id': 7,
    'reconciler.routing.outcome': 'woke_none',
    'reconciler.routing.woken': 0,
    'reconciler.delivery.outcome': 'applied',
  });
  const decision = consumer.events.find((e) => e.name === 'routing.decision');
  t.like(decision?.attributes, {
    'reconciler.decision': 'not_woken',
    'reconciler.reason': 'installation_mismatch',
    'reconciler.subject.triggerId': 't1',
  });

  const audit = await service.store.listAudit({ limit: 100, deliveryId: push.id });
  t.true(audit.length >= 3);
  t.true(
    audit.every((record) => record.traceId === traceId),
    'every audit record of the delivery carries its trace id',
  );
  const lines = service
    .logLines()
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.deliveryId === push.id);
  t.true(lines.length >= 1);
  t.true(
    lines.every((line) => line.trace_id === traceId),
    'and so does every log line about it',
  );
  const story = (await (await service.api(`/api/deliveries/${push.id}`)).json()) as { traceId: string };
  t.is(story.traceId, traceId);

  const replay = (await (await service.api(`/api/deliveries/${push.id}/replay`, { method: 'POST' })).json()) as {
    deliveryId: string;
  };
  const replayed = await eventually(async () =>
    exporter
      .getFinishedSpans()
      .find((s) => s.name === 'process push' && attribute(s, 'messaging.message.id') === replay.deliveryId),
  );
  const replaySpan = exporter.getFinishedSpans().find((s) => s.name === 'replay delivery');
  t.not(replayed.spanContext().traceId, traceId, 'a replay has a new trace');
  t.is(replayed.spanContext().traceId, replaySpan?.spanContext().traceId ?? 'no replay span');
  t.deepEqual(
    replaySpan?.links.map((link) => link.context.spanId),
    [request.spanContext().spanId],
    'linked to the original delivery',
  );
  t.is(attribute(replayed, 'reconciler.replay_of'), push.id);
});

test('a sync run outside a delivery is a root span whose trace id the answer and its audit carry', async (t) => {
  exporter.reset();
  const service = await startTestService(t);
  await service.api('/api/users/u1', json('PUT', { githubUserId: 1, githubLogin: 'u1' }));
  const answer = (await (await service.api('/api/users/u1/sync', json('POST', {}))).json()) as { traceId: string };
  const root = exporter.getFinishedSpans().find((s) => s.name === 'sync user');
  t.is(root?.parentSpanContext, undefined);
  t.is(answer.traceId, root?.spanContext().traceId ?? 'no sync span');
  t.regex(answer.traceId, /^[0-9a-f]{32}$/);
});

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
  links?: { spanId: string }[];
}

test('the real server with the npm start preload exports the webhook request span as the root server span, the consumer span, and HTTP server spans of the API over OTLP', async (t) => {
  const received: OtlpSpan[] = [];
  const collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
      };
      for (const resource of body.resourceSpans) for (const scope of resource.scopeSpans) received.push(...scope.spans);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  t.teardown(() => collector.close());
  const { port } = collector.address() as AddressInfo;
  const spawned = spawnService(
    t,
    {
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: temporaryDir(t),
      API_TOKEN: TEST_TOKEN,
      GITHUB_WEBHOOK_SECRET: TEST_SECRET,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/v1/traces`,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SERVICE_NAME: 'reconciler-test',
    },
    undefined,
    ['--import', INSTRUMENT_JS],
  );
  const url = await spawned.ready;
  const response = await postDelivery(
    url,
    await signedDelivery(TEST_SECRET, 'push', 'otlp-1', pushPayload({ id: 7, owner: 'o', name: 'r' }, 22, ['a'])),
  );
  t.is(response.status, 202);
  const consumer = await eventually(async () => received.find((s) => s.name === 'process push'), 15_000);
  const request = received.find((s) => s.name === 'webhook receive');
  t.like(request, { kind: 2 }, 'SERVER');
  t.falsy(request?.parentSpanId, 'the root of its trace: no HTTP instrumentation span above it');
  t.is(request?.attributes.find((a) => a.key === 'http.route')?.value.stringValue, '/webhooks/github');
  t.is(
    received.filter((s) => s.traceId === request?.traceId && s.name !== 'process push').length,
    1,
    'one span on the request path',
  );
  t.is((await fetch(`${url}/api/deliveries`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })).status, 200);
  const apiSpan = await eventually(async () => received.find((s) => s.kind === 2 && s.name === 'GET'), 15_000);
  t.truthy(apiSpan, 'the http instrumentation of the preload makes the server span of an API request');
  t.is(request?.traceId, consumer.traceId);
  t.is(consumer.kind, 5, 'CONSUMER');
  t.is(consumer.parentSpanId, request?.spanId);
  t.deepEqual(
    consumer.links?.map((link) => link.spanId),
    [request?.spanId],
  );
  const woken = consumer.attributes.find((a) => a.key === 'reconciler.routing.woken')?.value.intValue;
  t.is(Number(woken), 0, 'a delivery that woke nothing can be searched for');
});

test("a traceparent sent to the webhook route is never adopted: not as a delivery's trace id, not on the lines of a refused request", async (t) => {
  const spawned = spawnService(
    t,
    {
      NODE_ENV: 'test',
      PORT: '0',
      DATA_DIR: temporaryDir(t),
      API_TOKEN: TEST_TOKEN,
      GITHUB_WEBHOOK_SECRET: TEST_SECRET,
      LOG_LEVEL: 'debug',
    },
    undefined,
    ['--import', INSTRUMENT_JS],
  );
  const url = await spawned.ready;
  const chosenTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const traceparent = `00-${chosenTraceId}-00f067aa0ba902b7-01`;
  const withTraceparent = (delivery: SignedDelivery): SignedDelivery => ({
    ...delivery,
    headers: { ...delivery.headers, traceparent },
  });
  const payload = pushPayload({ id: 7, owner: 'o', name: 'r' }, 22, ['a']);
  const unsigned = await signedDelivery('not-the-secret', 'push', 'forged-1', payload);
  t.is((await postDelivery(url, withTraceparent(unsigned))).status, 401);
  const ids = ['chosen-1', 'chosen-2'];
  for (const id of ids)
    t.is(
      (await postDelivery(url, withTraceparent(await signedDelivery(TEST_SECRET, 'push', id, payload)))).status,
      202,
    );

  const traceIds = await Promise.all(
    ids.map((id) =>
      eventually(async () => {
        const response = await fetch(`${url}/api/deliveries/${id}`, {
          headers: { authorization: `Bearer ${TEST_TOKEN}` },
        });
        const story = (await response.json()) as { traceId: string | null };
        return story.traceId;
      }, 15_000),
    ),
  );
  for (const traceId of traceIds) {
    t.regex(traceId, /^[0-9a-f]{32}$/, 'the delivery is traced');
    t.not(traceId, chosenTraceId, 'but not in the trace the sender chose');
  }
  t.not(traceIds[0], traceIds[1], 'two deliveries that sent the same traceparent have traces of their own');
  const refusal = await eventually(async () =>
    spawned
      .output()
      .split('\n')
      .find((line) => line.includes('"deliveryId":"forged-1"')),
  );
  t.regex(refusal, /"trace_id":"[0-9a-f]{32}"/, 'the refused request is traced too');
  t.false(spawned.output().includes(chosenTraceId), 'no log line carries the trace id the sender chose');
});
