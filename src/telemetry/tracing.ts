import {
  context,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanOptions,
} from '@opentelemetry/api';

// Tracing through the OpenTelemetry API only: without a registered SDK (unit tests) every call
// here is a cheap no-op and trace ids are null. The SDK is started by start-tracing.ts.

const TRACER = 'reconciler';
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

const tracer = () => trace.getTracer(TRACER);

/** The webhook route, whose requests are traced by the route's own span alone (instrument.ts). */
export const WEBHOOK_PATH = '/webhooks/github';

/**
 * Runs a webhook request in its span: the server span, and the root of a new trace. A
 * `traceparent` the sender put on the request is not adopted (anyone can send one, and the
 * signature is checked later), so every delivery gets a trace id of its own.
 */
export function inWebhookReceiveSpan<T>(work: (span: Span) => Promise<T>): Promise<T> {
  const options: SpanOptions = {
    kind: SpanKind.SERVER,
    root: true,
    attributes: { 'http.request.method': 'POST', 'http.route': WEBHOOK_PATH },
  };
  return inSpan('webhook receive', options, work, ROOT_CONTEXT);
}

/** The trace id of the active span, or null when nothing is traced. */
export function currentTraceId(): string | null {
  const spanContext = trace.getActiveSpan()?.spanContext();
  return spanContext !== undefined && isSpanContextValid(spanContext) ? spanContext.traceId : null;
}

/** The W3C traceparent of the active span, kept with a delivery so its processing joins the trace. */
export function currentTraceparent(): string | null {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (spanContext === undefined || !isSpanContextValid(spanContext)) return null;
  const flags = spanContext.traceFlags.toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** A stored traceparent as a remote parent context and a link; null when absent or malformed. */
export function remoteContextOf(traceparent: string | null): { parent: Context; link: Link } | null {
  const match = traceparent === null ? null : TRACEPARENT.exec(traceparent);
  if (match === null) return null;
  const spanContext = {
    traceId: match[1] ?? '',
    spanId: match[2] ?? '',
    traceFlags: Number.parseInt(match[3] ?? '0', 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
  if (!isSpanContextValid(spanContext)) return null;
  return { parent: trace.setSpanContext(context.active(), spanContext), link: { context: spanContext } };
}

/** Runs `work` in a new active span that ends with it; an exception marks the span as an error. */
export async function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span) => Promise<T>,
  parent: Context = context.active(),
): Promise<T> {
  return tracer().startActiveSpan(name, options, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: 2, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Adds an event to the active span, if any (decisions are span events, R11). */
function addSpanEvent(name: string, attributes: Attributes): void {
  trace.getActiveSpan()?.addEvent(name, attributes);
}

export function setSpanAttributes(attributes: Attributes): void {
  trace.getActiveSpan()?.setAttributes(attributes);
}

/** Decisions told to the active span, and its trace id in their audit records (domain/audit-for.ts). */
export const activeSpanTrace = {
  traceId: currentTraceId,
  event: (name: string, attributes: Attributes) => addSpanEvent(name, attributes),
};
