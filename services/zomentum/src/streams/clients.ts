import type { PullStream } from '@junction/connector-runtime';
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
      field: 'created_at',
      fetchPage: (page, filter) => client.clients(page, filter),
      toRecords: async (rows) => ({
        records: rows.map((row) => ({ key: row.id, data: toCustomer(row), occurredAt: row.created_at })),
        failed: [],
      }),
    });
  },
};
