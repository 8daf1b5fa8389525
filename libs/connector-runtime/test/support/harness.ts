import { randomBytes, randomUUID } from 'node:crypto';
import { openServiceDataSource } from '@junction/connector-kit';
import {
  ControlReply,
  ConnectionView,
  controlSubject,
  messageId,
  SyncRequested,
  type ConnectionOperation,
} from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { SecretBox } from '@junction/secrets';
import { createLogger, type Logger } from '@junction/telemetry';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { ConnectorRuntime, type ConnectorDefinition, type ConnectorRuntimeOptions } from '../../src';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** Runs one statement on a connection of its own, outside the DataSource under test. */
export async function query<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

export interface StoredMessage {
  subject: string;
  seq: number;
  headers: Record<string, string>;
  envelope: { id: string; type: string; data: Record<string, unknown> } & Record<string, unknown>;
}

/**
 * Real infrastructure for one test file: a random Postgres schema and a random NATS namespace (its own streams),
 * both removed after the file; every log line is captured.
 */
export class Harness {
  readonly schema = `crt_${randomBytes(5).toString('hex')}`;
  readonly namespace = `t${randomBytes(4).toString('hex')}`;
  readonly logLines: string[] = [];
  readonly logger: Logger = createLogger({
    service: 'connector-runtime-test',
    level: 'debug',
    destination: { write: (line: string) => void this.logLines.push(line) },
  });
  readonly cipher = new SecretBox(SecretBox.generateKey());
  private readonly runtimes: Array<{ stop(): Promise<void> }> = [];
  private source?: DataSource;
  private busConnection?: Bus;

  get dataSource(): DataSource {
    if (!this.source) throw new Error('the harness opens in beforeAll');
    return this.source;
  }

  get bus(): Bus {
    if (!this.busConnection) throw new Error('the harness opens in beforeAll');
    return this.busConnection;
  }

  async open(): Promise<void> {
    this.source = await openServiceDataSource({ url: DATABASE_URL, schema: this.schema });
    this.busConnection = await Bus.connect({
      servers: NATS_URL,
      name: 'connector-runtime-test',
      namespace: this.namespace,
      logger: this.logger,
    });
    await this.busConnection.ensureStreams();
  }

  async close(): Promise<void> {
    try {
      await Promise.all(this.runtimes.map((runtime) => runtime.stop()));
      await this.busConnection?.close();
      await this.source?.destroy();
    } finally {
      await query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
      await deleteNamespaceStreams(this.namespace);
    }
  }

  async startRuntime<S, C>(
    definition: ConnectorDefinition<S, C>,
    options: Partial<ConnectorRuntimeOptions> = {},
  ): Promise<ConnectorRuntime<S, C>> {
    const runtime = new ConnectorRuntime(definition, {
      dataSource: this.dataSource,
      bus: this.bus,
      logger: this.logger,
      cipher: this.cipher,
      ...options,
    });
    await runtime.start();
    this.runtimes.push(runtime);
    return runtime;
  }

  /** Sends a control request the way the mapping service does and returns the raw reply. */
  control(connector: string, op: ConnectionOperation, body: unknown): Promise<unknown> {
    return this.bus.request(controlSubject(connector as 'repairshopr', op), body, (raw) => raw, { timeoutMs: 10_000 });
  }

  async createConnection(
    connector: string,
    credentials: Record<string, string>,
    settings = { subdomain: 'acme' },
  ): Promise<string> {
    const reply = ControlReply(ConnectionView).parse(
      await this.control(connector, 'upsert', { name: 'Acme', settings, credentials }),
    );
    if (!reply.ok) throw new Error(`could not create the connection: ${reply.error.message}`);
    return reply.data.id;
  }

  /** Publishes a sync.requested as the scheduler would; returns its requestId. */
  async requestSync(
    connectionId: string,
    stream: string,
    extra: Partial<z.input<typeof SyncRequested>> = {},
  ): Promise<string> {
    const requestId = randomUUID();
    const data: z.input<typeof SyncRequested> = {
      requestId,
      connector: 'repairshopr',
      connectionId,
      stream,
      reason: 'manual',
      requestedAt: new Date().toISOString(),
      ...extra,
    };
    await this.bus.publish('sync.requested', {
      id: messageId('sync', requestId),
      type: 'sync.requested',
      version: 1,
      source: { connector: 'test', connectionId },
      occurredAt: new Date().toISOString(),
      data,
    });
    return requestId;
  }

  /** Every message a stream holds on a logical subject, oldest first. */
  async stored(stream: string, subject: string): Promise<StoredMessage[]> {
    const name = this.bus.streamName(stream);
    const { state } = await this.bus.jsm.streams.info(name);
    const messages: StoredMessage[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const msg = await this.bus.jsm.streams.getMessage(name, { seq });
      if (!msg || msg.subject !== this.bus.subject(subject)) continue;
      const headers: Record<string, string> = {};
      for (const [key, values] of msg.header ?? []) headers[key] = values[0];
      messages.push({ subject, seq: msg.seq, headers, envelope: msg.json() });
    }
    return messages;
  }

  /** How many messages of the durable are neither delivered nor acknowledged yet. */
  async unfinished(stream: string, durable: string): Promise<number> {
    const info = await this.bus.jsm.consumers.info(this.bus.streamName(stream), durable);
    return info.num_pending + info.num_ack_pending;
  }
}

async function deleteNamespaceStreams(namespace: string): Promise<void> {
  const bus = await Bus.connect({ servers: NATS_URL, name: 'connector-runtime-test-cleanup', namespace });
  try {
    const prefix = `${namespace.toUpperCase()}_`;
    for await (const name of bus.jsm.streams.names()) {
      if (name.startsWith(prefix)) await bus.jsm.streams.delete(name);
    }
  } finally {
    await bus.close();
  }
}

/** Polls until `check` returns something truthy. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${check.toString()}`);
    await sleep(25);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
