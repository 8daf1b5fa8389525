import { nanos } from '@nats-io/transport-node';
import { durableConfig } from './durable';
import { Namespace } from './namespace';

describe('durableConfig', () => {
  it('is an explicit-ack durable on the namespaced filter with one spare delivery for the dead letter', () => {
    const config = durableConfig(new Namespace('t1'), {
      durable: 'mapping',
      filterSubject: 'deal.>',
      maxDeliver: 8,
      ackWaitMs: 30_000,
    });
    expect(config).toMatchObject({
      durable_name: 'mapping',
      ack_policy: 'explicit',
      deliver_policy: 'all',
      filter_subject: 't1.deal.>',
      max_deliver: 9,
      ack_wait: nanos(30_000),
    });
  });
});
