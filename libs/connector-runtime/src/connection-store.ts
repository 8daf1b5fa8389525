import {
  AccountInUseError,
  type AdvisoryLocks,
  type Connections,
  type ConnectionView,
  type Cursors,
  type IdMap,
  type Observations,
} from '@junction/connector-kit';
import type { ConnectionUpsertRequest } from '@junction/contracts';
import { secretRegistry } from '@junction/secrets';
import type { Logger } from '@junction/telemetry';
import type { z } from 'zod';
import { ConnectionObservations } from './connection-observations';
import type { ConnectionInfo, ConnectorContext, ConnectorDefinition } from './definition';
import { describeIssues, parseRequest } from './validation';

/** A connection ready for connector code: settings and credentials parsed by the connector's schemas. */
export interface LoadedConnection<Settings, Credentials> {
  view: ConnectionView;
  info: ConnectionInfo<Settings>;
  credentials: Credentials;
  /** What connector code (a stream, a command, a test) is given for this connection. */
  context(logger: Logger, signal: AbortSignal): ConnectorContext<Settings, Credentials>;
}

/** A second connection to a vendor account the connector allows only once; the message names the first one. */
export class ConnectionConflictError extends Error {
  override readonly name = 'ConnectionConflictError';
}

/** How long `loadRecent` answers from memory: another replica's change to a connection reaches commands after this. */
export const RECENT_CONNECTION_MS = 5_000;

interface RecentConnection<Settings, Credentials> {
  loaded: Promise<LoadedConnection<Settings, Credentials> | undefined>;
  expiresAt: number;
}

/** The connector's connections: validated by its schemas on the way in, secrets registered on the way out. */
export class ConnectionStore<Settings, Credentials> {
  private readonly recent = new Map<string, RecentConnection<Settings, Credentials>>();

  constructor(
    private readonly definition: ConnectorDefinition<Settings, Credentials>,
    private readonly connections: Connections,
    private readonly idMap: IdMap,
    private readonly cursors: Cursors,
    private readonly observations: Observations,
    private readonly locks: AdvisoryLocks,
    private readonly recentMs = RECENT_CONNECTION_MS,
  ) {}

  /** The connection if it exists and belongs to this connector. */
  async view(id: string): Promise<ConnectionView | undefined> {
    const view = await this.connections.get(id);
    return view?.connector === this.definition.name ? view : undefined;
  }

  list(): Promise<ConnectionView[]> {
    return this.connections.list(this.definition.name);
  }

  /**
   * `load`, answered from memory for up to `recentMs` (RECENT_CONNECTION_MS): commands arrive by the hundred a second, and reading,
   * unsealing and parsing the connection for each was two queries and most of a millisecond. This replica's own
   * changes (saved, deleted, credentials renewed) apply at once; another replica's within `recentMs`.
   */
  loadRecent(id: string): Promise<LoadedConnection<Settings, Credentials> | undefined> {
    const now = performance.now();
    const recent = this.recent.get(id);
    if (recent && recent.expiresAt > now) return recent.loaded;
    const loaded = this.load(id);
    this.recent.set(id, { loaded, expiresAt: now + this.recentMs });
    // A failed load is not remembered: the next command reads again.
    loaded.catch(() => {
      if (this.recent.get(id)?.loaded === loaded) this.recent.delete(id);
    });
    return loaded;
  }

  /** Loads and parses a connection; undefined when there is no such connection of this connector. */
  async load(id: string): Promise<LoadedConnection<Settings, Credentials> | undefined> {
    const view = await this.view(id);
    if (!view) return undefined;
    const settings = this.parseStored(this.definition.settingsSchema, view.settings, id, 'settings');
    const credentials = await this.storedCredentials(id);
    const info = { id: view.id, name: view.name, settings };
    const observations = new ConnectionObservations(this.observations, id);
    return {
      view,
      info,
      credentials,
      context: (logger, signal) => ({
        connection: info,
        credentials,
        updateCredentials: (update) => this.updateCredentials(id, update),
        observations,
        logger,
        signal,
      }),
    };
  }

  /** Read, update and store under one advisory lock per connection, so replicas renew a rotating token one at a time. */
  async updateCredentials(id: string, update: (stored: Credentials) => Promise<Credentials>): Promise<Credentials> {
    const { result } = await this.locks.withLock(
      `credentials:${id}`,
      async () => {
        const current = (await this.connections.credentials<unknown>(id)) ?? {};
        const stored = this.parseStored(this.definition.credentialsSchema, current, id, 'credentials');
        const next = await update(stored);
        if (next === stored) return stored;
        const credentials = parseRequest(this.definition.credentialsSchema, next, 'credentials');
        registerSecrets(credentials);
        await this.connections.update(id, { credentials: toRecord(credentials) });
        this.recent.delete(id);
        return credentials;
      },
      { wait: true },
    );
    return result;
  }

  /**
   * Creates (no connectionId) or updates a connection. Credentials are validated and sealed; on update, absent
   * credentials keep the stored ones. Throws InvalidRequestError naming the fields that are wrong.
   */
  async upsert(request: ConnectionUpsertRequest): Promise<ConnectionView | undefined> {
    if (request.credentials) registerSecrets(request.credentials);
    const { settingsSchema, credentialsSchema } = this.definition;
    const settings = parseRequest(settingsSchema, request.settings, 'settings');
    try {
      if (request.connectionId === undefined) {
        // A new connection needs every credential its schema asks for.
        const credentials = parseRequest(credentialsSchema, request.credentials ?? {}, 'credentials');
        return await this.connections.create({
          connector: this.definition.name,
          name: request.name,
          settings: toRecord(settings),
          credentials: toRecord(credentials),
          account: this.definition.accountOf?.(settings, credentials),
        });
      }
      const id = request.connectionId;
      if (!(await this.view(id))) return undefined;
      const credentials = request.credentials && parseRequest(credentialsSchema, request.credentials, 'credentials');
      const account =
        this.definition.accountOf &&
        this.definition.accountOf(settings, credentials ?? (await this.storedCredentials(id)));
      const updated = await this.connections.update(id, {
        name: request.name,
        settings: toRecord(settings),
        credentials: credentials && toRecord(credentials),
        account,
      });
      // After the write: a command may have loaded the old connection meanwhile.
      this.recent.delete(id);
      return updated;
    } catch (error) {
      if (error instanceof AccountInUseError) throw new ConnectionConflictError(error.message);
      throw error;
    }
  }

  private async storedCredentials(id: string): Promise<Credentials> {
    const stored = (await this.connections.credentials<unknown>(id)) ?? {};
    registerSecrets(stored);
    return this.parseStored(this.definition.credentialsSchema, stored, id, 'credentials');
  }

  /** Deletes the connection with its ID map and cursors: a new connection to the same account starts afresh. */
  async delete(id: string): Promise<boolean> {
    if (!(await this.view(id)) || !(await this.connections.delete(id))) return false;
    this.recent.delete(id);
    await this.idMap.deleteByConnection(id);
    await this.observations.deleteByConnection(id);
    for (const stream of Object.keys(this.definition.streams)) await this.cursors.reset(id, stream);
    return true;
  }

  private parseStored<T>(schema: z.ZodType<T>, value: unknown, id: string, what: string): T {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    // The schema changed since the connection was saved: the user has to save it again.
    throw new Error(
      `connection ${id}: stored ${what} no longer match the ${this.definition.name} schema ` +
        `(${describeIssues(result.error, what)}); save the connection again`,
    );
  }
}

/** Registers every string inside the credentials, so no log line or error can carry one. */
function registerSecrets(value: unknown): void {
  if (typeof value === 'string') secretRegistry.register(value);
  else if (value !== null && typeof value === 'object') Object.values(value).forEach(registerSecrets);
}

function toRecord(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error('connection settings and credentials schemas must produce objects');
  }
  return value as Record<string, unknown>;
}
