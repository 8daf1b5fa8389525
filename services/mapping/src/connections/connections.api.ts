import { ConnectionList, ConnectionTestResult, ConnectionView, ConnectorName } from '@junction/contracts';
import { z } from 'zod';
import { defineRoute, type RouteHandlers } from '../http/api-route';
import type { ConnectionsService } from './connections.service';
import type { ConnectorControl } from './connector-control';

const ConnectorParams = z.object({ connector: ConnectorName });
const ConnectionParams = z.object({ connector: ConnectorName, id: z.string().min(1).describe('the connection id') });

const ConnectionSettings = z.record(z.string(), z.unknown()).describe('non-secret settings: API URL, subdomain, store...');
const Credentials = z.record(z.string(), z.string())
  .describe('secrets (tokens, passwords); handed to the connector, which stores them encrypted; never returned');

const CreateConnectionBody = z.strictObject({
  connector: ConnectorName,
  name: z.string().trim().min(1),
  settings: ConnectionSettings.default({}),
  credentials: Credentials.optional(),
});

const UpdateConnectionBody = z.strictObject({
  name: z.string().trim().min(1).optional(),
  settings: ConnectionSettings.optional().describe('merged into the stored settings key by key'),
  credentials: Credentials.optional().describe('absent keeps the stored credentials'),
});

const CONNECTOR_ERRORS = ['connector_unavailable', 'connector_error'] as const;

export const CONNECTION_ROUTES = {
  createConnection: defineRoute({
    method: 'post',
    path: '/v1/connections',
    tag: 'connections',
    summary: 'Create a connection in its connector',
    body: CreateConnectionBody,
    response: ConnectionView,
    status: 201,
    errors: ['conflict', ...CONNECTOR_ERRORS],
  }),
  listConnections: defineRoute({
    method: 'get',
    path: '/v1/connections/:connector',
    tag: 'connections',
    summary: "List a connector's connections",
    params: ConnectorParams,
    response: z.object({ connections: ConnectionList }),
    status: 200,
    errors: [...CONNECTOR_ERRORS],
  }),
  getConnection: defineRoute({
    method: 'get',
    path: '/v1/connections/:connector/:id',
    tag: 'connections',
    summary: 'Read a connection (never its credentials)',
    params: ConnectionParams,
    response: ConnectionView,
    status: 200,
    errors: ['not_found', ...CONNECTOR_ERRORS],
  }),
  updateConnection: defineRoute({
    method: 'patch',
    path: '/v1/connections/:connector/:id',
    tag: 'connections',
    summary: 'Change a connection\'s name, settings or credentials',
    params: ConnectionParams,
    body: UpdateConnectionBody,
    response: ConnectionView,
    status: 200,
    errors: ['not_found', 'conflict', ...CONNECTOR_ERRORS],
  }),
  deleteConnection: defineRoute({
    method: 'delete',
    path: '/v1/connections/:connector/:id',
    tag: 'connections',
    summary: 'Delete a connection no integration uses',
    params: ConnectionParams,
    status: 204,
    errors: ['not_found', 'conflict', ...CONNECTOR_ERRORS],
  }),
  testConnection: defineRoute({
    method: 'post',
    path: '/v1/connections/:connector/:id/test',
    tag: 'connections',
    summary: 'Test a connection against its vendor; order systems also return their current order statuses',
    params: ConnectionParams,
    response: ConnectionTestResult,
    status: 200,
    errors: ['not_found', ...CONNECTOR_ERRORS],
  }),
};

export function connectionHandlers(
  control: ConnectorControl,
  connections: ConnectionsService,
): RouteHandlers<typeof CONNECTION_ROUTES> {
  return {
    createConnection: ({ body: { connector, ...connection } }) => control.call(connector, 'upsert', connection),
    listConnections: async ({ params }) => ({ connections: await control.call(params.connector, 'list', {}) }),
    getConnection: ({ params }) => control.call(params.connector, 'get', { connectionId: params.id }),
    updateConnection: ({ params, body }) => connections.update(params.connector, params.id, body),
    deleteConnection: ({ params }) => connections.remove(params.connector, params.id),
    testConnection: ({ params }) => control.call(params.connector, 'test', { connectionId: params.id }),
  };
}
