import { z } from 'zod';
import { defineConnector, type ConnectorRuntime, type PulledRecord, type StreamPage } from '../../src';
import type { FakeVendor, VendorCustomer } from './fake-vendor';

export const TestSettings = z.object({ subdomain: z.string().min(1) });
export const TestCredentials = z.object({ apiToken: z.string().min(8) });

export type TestRuntime = ConnectorRuntime<z.infer<typeof TestSettings>, z.infer<typeof TestCredentials>>;

type CustomersCursor = { afterId: number };

/** A connector the way the six real ones are written: a vendor client, one pull stream, commands (one needs another's record). */
export function testConnector(vendor: FakeVendor) {
  return defineConnector({
    name: 'repairshopr',
    settingsSchema: TestSettings,
    credentialsSchema: TestCredentials,

    async testConnection({ credentials, logger }) {
      // Careless connector code: the secret registry must keep this out of the logs.
      logger.debug(`testing with token ${credentials.apiToken}`);
      await vendor.checkToken(credentials.apiToken);
      return { ok: true, message: 'Connected', details: { customers: vendor.customers.length } };
    },

    streams: {
      customers: {
        entityType: 'customer',
        eventSubject: 'customer.created',
        async *read({ credentials }, cursor: CustomersCursor | undefined): AsyncIterable<StreamPage<CustomersCursor>> {
          let afterId = cursor?.afterId ?? 0;
          for (;;) {
            const page = await vendor.listCustomers(credentials.apiToken, afterId);
            if (page.items.length === 0) return;
            const readable = page.items.filter((customer) => !customer.corrupt);
            yield {
              records: readable.map(toRecord),
              failed: page.items
                .filter((customer) => customer.corrupt)
                .map((customer) => ({ key: String(customer.id), error: 'the vendor returned a half-written record' })),
              cursor: { afterId: page.items[page.items.length - 1].id },
              total: page.total,
            };
            afterId = page.items[page.items.length - 1].id;
          }
        },
      },
    },

    waitsFor: ['customer'],
    commands: {
      'customer.ensure': async ({ credentials, idMap }, data) => {
        const email = data.customer.email ?? '';
        const ensured = await idMap.ensure('customer', data.sourceKey, {
          lookupExisting: async () => {
            const existing = email ? await vendor.findCustomerByEmail(credentials.apiToken, email) : undefined;
            return existing && String(existing.id);
          },
          create: async () => {
            const { businessName, firstName = '', lastName = '' } = data.customer;
            const name = businessName ?? `${firstName} ${lastName}`.trim();
            return String(await vendor.createCustomer(credentials.apiToken, { name, email }));
          },
        });
        return { entityType: 'customer', ...ensured };
      },

      // Needs its customer: written by another command, perhaps after this one arrives.
      'contact.ensure': async ({ credentials, idMap }, data) => {
        const customer = await idMap.require('customer', data.customerSourceKey, `customer ${data.customerSourceKey} is not at the vendor yet`);
        const customerId = Number(customer.externalId);
        const email = data.contact.email ?? '';
        const ensured = await idMap.ensure('contact', data.sourceKey, {
          lookupExisting: async () => {
            const existing = await vendor.findContactByEmail(credentials.apiToken, customerId, email);
            return existing && String(existing.id);
          },
          create: async () => String(await vendor.createContact(credentials.apiToken, { customerId, email })),
        });
        return { entityType: 'contact', ...ensured };
      },
    },
  });
}

function toRecord(customer: VendorCustomer): PulledRecord {
  return {
    key: String(customer.id),
    // An empty name breaks the Customer contract: that record fails alone.
    data: { sourceId: String(customer.id), businessName: customer.name || undefined, email: customer.email },
    occurredAt: '2024-09-23T18:00:00Z',
  };
}
