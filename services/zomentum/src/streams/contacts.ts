import { detectChanges, type PullStream } from '@junction/connector-runtime';
import { toContact } from '../canonical';
import { clientFor } from '../context';
import type { ZomentumCredentials, ZomentumSettings } from '../settings';
import { readChanges, type ChangeCursor } from './changes';

export const contactsStream: PullStream<ZomentumSettings, ZomentumCredentials, ChangeCursor> = {
  entityType: 'contact',
  eventSubject: 'contact.created',
  read(ctx, cursor) {
    const client = clientFor(ctx);
    return readChanges(cursor, {
      field: 'updated_at',
      fetchPage: (page, filter) => client.contacts(page, filter),
      toRecords: (rows) =>
        detectChanges(
          ctx,
          'contact',
          rows.map((row) => ({ key: row.id, data: toContact(row), createdAt: row.created_at, changedAt: row.updated_at })),
        ),
    });
  },
};
