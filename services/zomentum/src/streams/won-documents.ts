import type { FailedRecord, PulledRecord, PullStream } from '@junction/connector-runtime';
import { VendorNotFoundError } from '@junction/vendor-http';
import { toDeal } from '../canonical';
import type { ZDocument, ZItem, ZomentumClient } from '../client';
import { clientFor } from '../context';
import type { ZomentumCredentials, ZomentumSettings } from '../settings';
import { readChanges, type ChangeCursor } from './changes';

/** A won document with its client, contacts and items, read the way the deal.won event carries them. */
async function wonDeal(client: ZomentumClient, document: ZDocument, items: Map<string, ZItem>): Promise<PulledRecord> {
  const company = await client.client(document.client_company_id);
  const contacts = await Promise.all(document.client_user_ids.map((id) => client.contact(id)));
  for (const line of document.line_items) {
    if (line.item_id && !items.has(line.item_id)) items.set(line.item_id, await client.item(line.item_id));
  }
  return {
    key: document.id,
    data: toDeal(document, company, contacts, items),
    occurredAt: document.updated_at,
    // Winning is a change of the document; marking it won again later is the same change.
    changeKey: 'won',
  };
}

export const wonDocumentsStream: PullStream<ZomentumSettings, ZomentumCredentials, ChangeCursor> = {
  entityType: 'deal',
  eventSubject: 'deal.won',
  read(ctx, cursor) {
    const client = clientFor(ctx);
    const items = new Map<string, ZItem>();
    return readChanges(cursor, {
      field: 'updated_at',
      where: [['status', 'eq', 'won']],
      fetchPage: (page, filter) => client.documents(page, filter),
      toRecords: async (documents) => {
        const records: PulledRecord[] = [];
        const failed: FailedRecord[] = [];
        for (const document of documents) {
          try {
            records.push(await wonDeal(client, document, items));
          } catch (error) {
            // A client, contact or item deleted since the quote was won: this deal cannot be told in full.
            if (!(error instanceof VendorNotFoundError)) throw error;
            failed.push({ key: document.id, error: error.message });
          }
        }
        return { records, failed };
      },
    });
  },
};
