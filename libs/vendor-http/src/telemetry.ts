import { metrics, trace, type Attributes, type Counter, type Histogram } from '@opentelemetry/api';

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
