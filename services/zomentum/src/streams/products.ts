import { detectChanges, type PullStream } from '@junction/connector-runtime';
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
      field: 'updated_at',
      fetchPage: (page, filter) => client.items(page, filter),
      toRecords: (rows) =>
        detectChanges(
          ctx,
          'product',
          rows.map((row) => ({ key: row.id, data: toProduct(row), createdAt: row.created_at, changedAt: row.updated_at })),
        ),
    });
  },
};
