import { Inject, Injectable } from '@nestjs/common';
import {
  CONNECTION_CONTROL,
  ControlReply,
  controlSubject,
  type ConnectionOperation,
  type ConnectorName,
} from '@junction/contracts';
import { Bus, RequestFailedError } from '@junction/messaging';
import type { z } from 'zod';
import { ApiError, type ApiErrorCode } from '../http/api-error';

type Operation = typeof CONNECTION_CONTROL;
export type ControlRequest<Op extends ConnectionOperation> = z.input<Operation[Op]['request']>;
export type ControlData<Op extends ConnectionOperation> = z.output<Operation[Op]['data']>;

// A connection test talks to the vendor; the other operations only to the connector's database.
const TIMEOUT_MS: Record<ConnectionOperation, number> = { upsert: 5_000, get: 5_000, list: 5_000, delete: 5_000, test: 20_000 };

// Connector error codes the control API passes through as its own; anything else is the connector's failure.
const PASSED_THROUGH: Record<string, ApiErrorCode> = {
  not_found: 'not_found',
  invalid_request: 'invalid_request',
  conflict: 'conflict',
};

/**
 * Connections live in their connector (credentials never leave it); the control API manages them by asking the
 * connector over NATS request/reply.
 */
@Injectable()
export class ConnectorControl {
  constructor(@Inject(Bus) private readonly bus: Bus) {}

  async call<Op extends ConnectionOperation>(
    connector: ConnectorName,
    op: Op,
    request: ControlRequest<Op>,
  ): Promise<ControlData<Op>> {
    const subject = controlSubject(connector, op);
    const replySchema = ControlReply(CONNECTION_CONTROL[op].data);
    let reply: z.output<typeof replySchema>;
    try {
      reply = await this.bus.request(subject, request, (raw) => replySchema.parse(raw), { timeoutMs: TIMEOUT_MS[op] });
    } catch (error) {
      if (error instanceof RequestFailedError) {
        throw new ApiError('connector_unavailable', `the ${connector} connector did not answer (${error.kind})`);
      }
      throw error;
    }
    if (!reply.ok) {
      throw new ApiError(PASSED_THROUGH[reply.error.code] ?? 'connector_error', `${connector}: ${reply.error.message}`);
    }
    return reply.data as ControlData<Op>;
  }

  /** The connection, or undefined when the connector has no such connection. */
  async find(connector: ConnectorName, connectionId: string): Promise<ControlData<'get'> | undefined> {
    try {
      return await this.call(connector, 'get', { connectionId });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_found') return undefined;
      throw error;
    }
  }
}
