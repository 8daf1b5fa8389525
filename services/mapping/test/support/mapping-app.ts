import type { INestApplication } from '@nestjs/common';
import { Bus } from '@junction/messaging';
import { listeningPort, runService } from '@junction/service-kit';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AppModule } from '../../src/app.module';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

export const CONTROL_API_TOKEN = 'test-token-0123456789abcdef';

/** Decoded JSON whose shape the tests assert field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
}

export interface MappingApp {
  /** A bus on the app's namespace, for publishing events and observing what the app publishes. */
  readonly bus: Bus;
  readonly baseUrl: string;
  readonly schema: string;
  /** Runs one SQL statement against the app's database; `{schema}` stands for its schema. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Calls the control API with the test token (or `token`, or none when it is null). */
  api<T = Json>(method: string, path: string, body?: unknown, token?: string | null): Promise<ApiResponse<T>>;
}

/**
 * Starts the real mapping service on port 0 against real Postgres and NATS, in a random schema and NATS namespace,
 * before the file's tests; stops it and removes both after them.
 */
export function useMappingApp(): MappingApp {
  const suffix = randomBytes(4).toString('hex');
  const schema = `mapping_test_${suffix}`;
  const namespace = `t${suffix}`;
  let app: INestApplication | undefined;
  let bus: Bus | undefined;
  let baseUrl = '';

  beforeAll(async () => {
    Object.assign(process.env, {
      MAPPING_DATABASE_URL: databaseUrl,
      MAPPING_NATS_URL: natsUrl,
      MAPPING_DB_SCHEMA: schema,
      MAPPING_JUNCTION_NAMESPACE: namespace,
      MAPPING_HTTP_HOST: '127.0.0.1',
      MAPPING_HTTP_PORT: '0',
      MAPPING_LOG_LEVEL: 'silent',
      MAPPING_CONTROL_API_TOKEN: CONTROL_API_TOKEN,
    });
    app = await runService(AppModule, { handleSignals: false });
    baseUrl = `http://127.0.0.1:${listeningPort(app)}`;
    bus = await Bus.connect({ servers: natsUrl, name: 'mapping-test', namespace });
  });

  afterAll(async () => {
    await app?.close();
    const pg = new Client({ connectionString: databaseUrl });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg.end();
    if (bus) {
      const prefix = `${namespace.toUpperCase()}_`;
      for await (const name of bus.jsm.streams.names()) {
        if (name.startsWith(prefix)) await bus.jsm.streams.delete(name);
      }
      await bus.close();
    }
  });

  return {
    get bus() {
      if (!bus) throw new Error('the app starts in beforeAll');
      return bus;
    },
    get baseUrl() {
      return baseUrl;
    },
    schema,
    async query(sql, params = []) {
      const pg = new Client({ connectionString: databaseUrl });
      await pg.connect();
      try {
        return (await pg.query(sql.replaceAll('{schema}', `"${schema}"`), params)).rows;
      } finally {
        await pg.end();
      }
    },
    async api(method, path, body, token = CONTROL_API_TOKEN) {
      const headers: Record<string, string> = {};
      if (token !== null) headers['authorization'] = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}
