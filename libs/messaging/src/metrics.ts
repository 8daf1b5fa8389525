import {
  metrics,
  type Attributes,
  type BatchObservableCallback,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type ObservableGauge,
} from '@opentelemetry/api';
import { MESSAGING_ATTRIBUTES } from './tracing';

/** The bus's instruments; metric attributes follow the messaging semantic conventions. */
export interface MessagingMetrics {
  meter: Meter;
  /** `messaging.process.duration` (s): one delivery's handling, until its outcome was settled. */
  processDuration: Histogram;
  /** `junction.messaging.redeliveries`: deliveries nak'd after a failure, to be tried again. */
  redeliveries: Counter;
  /** `junction.messaging.dead_letters`: messages a consumer gave up on, stored in the dead-letter stream. */
  deadLetters: Counter;
  /**
   * `junction.messaging.dead_letter.count`, observed: dead letters waiting for a replay or delete, by original subject
   * (a count of things present: `.count`, as OpenTelemetry names UpDownCounters).
   */
  deadLettersStored: ObservableGauge;
  /** `junction.messaging.consumer.pending`, observed: messages the durable has not delivered yet. */
  consumerPending: ObservableGauge;
  /** `junction.messaging.consumer.ack_pending`, observed: delivered messages awaiting their outcome. */
  consumerAckPending: ObservableGauge;
  /** `junction.messaging.consumer.redelivered`, observed: unacknowledged messages delivered more than once. */
  consumerRedelivered: ObservableGauge;
}

/** What a durable's gauges are read from: the server's consumer info. */
export interface ConsumerCounts {
  pending: number;
  ackPending: number;
  redelivered: number;
}

// The metrics API has no proxy provider: instruments made before telemetry started would stay no-ops, so they are
// made per provider, on first use.
const byProvider = new WeakMap<MeterProvider, MessagingMetrics>();

export function messagingMetrics(): MessagingMetrics {
  const provider = metrics.getMeterProvider();
  let instruments = byProvider.get(provider);
  if (!instruments) {
    instruments = createInstruments(provider);
    byProvider.set(provider, instruments);
  }
  return instruments;
}

function createInstruments(provider: MeterProvider): MessagingMetrics {
  const meter = provider.getMeter('@junction/messaging');
  return {
    meter,
    processDuration: meter.createHistogram('messaging.process.duration', {
      unit: 's',
      description: 'Duration of handling one delivered message',
      advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] },
    }),
    redeliveries: meter.createCounter('junction.messaging.redeliveries', {
      unit: '{message}',
      description: 'Deliveries negatively acknowledged after a failure, to be delivered again',
    }),
    deadLetters: meter.createCounter('junction.messaging.dead_letters', {
      unit: '{message}',
      description: 'Messages moved to the dead-letter stream',
    }),
    deadLettersStored: meter.createObservableGauge('junction.messaging.dead_letter.count', {
      unit: '{message}',
      description: 'Dead letters stored, waiting for a replay or delete, by original subject',
    }),
    consumerPending: meter.createObservableGauge('junction.messaging.consumer.pending', {
      unit: '{message}',
      description: 'Messages a durable consumer has not delivered yet',
    }),
    consumerAckPending: meter.createObservableGauge('junction.messaging.consumer.ack_pending', {
      unit: '{message}',
      description: 'Messages delivered to a durable consumer and awaiting their outcome',
    }),
    consumerRedelivered: meter.createObservableGauge('junction.messaging.consumer.redelivered', {
      unit: '{message}',
      description: 'Unacknowledged messages of a durable consumer delivered more than once',
    }),
  };
}

/** The metric attributes of one durable consumer (logical names, so dashboards work across namespaces). */
export function consumerAttributes(durable: string, filterSubject: string): Attributes {
  return {
    [MESSAGING_ATTRIBUTES.system]: 'nats',
    [MESSAGING_ATTRIBUTES.consumerGroup]: durable,
    [MESSAGING_ATTRIBUTES.destination]: filterSubject,
  };
}

/**
 * Reports a durable's counts on every collection (a scrape or an OTLP export) while it runs; returns the function
 * that stops it. Replicas sharing the durable all report the same counts: aggregate them with max, not sum.
 */
export function observeConsumer(attributes: Attributes, read: () => Promise<ConsumerCounts>, onError: (err: unknown) => void): () => void {
  const instruments = messagingMetrics();
  const gauges = [instruments.consumerPending, instruments.consumerAckPending, instruments.consumerRedelivered];
  const callback: BatchObservableCallback = async (result) => {
    try {
      const counts = await read();
      result.observe(instruments.consumerPending, counts.pending, attributes);
      result.observe(instruments.consumerAckPending, counts.ackPending, attributes);
      result.observe(instruments.consumerRedelivered, counts.redelivered, attributes);
    } catch (err) {
      // A scrape while NATS is away: leave the gauges out rather than fail the whole collection.
      onError(err);
    }
  };
  instruments.meter.addBatchObservableCallback(callback, gauges);
  return () => instruments.meter.removeBatchObservableCallback(callback, gauges);
}
