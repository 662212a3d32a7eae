import { register } from 'node:module';
import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
import { startTracing } from './start-tracing.js';

// Preloaded before the service (`node --import ./dist/src/telemetry/instrument.js
// dist/src/main.js`, as `npm start` does): ESM modules can only be instrumented when the
// loader hook is registered before they are imported, and the SDK must be running before
// http and express load.

register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const sdk = startTracing({
  env: process.env,
  instrumentations: getNodeAutoInstrumentations({
    // File system and DNS spans would drown the ones that explain a delivery.
    '@opentelemetry/instrumentation-fs': { enabled: false },
    '@opentelemetry/instrumentation-dns': { enabled: false },
    '@opentelemetry/instrumentation-net': { enabled: false },
  }),
});

// Spans still buffered are exported before the process exits.
process.once('beforeExit', () => void sdk.shutdown());
