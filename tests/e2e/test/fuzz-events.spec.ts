import { randomInt } from 'node:crypto';
import { Bus, type DeadLetter } from '@junction/messaging';
import {
  BAD_KINDS,
  catalogueSubjects,
  filterCovers,
  HostileEvents,
  type BadKind,
  type BadMessage,
  type CatalogueSubject,
} from './hostile-events';
import { shopOrderNumber, startShopToCrm, type ShopToCrm } from './shoprenter-minicrm';
import { SERVICE_NAMES } from './stack';
import { NATS_URL, waitFor } from './support';

// Hostile input on every subject Junction consumes while all eight services run: malformed, empty, binary, wrongly
// typed, wrong-version and near-limit messages each end in the dead-letter stream exactly once with a reason naming
// what is wrong, messages over the size limit are refused to their publisher, no consumer is left with work, every
// service stays ready, and a real sync afterwards goes through. The generator is seeded: FUZZ_SEED repeats a run.

const SEED = Number(process.env.FUZZ_SEED ?? randomInt(2 ** 31));
const MESSAGES = 2_000;
const ORDERS = 3;
// The streams consumers read; DLQ is where the messages should end.
const CONSUMED_STREAMS = ['EVENTS', 'COMMANDS', 'SYNC', 'CONFIG'];
// Each message of this size is a megabyte: every subject gets one, the random rest are small.
const SMALL_KINDS = BAD_KINDS.filter((kind) => kind !== 'near-size-limit');
const PUBLISH_BATCH = 64;

let junction: ShopToCrm;
let bus: Bus;
/** The bad messages the streams stored, by `<stream on the server>:<seq>`. */
const stored = new Map<string, BadMessage>();

beforeAll(async () => {
  process.stdout.write(`fuzz-events: seed ${SEED} (run again with FUZZ_SEED=${SEED})\n`);
  junction = await startShopToCrm({ shoprenter: { orders: ORDERS } }, { services: [...SERVICE_NAMES] });
  bus = await Bus.connect({ servers: NATS_URL, name: 'e2e-fuzz', namespace: junction.namespace });
}, 90_000);

afterAll(async () => {
  await bus?.close();
  await junction?.close();
});

interface ConsumerState {
  durable: string;
  /** Logical subject filter. */
  filter: string;
  pending: number;
  ackPending: number;
}

async function consumerStates(): Promise<ConsumerState[]> {
  const states: ConsumerState[] = [];
  for (const stream of CONSUMED_STREAMS) {
    for await (const info of bus.jsm.consumers.list(bus.streamName(stream))) {
      states.push({
        durable: info.name,
        filter: (info.config.filter_subject ?? '').slice(`${junction.namespace}.`.length),
        pending: info.num_pending,
        ackPending: info.num_ack_pending,
      });
    }
  }
  return states;
}

/** Messages stored per logical subject across the consumed streams. */
async function storedPerSubject(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const stream of CONSUMED_STREAMS) {
    const info = await bus.jsm.streams.info(bus.streamName(stream), { subjects_filter: '>' });
    for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
      counts.set(subject.slice(`${junction.namespace}.`.length), count);
    }
  }
  return counts;
}

/** Every subject gets every kind once; the rest are small kinds on random subjects, in a random order. */
function plan(fuzz: HostileEvents, subjects: CatalogueSubject[]): Array<[CatalogueSubject, BadKind]> {
  const planned = subjects.flatMap((subject) => BAD_KINDS.map((kind): [CatalogueSubject, BadKind] => [subject, kind]));
  while (planned.length < MESSAGES) planned.push([fuzz.pick(subjects), fuzz.pick(SMALL_KINDS)]);
  return planned.map((entry) => ({ entry, order: fuzz.int(0, 2 ** 30) })).sort((a, b) => a.order - b.order).map(({ entry }) => entry);
}

function reasonProblem(message: BadMessage, letter: DeadLetter): string | undefined {
  const expected = message.reason;
  const matches = typeof expected === 'string' ? letter.reason === expected : expected.test(letter.reason);
  if (!matches) return `reason ${JSON.stringify(letter.reason)}, expected ${String(expected)}`;
  if (message.field && !letter.reason.includes(`${message.field}: `)) return `reason does not name ${message.field}`;
  if (letter.originalSubject !== message.subject) return `dead-lettered as ${letter.originalSubject}`;
  if (letter.msgId !== message.msgId) return `Nats-Msg-Id ${letter.msgId}, sent ${message.msgId}`;
  return undefined;
}

it('has a consumer for every subject of the contracts catalogue', async () => {
  const filters = (await consumerStates()).map((state) => state.filter);
  const unconsumed = catalogueSubjects()
    .map(({ subject }) => subject)
    .filter((subject) => !filters.some((filter) => filterCovers(filter, subject)));
  expect(unconsumed).toEqual([]);
});

it('dead-letters every hostile message once with a reason naming what is wrong, and keeps every consumer going', async () => {
  const started = Date.now();
  const { max_msg_size: maxMessageBytes } = (await bus.jsm.streams.info(bus.streamName('EVENTS'))).config;
  const fuzz = new HostileEvents(SEED, { maxMessageBytes, maxPayload: bus.nc.info!.max_payload });
  const subjects = catalogueSubjects();
  const before = await storedPerSubject();
  const storedOn = new Map<string, number>();

  for (const [index, target] of subjects.entries()) {
    const oversized = fuzz.oversized(target);
    const refusal = oversized.refusedBy === 'stream' ? 'message size exceeds maximum allowed' : 'max_payload size exceeded';
    const publish = bus.js.publish(bus.subject(oversized.subject), oversized.body, { msgID: `fuzz:${SEED}:over:${index}` });
    await expect(publish).rejects.toThrow(refusal);
  }
  const planned = plan(fuzz, subjects);
  for (let offset = 0; offset < planned.length; offset += PUBLISH_BATCH) {
    const batch = planned.slice(offset, offset + PUBLISH_BATCH).map(([target, kind]) => fuzz.bad(target, kind));
    const acks = await Promise.all(
      batch.map((message) => bus.js.publish(bus.subject(message.subject), message.body, message.msgId ? { msgID: message.msgId } : {})),
    );
    acks.forEach((ack, index) => {
      expect(ack.duplicate).toBe(false);
      const message = batch[index];
      stored.set(`${ack.stream}:${ack.seq}`, message);
      storedOn.set(message.subject, (storedOn.get(message.subject) ?? 0) + 1);
    });
  }
  const published = Date.now();

  // Every consumer has taken and settled every message: none is blocked behind a poison one.
  await waitFor(async () => {
    const states = await consumerStates();
    return states.every((state) => state.pending === 0 && state.ackPending === 0);
  }, 60_000, 250);
  const settled = Date.now();

  // The refused messages were not stored: each subject holds what was published on it, and no more.
  const after = await storedPerSubject();
  for (const { subject } of subjects) {
    expect([subject, (after.get(subject) ?? 0) - (before.get(subject) ?? 0)]).toEqual([subject, storedOn.get(subject) ?? 0]);
  }

  const letters = await bus.listDeadLetters({ limit: stored.size + 100 });
  const copies = new Map<string, DeadLetter[]>();
  for (const letter of letters) {
    const key = `${bus.streamName(letter.stream)}:${letter.streamSeq}`;
    copies.set(key, [...(copies.get(key) ?? []), letter]);
  }
  const problems: string[] = [];
  for (const [key, message] of stored) {
    const found = copies.get(key) ?? [];
    const problem = found.length === 1 ? reasonProblem(message, found[0]) : `${found.length} dead letters`;
    if (problem) problems.push(`${message.kind} on ${message.subject} (${key}): ${problem}`);
  }
  expect(problems.slice(0, 20)).toEqual([]);
  expect(letters).toHaveLength(stored.size);

  for (const service of SERVICE_NAMES) {
    const ready = await fetch(`${junction.serviceUrl(service)}/health/ready`);
    expect([service, ready.status]).toEqual([service, 200]);
  }
  const kinds = [...stored.values()].reduce((counts, { kind }) => counts.set(kind, (counts.get(kind) ?? 0) + 1), new Map<string, number>());
  process.stdout.write(
    `fuzz-events (seed ${SEED}): ${stored.size} messages on ${subjects.length} subjects (${[...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ')}), ` +
      `${subjects.length} oversized refused; published in ${published - started} ms, all dead-lettered ${settled - published} ms later\n`,
  );
}, 120_000);

it('still syncs an order from Shoprenter to MiniCRM after the fuzz', async () => {
  const shopId = (await junction.connectShop()).id;
  const crmId = (await junction.connectCrm()).id;
  const statusMap = await junction.statusMap(shopId, crmId);
  const { id: integrationId } = await junction.createIntegration(shopId, crmId, { statusMap });

  await junction.api('POST', `/v1/integrations/${integrationId}/sync`);
  const runs = await junction.finishedRuns(integrationId, ['orders'], 1);
  expect(runs.find((run) => run.stream === 'orders')).toMatchObject({ state: 'succeeded', counts: { created: ORDERS, failed: 0 } });
  const expected = (await junction.shopOrders()).map(shopOrderNumber).sort();
  const written = await waitFor(async () => {
    const { orders } = await junction.crmState();
    return orders.length >= expected.length ? orders.map((order) => order.Number).sort() : undefined;
  }, 60_000, 500);
  expect(written).toEqual(expected);
  expect(await bus.listDeadLetters({ limit: stored.size + 100 })).toHaveLength(stored.size);
}, 90_000);
