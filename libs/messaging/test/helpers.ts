import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Bus } from '../src';

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A fresh namespace per test file: its streams, subjects and consumers collide with nothing else. */
export function randomNamespace(): string {
  return `t${randomBytes(4).toString('hex')}`;
}

export function connectBus(namespace: string, name = 'messaging-test'): Promise<Bus> {
  return Bus.connect({ servers: NATS_URL, name, namespace });
}

export async function deleteNamespaceStreams(namespace: string): Promise<void> {
  const bus = await connectBus(namespace, 'messaging-test-cleanup');
  const prefix = `${namespace.toUpperCase()}_`;
  for await (const name of bus.jsm.streams.names()) {
    if (name.startsWith(prefix)) await bus.jsm.streams.delete(name);
  }
  await bus.close();
}

export const TestEnvelope = z.object({
  id: z.string(),
  type: z.string(),
  data: z.object({ amount: z.number() }),
});
export type TestEnvelope = z.infer<typeof TestEnvelope>;

export const parseEnvelope = (raw: unknown) => TestEnvelope.parse(raw);

export function envelope(id: string, type: string, amount = 1): TestEnvelope {
  return { id, type, data: { amount } };
}

/** Polls until `check` returns something truthy. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${check.toString()}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
