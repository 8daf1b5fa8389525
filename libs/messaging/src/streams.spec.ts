import { nanos } from '@nats-io/transport-node';
import { Namespace } from './namespace';
import { configDrift, JUNCTION_STREAMS, streamConfig } from './streams';

const DAY_NS = nanos(24 * 60 * 60 * 1000);

describe('JUNCTION_STREAMS', () => {
  it('declares the streams of docs/architecture.md with their retention', () => {
    const ages = Object.fromEntries(JUNCTION_STREAMS.map((spec) => [spec.name, nanos(spec.maxAgeMs) / DAY_NS]));
    expect(ages).toEqual({ EVENTS: 7, COMMANDS: 7, SYNC: 7, CONFIG: 30, DLQ: 30 });
    const subjects = Object.fromEntries(JUNCTION_STREAMS.map((spec) => [spec.name, spec.subjects]));
    expect(subjects).toEqual({
      EVENTS: ['deal.>', 'order.>', 'customer.>', 'contact.>', 'product.>', 'record.>'],
      COMMANDS: ['cmd.>'],
      SYNC: ['sync.>'],
      CONFIG: ['config.>'],
      DLQ: ['dlq.>'],
    });
  });
});

describe('streamConfig', () => {
  const names = new Namespace('t1');
  const spec = { name: 'EVENTS', subjects: ['deal.>', 'order.>'], maxAgeMs: 60_000 };

  it('namespaces the stream and uses limits retention, file storage and a 2 minute duplicate window', () => {
    expect(streamConfig(names, { ...spec, maxAgeMs: 7 * 24 * 3_600_000 })).toMatchObject({
      name: 'T1_EVENTS',
      subjects: ['t1.deal.>', 't1.order.>'],
      retention: 'limits',
      storage: 'file',
      max_age: 7 * DAY_NS,
      duplicate_window: nanos(120_000),
      discard: 'old',
    });
  });

  it('never lets the duplicate window exceed the max age (the server refuses that)', () => {
    expect(streamConfig(names, { ...spec, maxAgeMs: 30_000 }).duplicate_window).toBe(nanos(30_000));
  });

  it('caps the messages of streams consumers dead-letter from, so their dead letters fit under max_payload', () => {
    expect(streamConfig(names, { ...spec, deadLetterSource: true }, 1_048_576).max_msg_size).toBe(1_048_576 - 16 * 1024);
    expect(streamConfig(names, spec, 1_048_576).max_msg_size).toBe(-1);
  });

  it('keeps a dead letter id for a day in the DLQ, so a lagging consumer cannot store a second copy', () => {
    const dlq = JUNCTION_STREAMS.find((stream) => stream.name === 'DLQ')!;
    expect(streamConfig(names, dlq).duplicate_window).toBe(DAY_NS);
    expect(JUNCTION_STREAMS.filter((stream) => stream.deadLetterSource).map((stream) => stream.name)).toEqual([
      'EVENTS',
      'COMMANDS',
      'SYNC',
      'CONFIG',
    ]);
  });
});

describe('configDrift', () => {
  const names = new Namespace('t1');
  const desired = streamConfig(names, { name: 'EVENTS', subjects: ['deal.>', 'order.>'], maxAgeMs: 60_000 });
  const onServer = (changes: object) => ({ ...desired, max_msgs: -1, num_replicas: 1, ...changes }) as never;

  it('ignores subject order and settings Junction does not own', () => {
    expect(configDrift(onServer({ subjects: ['t1.order.>', 't1.deal.>'], max_bytes: 1024 }), desired)).toEqual([]);
  });

  it('names the owned settings that differ', () => {
    expect(configDrift(onServer({ subjects: ['t1.deal.>'], max_age: 1 }), desired)).toEqual(['subjects', 'max_age']);
  });
});
