import type { EventData, PullStream } from '@junction/connector-runtime';
import { clientFor } from '../commands/context';
import type { RsCustomer } from '../client';
import type { RepairShoprCredentials, RepairShoprSettings } from '../settings';
import { definedFields } from '../values';
import { pullChanges, readPages, type PageCursor } from './paged';

export function toCustomer(row: RsCustomer): EventData<'customer.created'> {
  const address = definedFields({
    line1: row.address,
    line2: row.address_2,
    city: row.city,
    region: row.state,
    postalCode: row.zip,
  });
  return {
    sourceId: String(row.id),
    ...definedFields({
      businessName: row.business_name,
      firstName: row.firstname,
      lastName: row.lastname,
      email: row.email,
      phone: row.phone ?? row.mobile,
    }),
    ...(Object.keys(address).length > 0 ? { address } : {}),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const customersStream: PullStream<RepairShoprSettings, RepairShoprCredentials, PageCursor> = {
  entityType: 'customer',
  eventSubject: 'customer.created',
  read(ctx, cursor) {
    const client = clientFor(ctx);
    return pullChanges(ctx, 'customer', readPages(cursor, (page) => client.customers(page)), (row) => ({
      key: String(row.id),
      data: toCustomer(row),
      createdAt: row.created_at,
      changedAt: row.updated_at,
    }));
  },
};
