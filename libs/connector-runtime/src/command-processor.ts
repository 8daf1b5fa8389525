import type { IdMap, Inbox, InboxResult, ParkedCommand } from '@junction/connector-kit';
import { messageId, parseEnvelope, type CommandAction, type COMMANDS, type Envelope } from '@junction/contracts';
import { PermanentError, RetryableError, type MessageContext } from '@junction/messaging';
import { JUNCTION_ATTRIBUTES, junctionMetrics, type Logger } from '@junction/telemetry';
import { context, trace, type Context } from '@opentelemetry/api';
import type { z } from 'zod';
import { ConnectionIdMap } from './connection-id-map';
import type { ConnectionStore } from './connection-store';
import { CommandBatches, WorkQueue } from './command-batches';
import type { BatchCommandHandler, CommandContext, CommandHandler, CommandResult, ConnectorDefinition } from './definition';
import type { DependencyWaits } from './dependency-waits';
import type { EventPublisher } from './event-publisher';
import { classifyFailure, MissingDependencyError, UnknownConnectionError, type Failure } from './failures';
import { inBatchTrace } from './tracing';
import { WritesInProgress, type RecordKey } from './writes-in-progress';

/**
 * How long a command waits for another command of this process that is writing a record it needs, before it parks:
 * far longer than a vendor write takes, short enough that a command stuck behind a slow vendor frees its slot.
 */
const IN_PROCESS_WAIT_MS = 2_000;

/** Any command's envelope, validated by its contract. */
export type CommandEnvelope = z.output<(typeof COMMANDS)[CommandAction]['envelope']>;

/** The consumer's parser: the contract of the subject the message arrived on, which must be a command. */
export function parseCommand(raw: unknown, subject: string): CommandEnvelope {
  const { contract, envelope } = parseEnvelope(subject, raw);
  if (contract.kind !== 'command') throw new Error(`'${subject}' is not a command subject`);
  return envelope as CommandEnvelope;
}

/** Which record of which connection a command writes; names it in `record.written` and `record.failed`. */
type CommandTarget = RecordKey;

/** How commands share the process: `concurrency` units of work at once (a command alone, or a batch). */
export interface CommandScheduling {
  concurrency: number;
  /** How long a batch waits for one more command to join before it runs. */
  batchLingerMs: number;
}

/** A command waiting in a batch, with its delivery's trace context. */
interface BatchMember {
  action: CommandAction;
  envelope: CommandEnvelope;
  logger: Logger;
  parent: Context;
}

/**
 * Executes `cmd.<connector>.<action>` messages: once per envelope id (the inbox makes a replay a no-op), reporting
 * `record.written`, or `record.failed` when the command is given up (dead-lettered with the reason). A command that
 * needs a record not written yet waits for it in `waits` instead of failing. Commands of an action with a batch
 * handler that wait at the same time are executed together, each still with its own inbox entry and outcome.
 */
export class CommandProcessor<Settings, Credentials> {
  private readonly queue: WorkQueue;
  private readonly batches: CommandBatches<BatchMember, CommandResult>;
  private readonly writes = new WritesInProgress();

  constructor(
    private readonly definition: ConnectorDefinition<Settings, Credentials>,
    private readonly store: ConnectionStore<Settings, Credentials>,
    private readonly inbox: Inbox,
    private readonly idMap: IdMap,
    private readonly events: EventPublisher,
    private readonly logger: Logger,
    private readonly maxDeliver: number,
    private readonly signal: AbortSignal,
    private readonly waits: DependencyWaits,
    scheduling: CommandScheduling,
  ) {
    this.queue = new WorkQueue(scheduling.concurrency);
    this.batches = new CommandBatches(this.queue, scheduling.batchLingerMs, (members) => this.executeBatch(members));
  }

  async handle(envelope: CommandEnvelope, ctx: MessageContext): Promise<void> {
    const action = ctx.subject.slice(`cmd.${this.definition.name}.`.length) as CommandAction;
    const handler = this.definition.commands[action] as CommandHandler<Settings, Credentials, unknown> | undefined;
    if (!handler) throw new PermanentError(`${this.definition.name} does not handle command '${action}'`);
    const target = this.targetOf(action, envelope);
    const { connectionId, entityType } = target;
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
    const writeAttributes = this.writeAttributes(envelope, target);

    try {
      const batch = this.definition.batchCommands?.[action];
      const processed = batch
        ? await this.runBatched(batch.maxBatch, { action, envelope, logger, parent: context.active() }, ctx.durable, target)
        : await this.runAlone(envelope, ctx.durable, target, () => this.execute(handler, envelope, logger));
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
      if (error instanceof MissingDependencyError) {
        // Acked once parked: waiting for the record spends none of the command's deliveries.
        await this.waits.park(envelope, ctx, connectionId, error);
        span?.setAttribute(JUNCTION_ATTRIBUTES.outcome, 'waiting');
        logger.info({ awaited: error.awaited, reason: error.message }, 'command waits for a record it needs');
        return;
      }
      const failure = classifyFailure(error);
      span?.setAttribute('error.type', failure.code);
      const lastDelivery = ctx.deliveryCount >= this.maxDeliver;
      if (!failure.retryable || lastDelivery) {
        await this.giveUp(envelope, target, ctx.streamSeq, failure, logger.child({ deliveries: ctx.deliveryCount }));
      }
      if (!failure.retryable) throw new PermanentError(failure.message, { cause: error });
      throw new RetryableError(failure.message, { retryAfterMs: failure.retryAfterMs, cause: error });
    }
  }

  /**
   * A command executed on its own, after the batches gathered before it; it is known as writing its target meanwhile
   * (commands needing that record wait for it).
   */
  private runAlone(
    envelope: CommandEnvelope,
    durable: string,
    target: CommandTarget,
    work: () => Promise<CommandResult>,
  ): Promise<InboxResult<CommandResult>> {
    this.batches.flushAll();
    return this.queue.run(() => this.writes.track(target, () => this.runOnce(durable, envelope, target, work)));
  }

  /** A command of an action with a batch handler joins the others of its connection waiting now. */
  private runBatched(maxBatch: number, member: BatchMember, durable: string, target: CommandTarget): Promise<InboxResult<CommandResult>> {
    return this.runOnce(durable, member.envelope, target, () =>
      this.batches.submit(`${member.action} ${target.connectionId}`, maxBatch, target.sourceKey, member),
    );
  }

  /**
   * Runs a command the inbox does not know yet and notes it there once it is reported. No transaction spans the work:
   * at a vendor's pace it would hold a database connection for seconds. Two deliveries of one command at the same
   * time (a replay while the original still runs) may then both run; the ID map makes their vendor writes one.
   */
  private async runOnce(
    durable: string,
    envelope: CommandEnvelope,
    target: CommandTarget,
    work: () => Promise<CommandResult>,
  ): Promise<InboxResult<CommandResult>> {
    if (await this.inbox.has(durable, envelope.id)) return { status: 'duplicate' };
    const result = await this.reportWritten(envelope, target, await work());
    await this.inbox.record(durable, envelope.id);
    return { status: 'processed', result };
  }

  /** A group of batched commands: one alone as a single command in its own trace, more through the batch handler. */
  private async executeBatch(members: BatchMember[]): Promise<Array<PromiseSettledResult<CommandResult>>> {
    const [{ action, envelope }] = members;
    if (members.length === 1) {
      const [{ logger, parent }] = members;
      const handler = this.definition.commands[action] as CommandHandler<Settings, Credentials, unknown>;
      return Promise.allSettled([context.with(parent, () => this.execute(handler, envelope, logger))]);
    }
    const batch = this.definition.batchCommands?.[action] as BatchCommandHandler<Settings, Credentials, unknown>;
    const connectionId = envelope.target.connectionId;
    const logger = this.logger.child({ action, connectionId, batchSize: members.length });
    const spans = members.flatMap((member) => trace.getSpan(member.parent) ?? []);
    const attributes = { [JUNCTION_ATTRIBUTES.connector]: this.definition.name, [JUNCTION_ATTRIBUTES.connection]: connectionId };
    return inBatchTrace(`cmd.${this.definition.name}.${action} batch`, attributes, spans, async () => {
      const commands = members.map((member) => ({ data: member.envelope.data, envelope: member.envelope as Envelope<unknown> }));
      return batch.handle(await this.contextFor(connectionId, logger), commands);
    });
  }

  private async execute(handler: CommandHandler<Settings, Credentials, unknown>, envelope: CommandEnvelope, logger: Logger): Promise<CommandResult> {
    return handler(await this.contextFor(envelope.target.connectionId, logger), envelope.data, envelope as Envelope<unknown>);
  }

  private async contextFor(connectionId: string, logger: Logger): Promise<CommandContext<Settings, Credentials>> {
    const connection = await this.store.loadRecent(connectionId);
    if (!connection) throw new UnknownConnectionError(connectionId);
    return {
      ...connection.context(logger, this.signal),
      idMap: new ConnectionIdMap(this.idMap, connectionId, {
        onRecorded: (keys) => this.waits.recorded(keys),
        writing: { writes: this.writes, maxWaitMs: IN_PROCESS_WAIT_MS, logger },
        waitsFor: this.waits.waitsFor,
      }),
    };
  }

  /** Published before the inbox notes the command: a crash in between repeats the (idempotent) handler, never loses this. */
  private async reportWritten(envelope: CommandEnvelope, target: CommandTarget, result: CommandResult): Promise<CommandResult> {
    await this.events.publish('record.written', {
      ...this.outcomeFields(envelope, messageId(envelope.id, 'written'), target.connectionId),
      data: {
        ...this.outcomeData(envelope, target),
        entityType: result.entityType,
        externalId: result.externalId,
        outcome: result.outcome,
      },
    });
    return result;
  }

  /** Gives up a parked command that waited in vain; DependencyWaits dead-letters it. */
  giveUpWaiting(command: ParkedCommand, failure: Failure): Promise<void> {
    const envelope = command.envelope as CommandEnvelope;
    const action = command.subject.slice(`cmd.${this.definition.name}.`.length);
    const target = this.targetOf(action, envelope);
    const logger = this.logger.child({ commandId: envelope.id, action, integrationId: envelope.integrationId, ...target });
    return this.giveUp(envelope, target, command.streamSeq, failure, logger);
  }

  /** Reports a command given up on: `record.failed` and the write metric. The bus or the caller dead-letters it. */
  private async giveUp(
    envelope: CommandEnvelope,
    target: CommandTarget,
    streamSeq: number,
    failure: Failure,
    logger: Logger,
  ): Promise<void> {
    // The stream sequence keeps a replayed command's new failure apart from its first one.
    await this.events.publish('record.failed', {
      ...this.outcomeFields(envelope, messageId(envelope.id, 'failed', streamSeq), target.connectionId),
      data: {
        ...this.outcomeData(envelope, target),
        error: { code: failure.code, message: failure.message, retryable: failure.retryable },
      },
    });
    junctionMetrics().syncWrites.add(1, { ...this.writeAttributes(envelope, target), outcome: 'failed' });
    logger.error({ code: failure.code, reason: failure.message }, 'command given up');
  }

  private targetOf(action: string, envelope: CommandEnvelope): CommandTarget {
    return { connectionId: envelope.target.connectionId, entityType: action.split('.')[0], sourceKey: envelope.data.sourceKey };
  }

  private writeAttributes(envelope: CommandEnvelope, target: CommandTarget) {
    return {
      integration: envelope.integrationId ?? '',
      connector: this.definition.name,
      connection: target.connectionId,
      entity: target.entityType,
    };
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
