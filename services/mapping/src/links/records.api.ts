import { ConnectorName } from '@junction/contracts';
import { z } from 'zod';
import { defineRoute, type RouteHandlers } from '../http/api-route';
import { IntegrationIdParams } from '../integrations/integrations.api';
import type { IntegrationsService } from '../integrations/integrations.service';
import type { RecordLookup } from './record-lookup';

const TracedRecord = z.object({
  state: z.enum(['written', 'failed', 'waiting']).describe("written into the target, given up on, or waiting for the integration's settings or a link"),
  connector: ConnectorName.describe('the connector that wrote (or failed to write) the record; for a waiting record, its source'),
  connectionId: z.string(),
  entityType: z.string(),
  sourceKey: z.string().nullable().describe('<connector>:<connection>:<entity type>:<source id>, the source record'),
  externalId: z.string().nullable().describe("the record's id in the target vendor"),
  traceId: z
    .string()
    .nullable()
    .describe("W3C trace id of the record's trace (look it up in Jaeger or Tempo); null when tracing was off"),
  at: z.iso.datetime(),
  reason: z.string().nullable().describe('why it failed or waits'),
});

export const RECORD_ROUTES = {
  findRecords: defineRoute({
    method: 'get',
    path: '/v1/integrations/:id/records',
    tag: 'records',
    summary: 'What Junction did with a vendor record (by its id in the source or the target), with the trace id to open',
    params: IntegrationIdParams,
    query: z.object({ vendorId: z.string().trim().min(1).describe("the record's id in either vendor, e.g. a Shoprenter order id") }),
    response: z.object({
      integrationId: z.uuid(),
      vendorId: z.string(),
      records: z.array(TracedRecord).describe('newest first; empty when Junction has not written, failed or parked it'),
    }),
    status: 200,
    errors: ['not_found'],
  }),
};

export function recordHandlers(integrations: IntegrationsService, lookup: RecordLookup): RouteHandlers<typeof RECORD_ROUTES> {
  return {
    findRecords: async ({ params, query }) => {
      const integration = await integrations.get(params.id);
      const records = await lookup.byVendorId(integration, query.vendorId);
      return {
        integrationId: integration.id,
        vendorId: query.vendorId,
        records: records.map((record) => ({ ...record, at: record.at.toISOString() })),
      };
    },
  };
}
