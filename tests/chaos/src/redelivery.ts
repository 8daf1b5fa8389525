import { setTimeout as sleep } from 'node:timers/promises';
import { Bus, JUNCTION_STREAMS, type ConsumerHandle, type MessageContext } from '@junction/messaging';
import { z } from 'zod';
import type { SeededRandom } from './random';

/** Marks the copies, so the redelivery does not copy its own copies. */
const COPY_HEADER = 'Chaos-Copy';

const Envelope = z.looseObject({ id: z.string().min(1) });
type Envelope = z.infer<typeof Envelope>;

/** Events whose sender may well send them again under a new id: a new deal or order announced twice. */
const CREATIONS = /^(deal\.won|[a-z]+\.created)$/;

/** A delayed copy whose publish fails (nats-server restarting) is tried again this often, a second apart. */
const PUBLISH_ATTEMPTS = 60;

export interface RedeliveryCounts {
  /** Events seen (originals only). */
  events: number;
  /** Copies under the original Nats-Msg-Id that the broker dropped as duplicates, and those it stored (past its window). */
  sameIdDropped: number;
  sameIdStored: number;
  /** Copies under a new Nats-Msg-Id, envelope unchanged: a redelivery past the broker's dedupe window. */
  newMsgId: number;
  /** Copies of creations under a new envelope id: the sender announcing the same deal or order again. */
  newEnvelopeId: number;
}

/**
 * Delivers every event twice: each event on the EVENTS stream is published again at once under its own Nats-Msg-Id
 * (the broker must drop it), then after a random delay under a new one, and a creation also under a new envelope id.
 * Runs on durable consumers of its own, so an event published while nats-server restarts is copied once it is back.
 */
export class Redelivery {
  readonly counts: RedeliveryCounts = { events: 0, sameIdDropped: 0, sameIdStored: 0, newMsgId: 0, newEnvelopeId: 0 };
  private readonly copied = new Set<string>();
  private readonly handles: ConsumerHandle[] = [];
  private readonly delayed = new Set<Promise<void>>();
  private failure?: unknown;

  private constructor(
    private readonly bus: Bus,
    private readonly random: SeededRandom,
    private readonly maxDelayMs: number,
  ) {}

  static async start(bus: Bus, random: SeededRandom, maxDelayMs: number): Promise<Redelivery> {
    const redelivery = new Redelivery(bus, random, maxDelayMs);
    const events = JUNCTION_STREAMS.find((stream) => stream.name === 'EVENTS');
    for (const subject of events?.subjects ?? []) {
      redelivery.handles.push(
        await bus.consume({
          stream: 'EVENTS',
          durable: `chaos-redelivery-${subject.split('.')[0]}`,
          filterSubject: subject,
          parse: (raw) => Envelope.parse(raw),
          handle: (envelope, ctx) => redelivery.copy(envelope, ctx),
          concurrency: 4,
        }),
      );
    }
    return redelivery;
  }

  /** Whether delayed copies are still on their way. */
  get copying(): boolean {
    return this.delayed.size > 0;
  }

  /** Stops copying; throws when a copy could not be published at all. */
  async stop(): Promise<void> {
    for (const handle of this.handles) await handle.stop();
    await Promise.all(this.delayed);
    if (this.failure) throw this.failure;
  }

  private async copy(envelope: Envelope, ctx: MessageContext): Promise<void> {
    if (Object.keys(ctx.headers).some((name) => name.toLowerCase() === COPY_HEADER.toLowerCase())) return;
    // A redelivered original (the consumer was interrupted) is copied again under the same ids: the broker drops them.
    const sameId = await this.bus.publish(ctx.subject, envelope, { msgId: ctx.msgId ?? envelope.id, headers: { [COPY_HEADER]: 'same-id' } });
    if (this.copied.has(envelope.id)) return;
    this.copied.add(envelope.id);
    this.counts.events += 1;
    if (sameId.duplicate) this.counts.sameIdDropped += 1;
    else this.counts.sameIdStored += 1;
    const later = this.copyLater(envelope, ctx.subject)
      .catch((error) => {
        this.failure ??= error;
      })
      .finally(() => this.delayed.delete(later));
    this.delayed.add(later);
  }

  /** After a random delay (at once for some: racing the original), the copies under new ids. */
  private async copyLater(envelope: Envelope, subject: string): Promise<void> {
    await sleep(this.random.int(0, this.maxDelayMs));
    await this.publishEventually(subject, envelope, `${envelope.id}:chaos-again`, 'new-msg-id');
    this.counts.newMsgId += 1;
    if (!CREATIONS.test(subject)) return;
    const resent = { ...envelope, id: `${envelope.id}:chaos-resent` };
    await this.publishEventually(subject, resent, resent.id, 'new-envelope-id');
    this.counts.newEnvelopeId += 1;
  }

  private async publishEventually(subject: string, envelope: Envelope, msgId: string, kind: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.bus.publish(subject, envelope, { msgId, headers: { [COPY_HEADER]: kind } });
        return;
      } catch (error) {
        if (attempt >= PUBLISH_ATTEMPTS) throw error;
        await sleep(1_000);
      }
    }
  }
}
