import { z } from 'zod';
import { defineConnector, type ConnectorDefinition } from './definition';

const base: ConnectorDefinition<{ url: string }, { token: string }> = {
  name: 'shoprenter',
  settingsSchema: z.object({ url: z.string() }),
  credentialsSchema: z.object({ token: z.string() }),
  testConnection: async () => ({ ok: true, message: 'Connected' }),
  streams: {
    orders: {
      entityType: 'order',
      eventSubject: 'order.created',
      async *read() {
        yield { records: [], cursor: 'end' };
      },
    },
  },
  commands: {},
};

describe('defineConnector', () => {
  it('returns a valid definition as it is', () => {
    expect(defineConnector(base)).toBe(base);
  });

  it('refuses a name that is not one of the connectors', () => {
    expect(() => defineConnector({ ...base, name: 'hubspot' as 'shoprenter' })).toThrow(/Invalid option/);
  });

  it('refuses a stream whose subject is not an event contract', () => {
    const orders = { ...base.streams.orders, eventSubject: 'order.shipped' as 'order.created' };
    expect(() => defineConnector({ ...base, streams: { orders } })).toThrow(
      "shoprenter: stream 'orders' publishes 'order.shipped', which is not an event contract",
    );
  });

  it('refuses a stream name that cannot be a cursor key', () => {
    const streams = { 'Order List': base.streams.orders };
    expect(() => defineConnector({ ...base, streams })).toThrow(/stream name 'Order List'/);
  });

  it('refuses a command that is not addressed to the connector', () => {
    // customer.ensure exists, but only for zomentum and repairshopr.
    const written = { entityType: 'customer', externalId: '1', outcome: 'created' as const };
    const commands = { 'customer.ensure': async () => written };
    expect(() => defineConnector({ ...base, commands })).toThrow(
      "shoprenter: no command contract 'customer.ensure' is addressed to shoprenter",
    );
  });

  it('refuses a batch handler without a single handler or with a batch of one', () => {
    const written = { entityType: 'order', externalId: '1', outcome: 'created' as const };
    const batch = { maxBatch: 50, handle: async () => [] };
    const retailcrm = { ...base, name: 'retailcrm' as const };
    expect(() => defineConnector({ ...retailcrm, batchCommands: { 'order.upsert': batch } })).toThrow(
      "retailcrm: batch command 'order.upsert' has no single handler in commands",
    );
    const commands = { 'order.upsert': async () => written };
    expect(defineConnector({ ...retailcrm, commands, batchCommands: { 'order.upsert': batch } }).batchCommands).toBeDefined();
    expect(() => defineConnector({ ...retailcrm, commands, batchCommands: { 'order.upsert': { ...batch, maxBatch: 1 } } })).toThrow(
      "retailcrm: batch command 'order.upsert' needs a maxBatch of 2 or more, got 1",
    );
  });
});
