import { Counter, Histogram, MeterProvider, metrics } from '@opentelemetry/api';

export type SyncRecordAttributes = {
  integration: string;
  connection: string;
  entity: string;
  /** e.g. 'written', 'skipped', 'failed'. */
  outcome: string;
};

export type VendorAttributes = { vendor: string };

export type VendorRequestAttributes = VendorAttributes & {
  /** Absent when no response arrived (timeout, connection error). */
  'http.response.status_code'?: number;
};

/** Instruments shared by every Junction library, named and sized after OpenTelemetry conventions. */
export interface JunctionMetrics {
  /** `junction.sync.records`: records a sync handled, by outcome. */
  syncRecords: Counter<SyncRecordAttributes>;
  /** `junction.sync.run.duration` (s): wall time of one sync run. */
  syncRunDuration: Histogram;
  /** `junction.messaging.dead_letters`: messages moved to the dead-letter stream. */
  deadLetters: Counter;
  /** `junction.messaging.redeliveries`: messages nak'd for another delivery. */
  redeliveries: Counter;
  /** `junction.vendor.requests`: HTTP requests sent to a vendor API. */
  vendorRequests: Counter<VendorRequestAttributes>;
  /** `junction.vendor.rate_limit.wait` (s): time spent waiting for a vendor rate limit. */
  vendorRateLimitWait: Histogram<VendorAttributes>;
}

// Instruments belong to the meter provider that created them; the metrics API has no proxy, so one
// set is kept per provider and callers always record into the one currently registered.
const instrumentsByProvider = new WeakMap<MeterProvider, JunctionMetrics>();

/** The shared instruments of the current meter provider; call it where you record, it is cheap. */
export function junctionMetrics(): JunctionMetrics {
  const provider = metrics.getMeterProvider();
  let instruments = instrumentsByProvider.get(provider);
  if (!instruments) {
    instruments = createInstruments(provider);
    instrumentsByProvider.set(provider, instruments);
  }
  return instruments;
}

function createInstruments(provider: MeterProvider): JunctionMetrics {
  const meter = provider.getMeter('junction');
  return {
    syncRecords: meter.createCounter('junction.sync.records', {
      unit: '{record}',
      description: 'Records handled by sync runs, by outcome',
    }),
    syncRunDuration: meter.createHistogram('junction.sync.run.duration', {
      unit: 's',
      description: 'Duration of sync runs',
      // From a quick incremental poll to a first full import of a large shop, which takes hours.
      advice: { explicitBucketBoundaries: [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 14400] },
    }),
    deadLetters: meter.createCounter('junction.messaging.dead_letters', {
      unit: '{message}',
      description: 'Messages moved to the dead-letter stream',
    }),
    redeliveries: meter.createCounter('junction.messaging.redeliveries', {
      unit: '{message}',
      description: 'Messages negatively acknowledged for redelivery',
    }),
    vendorRequests: meter.createCounter('junction.vendor.requests', {
      unit: '{request}',
      description: 'HTTP requests sent to vendor APIs',
    }),
    vendorRateLimitWait: meter.createHistogram('junction.vendor.rate_limit.wait', {
      unit: 's',
      description: 'Time spent waiting for a vendor rate limit',
      advice: { explicitBucketBoundaries: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] },
    }),
  };
}
