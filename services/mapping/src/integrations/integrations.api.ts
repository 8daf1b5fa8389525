import { ConnectorName, Schedule } from '@junction/contracts';
import { z } from 'zod';
import { defineRoute, type RouteHandlers } from '../http/api-route';
import { schedulesOf, type Integration } from './integration';
import { INTEGRATION_KINDS, type IntegrationKind } from './integration-kinds';
import type { IntegrationsService, SyncStarted } from './integrations.service';

export const IntegrationIdParams = z.object({ id: z.uuid().describe('the integration id') });

function draftSchema<const K extends IntegrationKind, S extends z.ZodType<object>>(kind: K, settings: S) {
  const definition = INTEGRATION_KINDS[kind];
  return z.strictObject({
    kind: z.literal(kind),
    name: z.string().trim().min(1).max(200),
    sourceConnectionId: z.string().min(1).describe(`id of the ${definition.source} connection`),
    targetConnectionId: z.string().min(1).describe(`id of the ${definition.target} connection`),
    enabled: z.boolean().default(true),
    // A missing settings object is parsed as {}: every default applies and a required field is named in the error.
    settings: settings.prefault({} as z.input<S>),
  });
}

export const IntegrationBody = z.discriminatedUnion('kind', [
  draftSchema('zomentum-repairshopr', INTEGRATION_KINDS['zomentum-repairshopr'].settings),
  draftSchema('shoprenter-minicrm', INTEGRATION_KINDS['shoprenter-minicrm'].settings),
  draftSchema('zzap-retailcrm', INTEGRATION_KINDS['zzap-retailcrm'].settings),
]);

function viewSchema<const K extends IntegrationKind>(kind: K) {
  const definition = INTEGRATION_KINDS[kind];
  return z.object({
    id: z.uuid(),
    kind: z.literal(kind),
    name: z.string(),
    sourceConnectionId: z.string(),
    targetConnectionId: z.string(),
    connectors: z.object({ source: ConnectorName, target: ConnectorName }),
    enabled: z.boolean(),
    settings: definition.settings,
    schedules: z.array(Schedule).describe('what the scheduler runs for this integration (none while disabled)'),
    revision: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  });
}

export const IntegrationView = z.discriminatedUnion('kind', [
  viewSchema('zomentum-repairshopr'),
  viewSchema('shoprenter-minicrm'),
  viewSchema('zzap-retailcrm'),
]);

export const SyncStartedView = z.object({
  requestId: z.uuid(),
  streams: z.array(z.object({ connector: ConnectorName, connectionId: z.string(), stream: z.string() })),
  running: z
    .array(
      z.object({
        runId: z.string(),
        connector: ConnectorName,
        connectionId: z.string(),
        stream: z.string(),
        progress: z.object({ done: z.number().int(), total: z.number().int().optional() }),
        startedAt: z.iso.datetime(),
      }),
    )
    .describe('runs already going; a request for their stream starts no second run, these carry on'),
});

function toView(integration: Integration): z.input<typeof IntegrationView> {
  const definition = INTEGRATION_KINDS[integration.kind];
  return {
    ...integration,
    connectors: { source: definition.source, target: definition.target },
    schedules: schedulesOf(integration),
    createdAt: integration.createdAt.toISOString(),
    updatedAt: integration.updatedAt.toISOString(),
  };
}

function syncView(sync: SyncStarted): z.input<typeof SyncStartedView> {
  return {
    requestId: sync.requestId,
    streams: sync.streams,
    running: sync.running.map(({ runId, connector, connectionId, stream, progress, startedAt }) => ({
      runId,
      connector,
      connectionId,
      stream,
      progress: { done: progress.done, total: progress.total ?? undefined },
      startedAt: startedAt.toISOString(),
    })),
  };
}

const SaveQuery = z.object({ sync: z.stringbool().default(false).describe('start a sync of every stream once saved') });
const SAVE_ERRORS = ['conflict', 'connector_unavailable', 'connector_error'] as const;

export const INTEGRATION_ROUTES = {
  createIntegration: defineRoute({
    method: 'post',
    path: '/v1/integrations',
    tag: 'integrations',
    summary: 'Create an integration: a pair of connections and the rules between them; with sync=true also start a sync ("Save and Sync")',
    query: SaveQuery,
    body: IntegrationBody,
    response: z.intersection(IntegrationView, z.object({ sync: SyncStartedView.optional() })),
    status: 201,
    errors: [...SAVE_ERRORS],
  }),
  listIntegrations: defineRoute({
    method: 'get',
    path: '/v1/integrations',
    tag: 'integrations',
    summary: 'List integrations',
    response: z.object({ integrations: z.array(IntegrationView) }),
    status: 200,
    errors: [],
  }),
  getIntegration: defineRoute({
    method: 'get',
    path: '/v1/integrations/:id',
    tag: 'integrations',
    summary: 'Read an integration',
    params: IntegrationIdParams,
    response: IntegrationView,
    status: 200,
    errors: ['not_found'],
  }),
  updateIntegration: defineRoute({
    method: 'put',
    path: '/v1/integrations/:id',
    tag: 'integrations',
    summary: 'Replace an integration\'s name, connections and settings; with sync=true also start a sync ("Save and Sync")',
    params: IntegrationIdParams,
    query: SaveQuery,
    body: IntegrationBody,
    response: z.object({ integration: IntegrationView, sync: SyncStartedView.optional() }),
    status: 200,
    errors: ['not_found', ...SAVE_ERRORS],
  }),
  deleteIntegration: defineRoute({
    method: 'delete',
    path: '/v1/integrations/:id',
    tag: 'integrations',
    summary: 'Delete an integration; its schedules stop',
    params: IntegrationIdParams,
    status: 204,
    errors: ['not_found'],
  }),
  syncIntegration: defineRoute({
    method: 'post',
    path: '/v1/integrations/:id/sync',
    tag: 'integrations',
    summary: 'Sync now: request a sync of every stream the integration pulls',
    params: IntegrationIdParams,
    query: z.object({
      fullResync: z
        .stringbool()
        .default(false)
        .describe('read every record again from the start, not only what changed since the last sync (e.g. records that failed to read)'),
    }),
    response: SyncStartedView,
    status: 202,
    errors: ['not_found', 'conflict'],
  }),
};

export function integrationHandlers(service: IntegrationsService): RouteHandlers<typeof INTEGRATION_ROUTES> {
  return {
    createIntegration: async ({ query, body }) => {
      const integration = await service.create(body);
      const sync: SyncStarted | undefined = query.sync ? await service.requestSync(integration, 'save_and_sync') : undefined;
      return { ...toView(integration), sync: sync && syncView(sync) };
    },
    listIntegrations: async () => ({ integrations: (await service.list()).map(toView) }),
    getIntegration: async ({ params }) => toView(await service.get(params.id)),
    updateIntegration: async ({ params, query, body }) => {
      const integration = await service.update(params.id, body);
      const sync: SyncStarted | undefined = query.sync ? await service.requestSync(integration, 'save_and_sync') : undefined;
      return { integration: toView(integration), sync: sync && syncView(sync) };
    },
    deleteIntegration: async ({ params }) => service.remove(params.id),
    syncIntegration: async ({ params, query }) =>
      syncView(await service.requestSync(await service.get(params.id), 'manual', { fullResync: query.fullResync })),
  };
}
