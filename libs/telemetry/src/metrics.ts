import { Counter, Histogram, Meter, MeterProvider, ObservableGauge, metrics } from '@opentelemetry/api';

export type SyncRecordAttributes = {
  integration: string;
  connection: string;
  entity: string;
  /** 'created', 'updated', 'skipped' or 'failed'. */
  outcome: string;
};

export type SyncWriteAttributes = {
  integration: string;
  connector: string;
  connection: string;
  entity: string;
  /** What the ID map did ('created', 'found_existing', 'mapped', ...), or 'failed'. */
  outcome: string;
};

export type SyncRunAttributes = {
  integration: string;
  connector: string;
  stream: string;
  /** 'succeeded', 'failed' or 'stopped' (shutdown or a lost lease: the run resumes later). */
  state: string;
};

/**
 * The instruments of the sync engine (connector runtime and mapping), named and sized after OpenTelemetry
 * conventions. The messaging and vendor-http libraries own theirs (`junction.messaging.*`, `junction.vendor.*`).
 */
export interface JunctionMetrics {
  /** The meter of these instruments, for batch callbacks that observe several gauges from one query. */
  meter: Meter;
  /** `junction.sync.records`: records sync runs pulled from a source, by outcome. */
  syncRecords: Counter<SyncRecordAttributes>;
  /** `junction.sync.writes`: records written to a target by commands, or given up on (`outcome: failed`). */
  syncWrites: Counter<SyncWriteAttributes>;
  /** `junction.sync.record.latency` (s): from the change in the source to its write in the target. */
  syncRecordLatency: Histogram<Omit<SyncWriteAttributes, 'outcome'>>;
  /** `junction.sync.run.duration` (s): wall time of one sync run. */
  syncRunDuration: Histogram<SyncRunAttributes>;
  /**
   * `junction.sync.lag` (s), observed: per connection and stream, the age of the oldest source change that may not
   * be synced yet, i.e. the time since the newest successful run started (everything changed before it was read).
   */
  syncLag: ObservableGauge;
  /**
   * `junction.sync.waiting.count` ({record}), observed: records waiting for an integration's settings (unmapped
   * statuses; mapping reports them by `integration`), or commands waiting for a record another command writes (a
   * contact whose customer is not created yet; each connector reports them by `integration`, `connector` and
   * `awaiting`, the entity type waited for). A count of things present, so not pluralized but `.count`, as
   * OpenTelemetry names UpDownCounters.
   */
  syncWaiting: ObservableGauge;
  /** `junction.sync.waiting.age` (s), observed: how long the oldest of those records has waited (same attributes). */
  syncWaitingAge: ObservableGauge;
  /** `junction.id_map.entry.count` ({entry}), observed: ID map size per connection and entity type. */
  idMapEntries: ObservableGauge;
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

// From a quick incremental poll to a first full import of a large shop, which takes hours.
const RUN_SECONDS = [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 14400];
// From a push that is written within a second to an order that waited a day for its nightly pull.
const LATENCY_SECONDS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 48 * 3600];

function createInstruments(provider: MeterProvider): JunctionMetrics {
  const meter = provider.getMeter('junction');
  return {
    meter,
    syncRecords: meter.createCounter('junction.sync.records', {
      unit: '{record}',
      description: 'Records pulled by sync runs, by outcome',
    }),
    syncWrites: meter.createCounter('junction.sync.writes', {
      unit: '{record}',
      description: 'Records written to a target by commands, by outcome; failed ones were given up on',
    }),
    syncRecordLatency: meter.createHistogram('junction.sync.record.latency', {
      unit: 's',
      description: 'Time from a change in the source to its write in the target',
      advice: { explicitBucketBoundaries: LATENCY_SECONDS },
    }),
    syncRunDuration: meter.createHistogram('junction.sync.run.duration', {
      unit: 's',
      description: 'Duration of sync runs',
      advice: { explicitBucketBoundaries: RUN_SECONDS },
    }),
    syncLag: meter.createObservableGauge('junction.sync.lag', {
      unit: 's',
      description: 'Age of the oldest source change that may not be synced yet: time since the last successful run started',
    }),
    syncWaiting: meter.createObservableGauge('junction.sync.waiting.count', {
      unit: '{record}',
      description: "Records waiting for their integration's settings (e.g. an unmapped status) or for a record they need",
    }),
    syncWaitingAge: meter.createObservableGauge('junction.sync.waiting.age', {
      unit: 's',
      description: 'How long the oldest waiting record has waited',
    }),
    idMapEntries: meter.createObservableGauge('junction.id_map.entry.count', {
      unit: '{entry}',
      description: 'ID map entries (source record -> vendor record) per connection and entity type',
    }),
  };
}
