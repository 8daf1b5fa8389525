import type { ConnectionView as StoredConnection } from '@junction/connector-kit';
import {
  CONNECTION_CONTROL,
  controlSubject,
  type ConnectionDeleted,
  type ConnectionList,
  type ConnectionOperation,
  type ConnectionTestResult,
  type ConnectionUpsertRequest,
  type ConnectionView,
  type ControlReply,
} from '@junction/contracts';
import type { Bus, RequestServer } from '@junction/messaging';
import { scrubDeep } from '@junction/secrets';
import type { Logger } from '@junction/telemetry';
import type { z } from 'zod';
import { ConnectionConflictError, type ConnectionStore } from './connection-store';
import type { ConnectorDefinition } from './definition';
import { classifyFailure } from './failures';
import { InvalidRequestError, parseRequest } from './validation';


/**
 * Serves `ctl.<connector>.connection.<op>`: the control API's way to manage this connector's connections.
 * Replies never carry credentials; every error message is scrubbed of registered secrets.
 */
export class ControlServer<Settings, Credentials> {
  constructor(
    private readonly definition: ConnectorDefinition<Settings, Credentials>,
    private readonly store: ConnectionStore<Settings, Credentials>,
    private readonly logger: Logger,
    private readonly signal: AbortSignal,
  ) {}

  serve(bus: Bus): RequestServer[] {
    const { upsert, get, list, delete: remove, test } = CONNECTION_CONTROL;
    return [
      this.serveOperation(bus, 'upsert', upsert.request, (request) => this.upsert(request)),
      this.serveOperation(bus, 'get', get.request, (request) => this.get(request.connectionId)),
      this.serveOperation(bus, 'list', list.request, () => this.list()),
      this.serveOperation(bus, 'delete', remove.request, (request) => this.delete(request.connectionId)),
      this.serveOperation(bus, 'test', test.request, (request) => this.test(request.connectionId)),
    ];
  }

  private serveOperation<Request>(
    bus: Bus,
    op: ConnectionOperation,
    schema: z.ZodType<Request>,
    handle: (request: Request) => Promise<ControlReply<unknown>>,
  ): RequestServer {
    return bus.serve(
      controlSubject(this.definition.name, op),
      (raw) => parseRequest(schema, raw),
      (request) => this.answer(op, () => handle(request)),
    );
  }

  private async upsert(request: ConnectionUpsertRequest): Promise<ControlReply<ConnectionView>> {
    const stored = await this.store.upsert(request);
    if (!stored) return notFound(request.connectionId ?? '');
    this.logger.info({ connectionId: stored.id, created: request.connectionId === undefined }, 'connection saved');
    return { ok: true, data: this.toView(stored) };
  }

  private async get(connectionId: string): Promise<ControlReply<ConnectionView>> {
    const stored = await this.store.view(connectionId);
    return stored ? { ok: true, data: this.toView(stored) } : notFound(connectionId);
  }

  private async list(): Promise<ControlReply<ConnectionList>> {
    return { ok: true, data: (await this.store.list()).map((stored) => this.toView(stored)) };
  }

  private async delete(connectionId: string): Promise<ControlReply<ConnectionDeleted>> {
    const deleted = await this.store.delete(connectionId);
    if (deleted) this.logger.info({ connectionId }, 'connection deleted');
    return { ok: true, data: { connectionId, deleted } };
  }

  /** Runs the connector's check with the stored credentials; a thrown error is a failed test, not a failed request. */
  private async test(connectionId: string): Promise<ControlReply<ConnectionTestResult>> {
    const connection = await this.store.load(connectionId);
    if (!connection) return notFound(connectionId);
    const logger = this.logger.child({ connectionId });
    let result: ConnectionTestResult;
    try {
      result = await this.definition.testConnection(connection.context(logger, this.signal));
    } catch (error) {
      result = { ok: false, message: classifyFailure(error).message };
    }
    logger.info({ ok: result.ok }, 'connection tested');
    // A vendor may echo a credential back in its message.
    return { ok: true, data: scrubDeep(result) };
  }

  private async answer(
    op: ConnectionOperation,
    handle: () => Promise<ControlReply<unknown>>,
  ): Promise<ControlReply<unknown>> {
    try {
      return await handle();
    } catch (error) {
      if (error instanceof InvalidRequestError) {
        return { ok: false, error: { code: 'invalid_request', message: error.message } };
      }
      if (error instanceof ConnectionConflictError) {
        return { ok: false, error: { code: 'conflict', message: error.message } };
      }
      const { message } = classifyFailure(error);
      this.logger.error({ err: error, op }, 'connection request failed');
      return { ok: false, error: { code: 'internal', message } };
    }
  }

  private toView(stored: StoredConnection): ConnectionView {
    return {
      id: stored.id,
      connector: this.definition.name,
      name: stored.name,
      settings: stored.settings,
      hasCredentials: stored.hasCredentials,
      createdAt: stored.createdAt.toISOString(),
      updatedAt: stored.updatedAt.toISOString(),
    };
  }
}

function notFound(connectionId: string): ControlReply<never> {
  return { ok: false, error: { code: 'not_found', message: `unknown connection ${connectionId}` } };
}
