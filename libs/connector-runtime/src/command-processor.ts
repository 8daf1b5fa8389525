import type { IdMap, Inbox } from '@junction/connector-kit';
import { messageId, parseEnvelope, type CommandAction, type COMMANDS, type Envelope } from '@junction/contracts';
import { PermanentError, RetryableError, type MessageContext } from '@junction/messaging';
import { JUNCTION_ATTRIBUTES, junctionMetrics, type Logger } from '@junction/telemetry';
import { trace } from '@opentelemetry/api';
import type { z } from 'zod';
import { ConnectionIdMap } from './connection-id-map';
import type { ConnectionStore } from './connection-store';
import type { CommandHandler, ConnectorDefinition } from './definition';
import type { EventPublisher } from './event-publisher';
import { classifyFailure, UnknownConnectionError, type Failure } from './failures';

/** Any command's envelope, validated by its contract. */
export type CommandEnvelope = z.output<(typeof COMMANDS)[CommandAction]['envelope']>;

/** The consumer's parser: the contract of the subject the message arrived on, which must be a command. */
export function parseCommand(raw: unknown, subject: string): CommandEnvelope {
  const { contract, envelope } = parseEnvelope(subject, raw);
  if (contract.kind !== 'command') throw new Error(`'${subject}' is not a command subject`);
  return envelope as CommandEnvelope;
}

/** Which record of which connection a command writes; names it in `record.written` and `record.failed`. */
interface CommandTarget {
  connectionId: string;
  entityType: string;
  sourceKey: string;
}

/**
 * Executes `cmd.<connector>.<action>` messages: once per envelope id (the inbox makes a replay a no-op), reporting
 * `record.written`, or `record.failed` when the command is given up (dead-lettered with the reason).
 */
export class CommandProcessor<Settings, Credentials> {
  constructor(
    private readonly definition: ConnectorDefinition<Settings, Credentials>,
    private readonly store: ConnectionStore<Settings, Credentials>,
    private readonly inbox: Inbox,
    private readonly idMap: IdMap,
    private readonly events: EventPublisher,
    private readonly logger: Logger,
    private readonly maxDeliver: number,
    private readonly signal: AbortSignal,
  ) {}

  async handle(envelope: CommandEnvelope, ctx: MessageContext): Promise<void> {
    const action = ctx.subject.slice(`cmd.${this.definition.name}.`.length) as CommandAction;
    const handler = this.definition.commands[action] as CommandHandler<Settings, Credentials, unknown> | undefined;
    if (!handler) throw new PermanentError(`${this.definition.name} does not handle command '${action}'`);
    const connectionId = envelope.target.connectionId;
    const entityType = action.split('.')[0];
    const target: CommandTarget = { connectionId, entityType, sourceKey: envelope.data.sourceKey };
    const integrationId = envelope.integrationId;
    const logger = this.logger.child({ commandId: envelope.id, action, integrationId, connectionId, sourceKey: target.sourceKey });
    // On the delivery's span (the bus's CONSUMER span), which the command's HTTP calls and outcome hang under.
    const span = trace.getActiveSpan();
    span?.setAttributes({
      [JUNCTION_ATTRIBUTES.connector]: this.definition.name,
      [JUNCTION_ATTRIBUTES.connection]: connectionId,
      [JUNCTION_ATTRIBUTES.entityType]: entityType,
      [JUNCTION_ATTRIBUTES.sourceKey]: target.sourceKey,
      ...(integrationId ? { [JUNCTION_ATTRIBUTES.integration]: integrationId } : {}),
    });
    const writeAttributes = { integration: integrationId ?? '', connector: this.definition.name, connection: connectionId, entity: entityType };

    try {
      const processed = await this.inbox.runOnce(ctx.durable, envelope.id, async () => {
        const connection = await this.store.load(connectionId);
        if (!connection) throw new UnknownConnectionError(connectionId);
        const result = await handler(
          { ...connection.context(logger, this.signal), idMap: new ConnectionIdMap(this.idMap, connectionId) },
          envelope.data,
          envelope as Envelope<unknown>,
        );
        // Published before the inbox commits: a crash in between repeats the (idempotent) handler, never loses this.
        await this.events.publish('record.written', {
          ...this.outcomeFields(envelope, messageId(envelope.id, 'written'), connectionId),
          data: {
            ...this.outcomeData(envelope, target),
            entityType: result.entityType,
            externalId: result.externalId,
            outcome: result.outcome,
          },
        });
        return result;
      });
      if (processed.status === 'duplicate') {
        span?.setAttribute(JUNCTION_ATTRIBUTES.outcome, 'duplicate');
        logger.info('command already processed; nothing to do');
      } else {
        const { outcome, externalId } = processed.result;
        span?.setAttributes({ [JUNCTION_ATTRIBUTES.externalId]: externalId, [JUNCTION_ATTRIBUTES.outcome]: outcome });
        junctionMetrics().syncWrites.add(1, { ...writeAttributes, outcome });
        // The command carries the source change's time (occurredAt of the event it was planned from).
        const latencyS = (Date.now() - Date.parse(envelope.occurredAt)) / 1000;
        if (latencyS >= 0) junctionMetrics().syncRecordLatency.record(latencyS, writeAttributes);
        logger.info({ outcome, externalId }, 'command executed');
      }
    } catch (error) {
      const failure = classifyFailure(error);
      span?.setAttribute('error.type', failure.code);
      const lastDelivery = ctx.deliveryCount >= this.maxDeliver;
      if (!failure.retryable || lastDelivery) {
        await this.reportFailed(envelope, ctx, target, failure);
        junctionMetrics().syncWrites.add(1, { ...writeAttributes, outcome: 'failed' });
        logger.error({ code: failure.code, reason: failure.message, deliveries: ctx.deliveryCount }, 'command given up');
      }
      if (!failure.retryable) throw new PermanentError(failure.message, { cause: error });
      throw new RetryableError(failure.message, { retryAfterMs: failure.retryAfterMs, cause: error });
    }
  }

  private async reportFailed(
    envelope: CommandEnvelope,
    ctx: MessageContext,
    target: CommandTarget,
    failure: Failure,
  ): Promise<void> {
    // The stream sequence keeps a replayed command's new failure apart from its first one.
    await this.events.publish('record.failed', {
      ...this.outcomeFields(envelope, messageId(envelope.id, 'failed', ctx.streamSeq), target.connectionId),
      data: {
        ...this.outcomeData(envelope, target),
        error: { code: failure.code, message: failure.message, retryable: failure.retryable },
      },
    });
  }

  private outcomeFields(envelope: CommandEnvelope, id: string, connectionId: string) {
    return {
      id,
      connectionId,
      occurredAt: new Date().toISOString(),
      integrationId: envelope.integrationId,
      causationId: envelope.id,
      correlationId: envelope.correlationId,
    };
  }

  private outcomeData(envelope: CommandEnvelope, target: CommandTarget) {
    return {
      commandId: envelope.id,
      connector: this.definition.name,
      connectionId: target.connectionId,
      entityType: target.entityType,
      sourceKey: target.sourceKey,
    };
  }
}
