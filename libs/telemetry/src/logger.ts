import { isSpanContextValid, trace } from '@opentelemetry/api';
import { REDACTED, scrubDeep, secretRegistry } from '@junction/secrets';
import pino, { DestinationStream, LogFn, Logger } from 'pino';
import { scrubPersonalData } from './personal-data';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Written on every line as `service`. */
  service: string;
  /** Defaults to LOG_LEVEL, then 'info'. */
  level?: string;
  /** Where JSON lines go; defaults to stdout. Tests pass a stream that collects them. */
  destination?: DestinationStream;
}

// Exact-case field names for pino's fast redaction, at the top level and one level down; the
// case-insensitive, any-depth rule is scrubDeep's.
const REDACTED_FIELDS = [
  'password',
  'pass',
  'secret',
  'token',
  'apiKey',
  'api_key',
  'authorization',
  'cookie',
  'key',
  'credentials',
];
const REDACT_PATHS = REDACTED_FIELDS.flatMap((field) => [field, `*.${field}`]);

/**
 * A JSON logger whose every line carries `service`, plus `trace_id` and `span_id` inside an active
 * span, and never a value registered with the secret registry or held under a secret-looking key, nor an e-mail
 * address or phone number (see scrubPersonalData).
 */
export function createLogger({ service, level, destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level: level ?? process.env.LOG_LEVEL ?? 'info',
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: activeTraceFields,
    formatters: {
      level: (label) => ({ level: label }),
      // The line's merged fields (mixin included), as pino is about to serialize them.
      log: (fields) => scrubDeep(fields),
    },
    hooks: {
      // Before pino formats: it interpolates the arguments and takes an error's message as msg
      // before any formatter runs.
      logMethod(args, method) {
        method.apply(this, args.map((arg) => scrubDeep(arg)) as Parameters<LogFn>);
      },
      // The finished line, for what no formatter sees: child() bindings are serialized once, up front. E-mail addresses
      // and phone numbers go too, wherever they are (a vendor's error message, a value in a logged object).
      streamWrite: (line) => scrubPersonalData(secretRegistry.scrub(line)),
    },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
  };
  // Synchronous writes: a line logged during shutdown is out before the process exits on its re-raised signal.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}

function activeTraceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
