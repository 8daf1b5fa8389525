import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  ReplayPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { Namespace } from './namespace';

/** The durable's server configuration. */
export function durableConfig(
  namespace: Namespace,
  options: { durable: string; filterSubject: string; maxDeliver: number; ackWaitMs: number },
): ConsumerConfig & { durable_name: string } {
  return {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    filter_subject: namespace.subject(options.filterSubject),
    // One spare delivery: when the last allowed attempt ends without an outcome (shutdown nak, crash, AckWait), the
    // message still gets a delivery that can end in an ack or a dead letter instead of being stranded in the stream.
    max_deliver: options.maxDeliver + 1,
    ack_wait: nanos(options.ackWaitMs),
  };
}

// nats-server 2.10+: "consumer already exists" (a create whose config differs from the existing durable's).
const CONSUMER_ALREADY_EXISTS = 10148;

/** Creates the durable or updates its configuration; idempotent, and safe when replicas do it at the same time. */
export async function ensureDurable(
  jsm: JetStreamManager,
  stream: string,
  config: ConsumerConfig & { durable_name: string },
): Promise<ConsumerInfo> {
  try {
    // Servers before 2.10 update an existing durable on create; newer ones refuse a changed config (handled below).
    return await jsm.consumers.add(stream, config);
  } catch (err) {
    if (!(err instanceof JetStreamApiError)) throw err;
    if (err.code === JetStreamApiCodes.StreamNotFound) {
      throw new Error(`stream ${stream} does not exist (did ensureStreams() run for this namespace?)`, { cause: err });
    }
    if (err.code !== CONSUMER_ALREADY_EXISTS) throw err;
    return jsm.consumers.update(stream, config.durable_name, config);
  }
}
