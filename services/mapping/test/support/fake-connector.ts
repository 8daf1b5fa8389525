import {
  CONNECTION_CONTROL,
  controlSubject,
  type ConnectionView,
  type ConnectorName,
  type OrderStatus,
} from '@junction/contracts';
import type { Bus, Reply, RequestServer } from '@junction/messaging';

interface StoredConnection {
  view: ConnectionView;
  credentials?: Record<string, string>;
}

/**
 * Stands in for a connector service on its control subjects, keeping connections in memory, so the control API
 * can be tested without a real connector. It echoes credentials back in every reply, like a careless connector
 * would, so tests can check the control API never passes them on.
 */
export class FakeConnector {
  readonly connections = new Map<string, StoredConnection>();
  /** What `test` answers with. */
  orderStatuses?: OrderStatus[];
  details?: Record<string, unknown>;
  private servers: RequestServer[] = [];
  private nextId = 1;

  constructor(readonly connector: ConnectorName) {}

  start(bus: Bus): this {
    const { upsert, get, list, delete: remove, test } = CONNECTION_CONTROL;
    this.servers = [
      bus.serve(controlSubject(this.connector, 'upsert'), (raw) => upsert.request.parse(raw), async (request) => {
        const id = request.connectionId ?? `${this.connector}-${this.nextId++}`;
        const existing = this.connections.get(id);
        if (request.connectionId && !existing) return notFound(id);
        const now = new Date().toISOString();
        const credentials = request.credentials ?? existing?.credentials;
        const view: ConnectionView = {
          id,
          connector: this.connector,
          name: request.name,
          settings: request.settings,
          hasCredentials: credentials !== undefined,
          createdAt: existing?.view.createdAt ?? now,
          updatedAt: now,
        };
        this.connections.set(id, { view, credentials });
        return this.reply(id);
      }),
      bus.serve(controlSubject(this.connector, 'get'), (raw) => get.request.parse(raw), async ({ connectionId }) =>
        this.reply(connectionId),
      ),
      bus.serve(controlSubject(this.connector, 'list'), (raw) => list.request.parse(raw), async () => ({
        ok: true,
        data: [...this.connections.values()].map(({ view, credentials }) => ({ ...view, credentials })),
      })),
      bus.serve(controlSubject(this.connector, 'delete'), (raw) => remove.request.parse(raw), async ({ connectionId }) => ({
        ok: true,
        data: { connectionId, deleted: this.connections.delete(connectionId) },
      })),
      bus.serve(controlSubject(this.connector, 'test'), (raw) => test.request.parse(raw), async ({ connectionId }) => {
        const stored = this.connections.get(connectionId);
        if (!stored) return notFound(connectionId);
        const ok = stored.credentials?.['token'] !== 'wrong';
        return {
          ok: true,
          data: ok
            ? { ok, message: 'Connected', orderStatuses: this.orderStatuses, details: this.details }
            : { ok, message: 'The vendor refused the credentials' },
        };
      }),
    ];
    return this;
  }

  /** Adds a connection directly, as if created earlier. */
  add(id: string, name = id): string {
    const now = new Date().toISOString();
    this.connections.set(id, {
      view: { id, connector: this.connector, name, settings: {}, hasCredentials: true, createdAt: now, updatedAt: now },
      credentials: { token: 'secret' },
    });
    return id;
  }

  async stop(): Promise<void> {
    await Promise.all(this.servers.map((server) => server.stop()));
  }

  private reply(id: string): Reply<unknown> {
    const stored = this.connections.get(id);
    return stored ? { ok: true, data: { ...stored.view, credentials: stored.credentials } } : notFound(id);
  }
}

function notFound(id: string): Reply<never> {
  return { ok: false, error: { code: 'not_found', message: `unknown connection ${id}` } };
}
