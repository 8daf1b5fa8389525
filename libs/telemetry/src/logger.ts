import { isSpanContextValid, trace } from '@opentelemetry/api';
import { REDACTED, scrubDeep, secretRegistry } from '@junction/secrets';
import pino, { DestinationStream, LogFn, Logger } from 'pino';

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
 * span, and never a value registered with the secret registry or held under a secret-looking key.
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
      // The finished line, for what no formatter sees: child() bindings are serialized once, up front.
      streamWrite: (line) => secretRegistry.scrub(line),
    },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
  };
  return destination ? pino(options, destination) : pino(options);
}

function activeTraceFields(): Record<string, string> {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
