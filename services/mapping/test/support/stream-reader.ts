import type { Bus } from '@junction/messaging';
import type { Json } from './mapping-app';

export interface StoredEnvelope<T = Json> {
  seq: number;
  subject: string;
  msgId?: string;
  envelope: T;
}

/** Every message a stream holds on a logical subject filter, oldest first (read directly, no consumer). */
export async function storedMessages<T = Json>(bus: Bus, stream: string, subject: string): Promise<StoredEnvelope<T>[]> {
  const messages: StoredEnvelope<T>[] = [];
  const streamName = bus.streamName(stream);
  const filter = bus.subject(subject);
  const prefix = bus.namespace ? `${bus.namespace}.` : '';
  for (let seq = 1; ; ) {
    const stored = await bus.jsm.direct.getMessage(streamName, { seq, next_by_subj: filter });
    if (!stored) return messages;
    messages.push({
      seq: stored.seq,
      subject: stored.subject.slice(prefix.length),
      msgId: stored.header?.get('Nats-Msg-Id') || undefined,
      envelope: stored.json<T>(),
    });
    seq = stored.seq + 1;
  }
}

/** Polls until `check` returns something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
