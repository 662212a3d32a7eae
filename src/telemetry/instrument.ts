import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { startTracing } from './start-tracing.js';
import { WEBHOOK_PATH } from './tracing.js';

// Preloaded before the service (`node --import ./dist/src/telemetry/instrument.js
// dist/src/main.js`, as `npm start` does): the SDK must be running before http loads.
// No ESM loader hook: everything instrumented here is patched without one (http through the
// CommonJS require hook, which also serves `import` of a builtin; undici through its
// diagnostics channels; the MongoDB driver is CommonJS), and the hook's loader thread and module
// wrapping cost about 34 MB of resident memory at start (bench/ingest.ts, idle RSS).

// Only what patches a library this service calls. Not express or router: they made four spans
// per request out of one middleware chain and cost most of the acknowledgement's CPU
// (bench/ingest.ts); the project's own spans say what a request did. Not pino: the logger's
// own mixin already puts trace_id and span_id on every line (logger.ts).
const instrumentations: Instrumentation[] = [
  new HttpInstrumentation({
    // The webhook route is the internet's: its traceparent is the sender's to choose, so it
    // gets no server span that adopts it. The route's own span is the root of the delivery's
    // trace (http/routes/webhook.ts).
    ignoreIncomingRequestHook: (request) => request.method === 'POST' && request.url?.split('?')[0] === WEBHOOK_PATH,
  }),
  // GitHub calls go through fetch (Octokit).
  new UndiciInstrumentation(),
];
if ((process.env.MONGODB_URI ?? '') !== '') {
  const { MongoDBInstrumentation } = await import('@opentelemetry/instrumentation-mongodb');
  instrumentations.push(new MongoDBInstrumentation());
}

const sdk = startTracing({ env: process.env, instrumentations });

// Spans still buffered are exported before the process exits.
process.once('beforeExit', () => void sdk.shutdown());
