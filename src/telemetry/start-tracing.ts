import type { Instrumentation } from '@opentelemetry/instrumentation';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

// The OpenTelemetry SDK for this process. Export follows the standard OTEL_* variables; with
// none of them set, spans are still made (their trace ids go into audit records and log lines)
// but nothing is exported and nothing complains about a missing collector.

const EXPORT_VARIABLES = ['OTEL_TRACES_EXPORTER', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'];

export interface TracingOptions {
  env: Readonly<Record<string, string | undefined>>;
  instrumentations: Instrumentation[];
  /** Where spans go; by default the exporters the OTEL_* variables name, or nowhere. */
  spanProcessors?: SpanProcessor[];
}

function exportConfigured(env: TracingOptions['env']): boolean {
  return EXPORT_VARIABLES.some((name) => (env[name] ?? '') !== '') && env.OTEL_TRACES_EXPORTER !== 'none';
}

export function startTracing(options: TracingOptions): NodeSDK {
  const sdk = new NodeSDK({
    serviceName: options.env.OTEL_SERVICE_NAME ?? 'reconciler',
    instrumentations: options.instrumentations,
    // Metrics are prom-client's (GET /metrics); logs are pino's lines on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    ...(options.spanProcessors !== undefined
      ? { spanProcessors: options.spanProcessors }
      : exportConfigured(options.env)
        ? {}
        : { spanProcessors: [new NoopSpanProcessor()] }),
  });
  sdk.start();
  return sdk;
}
