import {
  context,
  metrics,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Counter,
  type Histogram,
  type Span,
} from '@opentelemetry/api';
import { VendorHttpError } from './errors';

// Seconds: vendor calls take tens of milliseconds to tens of seconds; rate-limit waits up to the max retry delay.
const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

export interface VendorMetrics {
  requests: Counter;
  requestDuration: Histogram;
  rateLimitWait: Histogram;
}

/**
 * Instruments are made per client rather than at module load: the metrics API has no proxy provider,
 * so instruments created before telemetry starts would stay no-ops forever.
 */
export function createVendorMetrics(): VendorMetrics {
  const meter = metrics.getMeter('junction.vendor-http');
  return {
    requests: meter.createCounter('junction.vendor.requests', {
      description: 'HTTP requests sent to a vendor, one per attempt',
    }),
    requestDuration: meter.createHistogram('junction.vendor.request.duration', {
      description: 'Duration of one attempt, until the response body was read',
      unit: 's',
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    }),
    rateLimitWait: meter.createHistogram('junction.vendor.rate_limit.wait', {
      description: 'Time an attempt waited for the per-credential rate limiter',
      unit: 's',
      advice: { explicitBucketBoundaries: [0, ...SECONDS_BUCKETS] },
    }),
  };
}

/** The HTTP auto-instrumentation spans each attempt; the retry decision between attempts is ours to record. */
export function recordRetryEvent(attempt: number, delayMs: number, reason: string, attributes: Attributes = {}): void {
  trace.getActiveSpan()?.addEvent('vendor.retry', { attempt, 'delay.ms': delayMs, 'error.type': reason, ...attributes });
}

/** One attempt as its CLIENT span describes it; never the query string, which may carry e-mails or credentials. */
export interface AttemptDescription {
  vendor: string;
  method: string;
  url: URL;
  /** 1 for the first attempt of a request. */
  attempt: number;
  rateLimitWaitMs: number;
}

/**
 * Runs one HTTP attempt inside a CLIENT span named after the HTTP conventions (`GET`, `POST`: paths hold ids), with
 * the span's W3C trace context written into `headers`. undici's client is not covered by the http instrumentation.
 */
export function traceAttempt<T>(attempt: AttemptDescription, headers: Record<string, string>, send: (span: Span) => Promise<T>): Promise<T> {
  const attributes: Attributes = {
    'http.request.method': attempt.method,
    'server.address': attempt.url.hostname,
    'server.port': Number(attempt.url.port) || (attempt.url.protocol === 'https:' ? 443 : 80),
    'url.scheme': attempt.url.protocol.replace(/:$/, ''),
    'url.path': attempt.url.pathname,
    'junction.vendor': attempt.vendor,
    'junction.vendor.rate_limit.wait_ms': Math.round(attempt.rateLimitWaitMs),
    ...(attempt.attempt > 1 ? { 'http.request.resend_count': attempt.attempt - 1 } : {}),
  };
  const tracer = trace.getTracer('@junction/vendor-http');
  return tracer.startActiveSpan(attempt.method, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    propagation.inject(context.active(), headers);
    try {
      return await send(span);
    } catch (error) {
      // No answer (timeout, refused connection) or a 2xx we cannot use (its body breaks the schema); an error status
      // is on the span already. Only the code: vendor messages can quote personal data.
      if (!(error instanceof VendorHttpError && error.status !== undefined && error.status >= 400)) {
        span.setAttribute('error.type', error instanceof VendorHttpError ? error.code : 'unknown');
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      throw error;
    } finally {
      span.end();
    }
  });
}

/** The answer's status on the attempt's span; 4xx and 5xx mark a client span failed. */
export function recordResponse(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 400) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}
