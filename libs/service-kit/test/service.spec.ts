import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { Bus } from '@junction/messaging';
import { Client } from 'pg';
import { JunctionModule, listeningPort, runService } from '../src';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const suffix = randomBytes(4).toString('hex');
const serviceName = `kittest${suffix}`;
const schema = `kittest_${suffix}`;
const namespace = `t${suffix}`;

@Module({ imports: [JunctionModule.forService({ name: serviceName })] })
class TestServiceModule {}

describe('a service built on JunctionModule', () => {
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    const prefix = serviceName.toUpperCase();
    Object.assign(process.env, {
      [`${prefix}_DATABASE_URL`]: databaseUrl,
      [`${prefix}_NATS_URL`]: natsUrl,
      [`${prefix}_DB_SCHEMA`]: schema,
      [`${prefix}_JUNCTION_NAMESPACE`]: namespace,
      [`${prefix}_HTTP_PORT`]: '0',
      [`${prefix}_HTTP_HOST`]: '127.0.0.1',
      [`${prefix}_LOG_LEVEL`]: 'silent',
    });
    app = await runService(TestServiceModule, { handleSignals: false });
    baseUrl = `http://127.0.0.1:${listeningPort(app)}`;
  });

  afterAll(async () => {
    const pg = new Client({ connectionString: databaseUrl });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg.end();
    const bus = await Bus.connect({ servers: natsUrl, name: 'kit-cleanup', namespace });
    for await (const stream of bus.jsm.streams.list()) {
      if (stream.config.name.startsWith(`${namespace.toUpperCase()}_`)) await bus.jsm.streams.delete(stream.config.name);
    }
    await bus.close();
  });

  it('answers liveness', async () => {
    const response = await fetch(`${baseUrl}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready once NATS, Postgres and its migrations are in place', async () => {
    const response = await fetch(`${baseUrl}/health/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { shutdown: 'ok', nats: 'ok', postgres: 'ok', migrations: 'ok' },
    });
  });

  it('migrated its own schema and declared the Junction streams', async () => {
    const pg = new Client({ connectionString: databaseUrl });
    await pg.connect();
    const tables = await pg.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
    await pg.end();
    expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(['id_map', 'cursors', 'inbox']));
    const bus = app.get(Bus);
    const info = await bus.jsm.streams.info(`${namespace.toUpperCase()}_EVENTS`);
    expect(info.config.subjects).toContain(`${namespace}.deal.>`);
  });

  it('reports not ready when NATS is gone, then shuts down cleanly', async () => {
    const bus = app.get(Bus);
    await bus.nc.close();
    const response = await fetch(`${baseUrl}/health/ready`);
    expect(response.status).toBe(503);
    expect(JSON.stringify(await response.json())).toContain('connection closed');
    await app.close();
  });
});
