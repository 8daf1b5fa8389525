import { COMMANDS, commandSubject, CONNECTION_OPERATIONS, CONNECTORS, controlSubject, type ConnectorName } from '@junction/contracts';
import { DLQ_STREAM, inboxPrefix, JUNCTION_STREAMS } from '@junction/messaging';

/** A durable pull consumer: libs/messaging's `Bus.consume({ stream, durable, filterSubject })`. */
export interface DurableUse {
  stream: string;
  durable: string;
  filter: string;
}

/**
 * What one service does on NATS (subjects without a namespace), read from its code. deploy/nats/values.yaml must
 * allow exactly this; the images test runs every service under those permissions to prove it is enough.
 */
export interface BusUsage {
  service: string;
  consumers: DurableUse[];
  /** Subjects it publishes to a stream (events, commands, run updates); dead letters come from `consumers`. */
  publishes: string[];
  /** Core NATS request subjects it sends (replies come back on its inbox). */
  requests: string[];
  /** Request subjects it answers, as a queue group (replies go to the requester's inbox). */
  serves: string[];
  /** Creates and updates the streams (JUNCTION_STREAMS); every other service only checks them. */
  declaresStreams: boolean;
  /** Reads and deletes dead letters directly (the control API's dead-letter routes). */
  readsDeadLetters: boolean;
}

/**
 * The events each connector's pull streams publish, by connector: the streams' `eventSubject`, the `subject` some
 * records name themselves (status changes in an orders stream) and the `.updated` events of libs/connector-runtime's
 * record changes (update sync of customers, contacts and products).
 */
const CONNECTOR_EVENTS: Record<ConnectorName, string[]> = {
  zomentum: ['deal.won', 'customer.created', 'customer.updated', 'contact.created', 'contact.updated', 'product.created', 'product.updated'],
  repairshopr: ['customer.created', 'customer.updated', 'contact.created', 'contact.updated', 'product.created', 'product.updated'],
  shoprenter: ['order.created', 'order.status.changed'],
  minicrm: [],
  zzap: ['order.created', 'order.status.changed'],
  retailcrm: ['order.status.changed'],
};

/** The events the mapping service routes (services/mapping/src/routing/event-route.ts), one durable each. */
const ROUTED_EVENTS = [
  'deal.won',
  'customer.created',
  'contact.created',
  'product.created',
  'customer.updated',
  'contact.updated',
  'product.updated',
  'order.created',
  'order.updated',
  'order.status.changed',
];

/** Every concrete command subject, e.g. cmd.repairshopr.estimate.create. */
export function commandSubjects(): string[] {
  return Object.values(COMMANDS).flatMap((contract) => contract.connectors.map((connector) => commandSubject(connector, contract.action)));
}

/** Every request subject of connection control, e.g. ctl.zzap.connection.test. */
export function controlSubjects(connector?: ConnectorName): string[] {
  return (connector ? [connector] : [...CONNECTORS]).flatMap((name) => CONNECTION_OPERATIONS.map((op) => controlSubject(name, op)));
}

function connectorUsage(connector: ConnectorName): BusUsage {
  const executesCommands = commandSubjects().some((subject) => subject.startsWith(`cmd.${connector}.`));
  return {
    service: connector,
    // libs/connector-runtime (ConnectorRuntime.durables): every connector's replicas share these two.
    consumers: [
      { stream: 'SYNC', durable: `${connector}-sync`, filter: 'sync.requested' },
      { stream: 'COMMANDS', durable: `${connector}-commands`, filter: `cmd.${connector}.>` },
    ],
    publishes: [...CONNECTOR_EVENTS[connector], ...(executesCommands ? ['record.written', 'record.failed'] : []), 'sync.run.updated'],
    requests: [],
    serves: controlSubjects(connector),
    declaresStreams: false,
    readsDeadLetters: false,
  };
}

function mappingConsumers(): DurableUse[] {
  return [
    ...ROUTED_EVENTS.map((subject) => ({ stream: 'EVENTS', durable: `mapping-${subject.replace(/\./g, '-')}`, filter: subject })),
    { stream: 'EVENTS', durable: 'mapping-record-links', filter: 'record.written' },
    { stream: 'EVENTS', durable: 'mapping-record-failures', filter: 'record.failed' },
    { stream: 'SYNC', durable: 'mapping-run-views', filter: 'sync.run.updated' },
  ];
}

const scheduler: BusUsage = {
  service: 'scheduler',
  consumers: [{ stream: 'CONFIG', durable: 'scheduler-config', filter: 'config.schedule.updated' }],
  publishes: ['sync.requested'],
  requests: [],
  serves: [],
  declaresStreams: false,
  readsDeadLetters: false,
};

/** Every service's use of NATS. */
export function busUsages(): BusUsage[] {
  const connectors = CONNECTORS.map(connectorUsage);
  const others = [...connectors, scheduler];
  const consumed = (usages: BusUsage[]) => usages.flatMap((usage) => usage.consumers.map((consumer) => consumer.filter));
  const mappingOwn = mappingConsumers();
  const mapping: BusUsage = {
    service: 'mapping',
    consumers: mappingOwn,
    publishes: unique([
      // "Sync now", schedule changes and the commands its routes plan.
      'sync.requested',
      'config.schedule.updated',
      'cmd.>',
      // Replaying a dead letter republishes it to its original subject: anything a consumer reads.
      ...consumed([...others]),
      ...mappingOwn.map((consumer) => consumer.filter),
    ]),
    requests: controlSubjects(),
    serves: [],
    declaresStreams: true,
    readsDeadLetters: true,
  };
  return [mapping, scheduler, ...connectors];
}

export function busUsage(service: string): BusUsage {
  const usage = busUsages().find((candidate) => candidate.service === service);
  if (!usage) throw new Error(`no bus usage known for service ${service}`);
  return usage;
}

/** The JetStream API subjects a durable needs: create or update it (the filter is part of the subject), read it, fetch, ack. */
export function durableApiSubjects({ stream, durable, filter }: DurableUse): string[] {
  return [
    `$JS.API.CONSUMER.CREATE.${stream}.${durable}.${filter}`,
    `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
  ];
}

/**
 * What a service must be allowed to publish, as NATS subject patterns: the JetStream API (checked per call in
 * nats.js 3 and libs/messaging), its stream subjects, its requests and the dead letters of its consumers.
 */
export function requiredPublish(usage: BusUsage): string[] {
  const streams = JUNCTION_STREAMS.map((spec) => spec.name);
  return unique([
    // jetstreamManager() reads the account info first.
    '$JS.API.INFO',
    ...streams.map((stream) => `$JS.API.STREAM.INFO.${stream}`),
    ...(usage.declaresStreams ? streams.flatMap((stream) => [`$JS.API.STREAM.CREATE.${stream}`, `$JS.API.STREAM.UPDATE.${stream}`]) : []),
    ...(usage.readsDeadLetters ? [`$JS.API.DIRECT.GET.${DLQ_STREAM}`, `$JS.API.STREAM.MSG.DELETE.${DLQ_STREAM}`] : []),
    ...usage.consumers.flatMap(durableApiSubjects),
    ...usage.publishes,
    ...usage.requests,
    ...usage.consumers.map((consumer) => `dlq.${consumer.filter}`),
  ]);
}

/**
 * Its own inbox (the bus connects with the service's name, so replies to its JetStream API calls and requests,
 * publish acks and fetched messages arrive under `_INBOX_<service>`) plus the requests it serves.
 */
export function requiredSubscribe(usage: BusUsage): string[] {
  return [`${inboxPrefix(usage.service)}.>`, ...usage.serves];
}

/** A concrete subject a pattern covers, to ask the permission check with: `cmd.zzap.>` -> `cmd.zzap.x.y`. */
export function sampleSubject(pattern: string): string {
  return pattern
    .split('.')
    .map((token) => (token === '>' ? 'x.y' : token === '*' ? 'x' : token))
    .join('.');
}

/**
 * Concrete subjects every user is asked about: whatever any service needs, plus what none may do (delete or purge
 * streams, read a stream's messages, create consumers of its own choosing, snoop on the JetStream API).
 */
export function candidateSubjects(usages: BusUsage[]): { publish: string[]; subscribe: string[] } {
  const streams = JUNCTION_STREAMS.map((spec) => spec.name);
  const eventSubjects = JUNCTION_STREAMS.find((spec) => spec.name === 'EVENTS')?.subjects ?? [];
  const forbidden = [
    '$JS.API.STREAM.LIST',
    '$JS.API.STREAM.NAMES',
    '$JS.API.ACCOUNT.PURGE.JUNCTION',
    ...streams.flatMap((stream) => [
      `$JS.API.STREAM.CREATE.${stream}`,
      `$JS.API.STREAM.UPDATE.${stream}`,
      `$JS.API.STREAM.DELETE.${stream}`,
      `$JS.API.STREAM.PURGE.${stream}`,
      `$JS.API.STREAM.MSG.GET.${stream}`,
      `$JS.API.STREAM.MSG.DELETE.${stream}`,
      `$JS.API.DIRECT.GET.${stream}`,
      `$JS.API.CONSUMER.LIST.${stream}`,
      `$JS.API.CONSUMER.CREATE.${stream}`,
      `$JS.API.CONSUMER.CREATE.${stream}.intruder.>`,
      `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.intruder`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.intruder`,
    ]),
    ...usages.flatMap((usage) =>
      usage.consumers.flatMap(({ stream, durable }) => [
        // Its own durable, but reading another filter than its own.
        `$JS.API.CONSUMER.CREATE.${stream}.${durable}.intruder`,
        `$JS.API.CONSUMER.DELETE.${stream}.${durable}`,
        `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
      ]),
    ),
    'dlq.>',
    ...eventSubjects,
    'ctl.>',
  ];
  const publish = unique(
    [...usages.flatMap(requiredPublish), ...commandSubjects(), ...controlSubjects(), ...forbidden].map(sampleSubject),
  );
  // Every service's inbox (each may read only its own), and the default one no Junction service uses.
  const inboxes = [...usages.map((usage) => `${inboxPrefix(usage.service)}.>`), '_INBOX.>'];
  const subscribe = unique(
    [...controlSubjects(), ...inboxes, '$JS.API.>', '$JS.ACK.>', 'cmd.>', 'sync.>', ...eventSubjects].map(sampleSubject),
  );
  return { publish, subscribe };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
