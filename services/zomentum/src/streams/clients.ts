import { detectChanges, type PullStream } from '@junction/connector-runtime';
import { toCustomer } from '../canonical';
import { clientFor } from '../context';
import type { ZomentumCredentials, ZomentumSettings } from '../settings';
import { readChanges, type ChangeCursor } from './changes';

export const clientsStream: PullStream<ZomentumSettings, ZomentumCredentials, ChangeCursor> = {
  entityType: 'customer',
  eventSubject: 'customer.created',
  read(ctx, cursor) {
    const client = clientFor(ctx);
    return readChanges(cursor, {
      field: 'updated_at',
      fetchPage: (page, filter) => client.clients(page, filter),
      toRecords: (rows) =>
        detectChanges(
          ctx,
          'customer',
          rows.map((row) => ({ key: row.id, data: toCustomer(row), createdAt: row.created_at, changedAt: row.updated_at })),
        ),
    });
  },
};
