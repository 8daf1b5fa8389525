import type { PullStream } from '@junction/connector-runtime';
import { toProduct } from '../canonical';
import { clientFor } from '../context';
import type { ZomentumCredentials, ZomentumSettings } from '../settings';
import { readChanges, type ChangeCursor } from './changes';

export const productsStream: PullStream<ZomentumSettings, ZomentumCredentials, ChangeCursor> = {
  entityType: 'product',
  eventSubject: 'product.created',
  read(ctx, cursor) {
    const client = clientFor(ctx);
    return readChanges(cursor, {
      field: 'created_at',
      fetchPage: (page, filter) => client.items(page, filter),
      toRecords: async (rows) => ({
        records: rows.map((row) => ({ key: row.id, data: toProduct(row), occurredAt: row.created_at })),
        failed: [],
      }),
    });
  },
};
