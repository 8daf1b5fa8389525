import type { EventData, PullStream } from '@junction/connector-runtime';
import { clientFor } from '../commands/context';
import type { RsContact } from '../client';
import type { RepairShoprCredentials, RepairShoprSettings } from '../settings';
import { definedFields, splitName } from '../values';
import { pullChanges, readPages, type PageCursor } from './paged';

export function toContact(row: RsContact): EventData<'contact.created'> {
  return {
    sourceId: String(row.id),
    customerSourceId: String(row.customer_id),
    ...splitName(row.name),
    ...definedFields({ email: row.email, phone: row.phone, mobile: row.mobile }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export const contactsStream: PullStream<RepairShoprSettings, RepairShoprCredentials, PageCursor> = {
  entityType: 'contact',
  eventSubject: 'contact.created',
  read(ctx, cursor) {
    const client = clientFor(ctx);
    return pullChanges(ctx, 'contact', readPages(cursor, (page) => client.contacts(page)), (row) => ({
      key: String(row.id),
      data: toContact(row),
      createdAt: row.created_at,
      changedAt: row.updated_at,
    }));
  },
};
