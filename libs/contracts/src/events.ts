import { RecordFailed, RecordWritten } from './commands';
import { defineEvent } from './define';
import { Contact, Customer, Deal, Order, OrderStatusChange, Product } from './entities';
import { ScheduleUpdated, SyncRequested, SyncRunUpdated } from './sync';

const eventList = [
  defineEvent({
    subject: 'customer.created',
    version: 1,
    summary: 'A customer was created in the source system.',
    data: Customer,
  }),
  defineEvent({
    subject: 'contact.created',
    version: 1,
    summary: 'A contact was created in the source system.',
    data: Contact,
  }),
  defineEvent({
    subject: 'product.created',
    version: 1,
    summary: 'A product was created in the source system.',
    data: Product,
  }),
  defineEvent({
    subject: 'customer.updated',
    version: 1,
    summary: 'A customer changed in the source system; data is the whole customer as it is now.',
    data: Customer,
  }),
  defineEvent({
    subject: 'contact.updated',
    version: 1,
    summary: 'A contact changed in the source system; data is the whole contact as it is now.',
    data: Contact,
  }),
  defineEvent({
    subject: 'product.updated',
    version: 1,
    summary: 'A product changed (e.g. its price) in the source system; data is the whole product as it is now.',
    data: Product,
  }),
  defineEvent({
    subject: 'deal.won',
    version: 1,
    summary: 'A quote was marked won, with its customer, contacts and line items.',
    data: Deal,
  }),
  defineEvent({
    subject: 'order.created',
    version: 1,
    summary: 'An order was placed.',
    data: Order,
  }),
  defineEvent({
    subject: 'order.updated',
    version: 1,
    summary: 'An order changed (items, amounts, addresses or status); data is the whole order as it is now.',
    data: Order,
  }),
  defineEvent({
    subject: 'order.status.changed',
    version: 1,
    summary: "An order's status changed, with who changed it.",
    data: OrderStatusChange,
  }),
  defineEvent({
    subject: 'record.written',
    version: 1,
    summary: 'A connector executed a command against its vendor.',
    data: RecordWritten,
  }),
  defineEvent({
    subject: 'record.failed',
    version: 1,
    summary: 'A connector gave up on a command.',
    data: RecordFailed,
  }),
  defineEvent({
    subject: 'sync.requested',
    version: 1,
    summary: 'A sync of one stream of one connection was requested.',
    data: SyncRequested,
  }),
  defineEvent({
    subject: 'sync.run.updated',
    version: 1,
    summary: 'A sync run started, progressed or finished.',
    data: SyncRunUpdated,
  }),
  defineEvent({
    subject: 'config.schedule.updated',
    version: 1,
    summary: "An integration's sync schedules changed.",
    data: ScheduleUpdated,
  }),
] as const;

type EventList = typeof eventList;

/** Every event contract, keyed by subject. */
export const EVENTS = Object.fromEntries(eventList.map((contract) => [contract.subject, contract])) as {
  [C in EventList[number] as C['subject']]: C;
};

export type EventSubject = keyof typeof EVENTS;
