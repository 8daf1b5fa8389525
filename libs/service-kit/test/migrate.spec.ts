import { randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { Client } from 'pg';
import { JunctionModule, migrateService, serviceDefinitionOf, startService } from '../src';

// The migration Job's entry point: `node dist/main.js migrate` applies a service's migrations and exits, needing only
// its database (NATS is not reachable here on purpose).

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const suffix = randomBytes(4).toString('hex');
const serviceName = `migtest${suffix}`;
const schema = `migtest_${suffix}`;
const definition = { name: serviceName };

@Module({ imports: [JunctionModule.forService(definition)] })
class MigratingModule {}

async function query<Row>(sql: string): Promise<Row[]> {
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  try {
    return (await pg.query(sql)).rows as Row[];
  } finally {
    await pg.end();
  }
}

beforeAll(() => {
  const prefix = serviceName.toUpperCase();
  Object.assign(process.env, {
    [`${prefix}_DATABASE_URL`]: databaseUrl,
    [`${prefix}_DB_SCHEMA`]: schema,
    [`${prefix}_NATS_URL`]: 'nats://127.0.0.1:1',
    [`${prefix}_LOG_LEVEL`]: 'silent',
  });
});

afterAll(() => query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));

it('finds the definition a module was built with', () => {
  expect(serviceDefinitionOf(MigratingModule)).toBe(definition);
  @Module({})
  class Bare {}
  expect(() => serviceDefinitionOf(Bare)).toThrow('does not import JunctionModule.forService');
});

it('applies the migrations without NATS, and a second run finds nothing to do', async () => {
  const applied = await migrateService(MigratingModule);
  expect(applied).toEqual(expect.arrayContaining(['ConnectorKitInitial1795478400000']));
  const tables = await query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}'`,
  );
  expect(tables.map((row) => row.table_name)).toEqual(expect.arrayContaining(['id_map', 'sync_runs', 'junction_migrations']));
  expect(await migrateService(MigratingModule)).toEqual(applied);
});

it('starts the service, or with `migrate` only migrates and returns', async () => {
  const shutdown = jest.fn(async () => undefined);
  await startService(async () => ({ AppModule: MigratingModule }), { argv: ['migrate'], telemetry: { shutdown } });
  expect(shutdown).toHaveBeenCalledTimes(1);
});
