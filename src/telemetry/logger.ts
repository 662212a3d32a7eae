import { isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Where the JSON lines go; stdout when absent. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

// Call sites log ids and messages, never credentials; these paths are a second line of defence
// for an object logged whole (a request's options carry its Authorization header).
const SECRET_FIELDS = ['authorization', 'token', 'oauthToken', 'apiToken', 'privateKey', 'secret', 'webhookSecrets'];
const REDACTED_PATHS = SECRET_FIELDS.flatMap((field) => [
  field,
  `*.${field}`,
  `headers.${field}`,
  `*.headers.${field}`,
  `*.*.headers.${field}`,
]);

/** One JSON line per event, with level and ISO time; callers add deliveryId and the like as fields. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'reconciler' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Every line written inside a span carries its trace, so logs and traces join (R11).
      mixin: () => {
        const spanContext = trace.getActiveSpan()?.spanContext();
        return spanContext !== undefined && isSpanContextValid(spanContext)
          ? { trace_id: spanContext.traceId, span_id: spanContext.spanId }
          : {};
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

export const silentLogger: Logger = pino({ level: 'silent' });
