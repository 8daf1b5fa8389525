import type { ParkedCommand, ParkedCommands, RecordedKeys } from '@junction/connector-kit';
import { messageId } from '@junction/contracts';
import type { Bus, MessageContext } from '@junction/messaging';
import { junctionMetrics, type Logger } from '@junction/telemetry';
import { context, propagation, ROOT_CONTEXT, type Attributes, type BatchObservableCallback } from '@opentelemetry/api';
import type { Failure, MissingDependencyError } from './failures';

export interface DependencyWaitOptions {
  /** The entity types commands may wait for (the connector's `waitsFor`): writes of other types release nothing. */
  waitsFor: ReadonlySet<string>;
  /** How long a command may wait for a record it needs before it is dead-lettered. */
  waitMs: number;
  /** How often every replica looks for waiting commands to release (their record came while nobody listened) or give up. */
  sweepMs: number;
}

/** Reports a command that waited in vain as given up (`record.failed`, the write metric). */
export type GiveUpWaiting = (command: ParkedCommand, failure: Failure) => Promise<void>;

const encoder = new TextEncoder();

/**
 * Commands that wait for a record another command writes (a contact for its customer). Instead of retrying until
 * the record exists, which spends the command's deliveries and can dead-letter it under load although nothing is
 * wrong, the command is parked in the connector's schema (ParkedCommands) and acknowledged; it is published again
 * (with a fresh delivery count, in its own trace) as soon as the ID map records the key it waits for, and by the
 * sweep, which also finds what a crash or another process left. The republished command goes through the inbox like
 * any delivery, so a copy that already ran does nothing. What waits longer than `waitMs` is dead-lettered with the
 * missing record in its reason.
 */
export class DependencyWaits {
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private stopObserving?: () => void;

  constructor(
    private readonly connector: string,
    private readonly parked: ParkedCommands,
    private readonly bus: Bus,
    private readonly logger: Logger,
    private readonly options: DependencyWaitOptions,
    private readonly giveUp: GiveUpWaiting,
  ) {}

  /** Parks a delivered command until `error.awaited` is in the connection's ID map; the delivery may be acked then. */
  async park(envelope: { id: string }, ctx: MessageContext, connectionId: string, error: MissingDependencyError): Promise<void> {
    // The delivery's span: the release continues the trace from where the command had to wait.
    const traceContext: Record<string, string> = {};
    propagation.inject(context.active(), traceContext);
    const { entityType, sourceKey } = error.awaited;
    const awaited = { connectionId, entityType, sourceKey };
    await this.parked.park({
      consumer: ctx.durable,
      commandId: envelope.id,
      subject: ctx.subject,
      envelope,
      msgId: ctx.msgId,
      stream: ctx.stream,
      streamSeq: ctx.streamSeq,
      deliveries: ctx.deliveryCount,
      traceContext,
      awaited,
      reason: error.message,
      waitMs: this.options.waitMs,
    });
    // Recorded between the handler's look-up and the parking, the record released nothing: look once more.
    await this.recorded({ connectionId, entityType, sourceKeys: [sourceKey] });
  }

  /** The entity types commands may wait for. */
  get waitsFor(): ReadonlySet<string> {
    return this.options.waitsFor;
  }

  /** Releases the commands waiting for keys the ID map has just recorded. Never throws: the sweep tries again. */
  async recorded(keys: RecordedKeys): Promise<void> {
    if (!this.options.waitsFor.has(keys.entityType)) return;
    try {
      if (await this.parked.awaits(keys)) await this.parked.releaseMapped((command) => this.release(command), keys);
    } catch (err) {
      this.logger.warn({ err, awaited: keys }, 'could not release the commands waiting for a record; the sweep will');
    }
  }

  /** Sweeps at once (what waited while no replica ran) and then every `sweepMs`; reports the waiting commands. */
  start(): void {
    this.stopObserving = this.observe();
    this.sweepNow();
    this.timer = setInterval(() => this.sweepNow(), this.options.sweepMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopObserving?.();
    await this.sweeping;
  }

  private sweepNow(): void {
    this.sweeping ??= this.sweep().finally(() => {
      this.sweeping = undefined;
    });
  }

  private async sweep(): Promise<void> {
    try {
      const released = await this.parked.releaseMapped((command) => this.release(command));
      const expired = await this.parked.expire((command) => this.expire(command));
      if (released + expired > 0) this.logger.info({ released, expired }, 'swept waiting commands');
    } catch (err) {
      this.logger.warn({ err }, 'could not sweep waiting commands; trying again at the next sweep');
    }
  }

  private async release(command: ParkedCommand): Promise<void> {
    // A new message id per parking: a command parked again after a release must not be dropped as a duplicate.
    await inTraceOf(command, () =>
      this.bus.publish(command.subject, command.envelope as { id: string }, { msgId: messageId('released', command.releaseId) }),
    );
    this.logger.info(
      { commandId: command.commandId, subject: command.subject, awaited: command.awaited },
      'command released: the record it waited for is written',
    );
  }

  private async expire(command: ParkedCommand): Promise<void> {
    const waited = formatDuration(command.expiresAt.getTime() - command.parkedAt.getTime());
    const reason = `gave up after waiting ${waited} for a record it needs: ${command.reason}`;
    await inTraceOf(command, async () => {
      await this.bus.deadLetter({
        subject: command.subject,
        stream: command.stream,
        durable: command.consumer,
        streamSeq: command.streamSeq,
        deliveries: command.deliveries,
        payload: encoder.encode(JSON.stringify(command.envelope)),
        msgId: command.msgId,
        reason,
      });
      await this.giveUp(command, { code: 'dependency_missing', message: reason, retryable: false });
    });
  }

  /**
   * `junction.sync.waiting.count` and `.age` per integration and awaited entity type. A series once reported is
   * reported for good (0 once nothing waits): the SDK would otherwise repeat its last value.
   */
  private observe(): () => void {
    const { meter, syncWaiting, syncWaitingAge } = junctionMetrics();
    const series = new Map<string, Attributes>();
    const callback: BatchObservableCallback = async (result) => {
      try {
        const now = Date.now();
        const waiting = new Map<string, { commands: number; oldest: Date }>();
        for (const row of await this.parked.waiting()) {
          const attributes = { integration: row.integrationId ?? '', connector: this.connector, awaiting: row.entityType };
          const key = JSON.stringify(attributes);
          series.set(key, attributes);
          waiting.set(key, row);
        }
        for (const [key, attributes] of series) {
          const row = waiting.get(key);
          result.observe(syncWaiting, row?.commands ?? 0, attributes);
          result.observe(syncWaitingAge, row ? Math.max(0, (now - new Date(row.oldest).getTime()) / 1000) : 0, attributes);
        }
      } catch (err) {
        this.logger.warn({ err }, 'could not count waiting commands for metrics');
      }
    };
    meter.addBatchObservableCallback(callback, [syncWaiting, syncWaitingAge]);
    return () => meter.removeBatchObservableCallback(callback, [syncWaiting, syncWaitingAge]);
  }
}

function inTraceOf<T>(command: ParkedCommand, work: () => Promise<T>): Promise<T> {
  return context.with(propagation.extract(ROOT_CONTEXT, command.traceContext), work);
}

/** "45 s", "30 min", "24 h": how long a command waited, for its dead letter. */
function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
