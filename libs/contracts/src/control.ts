import { z } from 'zod';
import { ConnectorName } from './connectors';
import { OrderStatus, Timestamp } from './entities';
import { documented } from './schema-docs';

// Control requests are request/reply over core NATS (nothing is stored): the mapping service's control
// API asks a connector to manage its connections.

export const CONNECTION_OPERATIONS = ['upsert', 'get', 'list', 'delete', 'test'] as const;
export type ConnectionOperation = (typeof CONNECTION_OPERATIONS)[number];

export type ControlSubject = `ctl.${ConnectorName}.connection.${ConnectionOperation}`;

/** The subject a connector serves one connection operation on, e.g. 'ctl.shoprenter.connection.test'. */
export function controlSubject(connector: ConnectorName, op: ConnectionOperation): ControlSubject {
  return `ctl.${connector}.connection.${op}`;
}

export const ControlError = documented(
  z.object({
    code: documented(z.string().min(1), {
      description: 'Machine-readable, e.g. not_found, invalid_request, conflict, unauthorized, unavailable.',
    }),
    message: documented(z.string().min(1), { description: 'Human-readable and free of secrets.' }),
  }),
  { id: 'ControlError', description: 'Why a control request failed.' },
);
export type ControlError = z.infer<typeof ControlError>;

/** The schema of a reply carrying `data` on success. */
export function ControlReply<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: ControlError }),
  ]);
}
export type ControlReply<T> = { ok: true; data: T } | { ok: false; error: ControlError };

const text = () => z.string().min(1);

export const ConnectionIdRequest = documented(z.object({ connectionId: text() }), {
  id: 'ConnectionIdRequest',
  description: 'Names one connection.',
});
export type ConnectionIdRequest = z.infer<typeof ConnectionIdRequest>;

export const ConnectionListRequest = documented(z.object({}), {
  id: 'ConnectionListRequest',
  description: "Lists the connector's connections.",
});
export type ConnectionListRequest = z.infer<typeof ConnectionListRequest>;

export const ConnectionUpsertRequest = documented(
  z.object({
    connectionId: documented(text().optional(), { description: 'Absent to create a connection.' }),
    name: text(),
    settings: documented(z.record(z.string(), z.unknown()), {
      description: 'Non-secret, connector-specific settings (API URL, subdomain, store...).',
    }),
    credentials: documented(z.record(z.string(), z.string()).optional(), {
      description: 'Secrets (tokens, passwords); stored encrypted. Absent on update keeps the stored ones.',
    }),
  }),
  { id: 'ConnectionUpsertRequest', description: 'Create or update a connection.' },
);
export type ConnectionUpsertRequest = z.infer<typeof ConnectionUpsertRequest>;

export const ConnectionView = documented(
  z.object({
    id: text(),
    connector: ConnectorName,
    name: text(),
    settings: z.record(z.string(), z.unknown()),
    hasCredentials: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
  { id: 'ConnectionView', description: 'A connection as the control API shows it: never with its credentials.' },
);
export type ConnectionView = z.infer<typeof ConnectionView>;

export const ConnectionList = documented(z.array(ConnectionView), {
  id: 'ConnectionList',
  description: "The connector's connections.",
});
export type ConnectionList = z.infer<typeof ConnectionList>;

export const ConnectionDeleted = documented(
  z.object({
    connectionId: text(),
    deleted: documented(z.boolean(), { description: 'False when there was no such connection.' }),
  }),
  { id: 'ConnectionDeleted', description: 'The result of deleting a connection.' },
);
export type ConnectionDeleted = z.infer<typeof ConnectionDeleted>;

export const ConnectionTestResult = documented(
  z.object({
    ok: z.boolean(),
    message: documented(text(), { description: 'What the user sees, e.g. "Connected" or why it failed.' }),
    orderStatuses: documented(z.array(OrderStatus).optional(), {
      description: "The vendor's order statuses (order systems only), fetched afresh so status maps stay current.",
    }),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
  { id: 'ConnectionTestResult', description: 'Whether the connection works with its stored credentials.' },
);
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;

/** What each connection operation takes and, inside a ControlReply, returns. */
export const CONNECTION_CONTROL = {
  upsert: { summary: 'Create or update a connection.', request: ConnectionUpsertRequest, data: ConnectionView },
  get: { summary: 'Read one connection.', request: ConnectionIdRequest, data: ConnectionView },
  list: { summary: "List the connector's connections.", request: ConnectionListRequest, data: ConnectionList },
  delete: { summary: 'Delete a connection.', request: ConnectionIdRequest, data: ConnectionDeleted },
  test: {
    summary: 'Check the credentials against the vendor (and fetch its order statuses).',
    request: ConnectionIdRequest,
    data: ConnectionTestResult,
  },
} as const satisfies Record<ConnectionOperation, { summary: string; request: z.ZodType; data: z.ZodType }>;
