import { json, type Handler, type Router } from '@junction/sandbox-kit';
import { guarded } from '../auth';
import type { ZomentumData } from '../data';
import { notFound } from '../errors';
import { listReply } from '../listing';
import { shown } from '../present';

/**
 * Documents are read-only here, as in the public API: they come from the seed, `/__sandbox/seed`, and
 * `PATCH /__sandbox/records/documents/<id> {"status":"won"}` plays the user marking a deal won.
 */
const listDocuments: Handler<ZomentumData> = guarded((request, data, { account }) =>
  listReply(request, data.documents.filter((document) => document.account_id === account.id), shown),
);

export function documentRoutes(api: Router<ZomentumData>): void {
  // `documents/zapier` is the list a public client uses; `documents` lists the same.
  api.get('/documents/zapier', listDocuments);
  api.get('/documents', listDocuments);
  api.get(
    '/documents/:id',
    guarded((request, data, { account }) => {
      const document = data.documents.get(request.params.id);
      return document?.account_id === account.id ? json(200, shown(document)) : notFound('Document');
    }),
  );
}
