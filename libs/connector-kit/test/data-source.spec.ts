import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { hasPendingMigrations, openServiceDataSource, POOL_IDLE_TIMEOUT_MS, schemaTable, type MigrationDefinition } from '../src';
import { databaseUrl, dropSchema, query, randomSchema } from './support/postgres';

const KIT_TABLES = [
  'connections',
  'cursors',
  'id_map',
  'id_map_claims',
  'inbox',
  'junction_migrations',
  'observations',
  'parked_commands',
  'rate_limits',
  'sync_run_records',
  'sync_runs',
];
const KIT_MIGRATIONS = [
  'ConnectorKitInitial1795478400000',
  'ObservationsAndAccountKeys1795900000000',
  'RateLimits1796000000000',
  'IdMapClaims1796100000000',
  'ParkedCommands1796300000000',
];

// Dated before the kit's migration, yet it references the kit's connections table: it only works
// because the kit's migrations run first.
class ServiceOrders1700000000000 implements MigrationInterface {
  name = 'ServiceOrders1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${schemaTable(queryRunner, 'orders')} (
        id text PRIMARY KEY,
        connection_id uuid NOT NULL REFERENCES ${schemaTable(queryRunner, 'connections')} (id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${schemaTable(queryRunner, 'orders')}`);
  }
}

class FailingMigration1800000000000 implements MigrationInterface {
  name = 'FailingMigration1800000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE ${schemaTable(queryRunner, 'half_done')} (id int)`);
    await queryRunner.query('SELECT * FROM no_such_table');
  }

  async down(): Promise<void> {
    // never applied
  }
}

describe('openServiceDataSource', () => {
  const schemas: string[] = [];
  const dataSources: DataSource[] = [];

  function newSchema(): string {
    const schema = randomSchema();
    schemas.push(schema);
    return schema;
  }

  async function open(schema: string, migrations: MigrationDefinition[] = []): Promise<DataSource> {
    const dataSource = await openServiceDataSource({ url: databaseUrl, schema, migrations });
    dataSources.push(dataSource);
    return dataSource;
  }

  async function tablesIn(schema: string): Promise<string[]> {
    const rows = await query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
      [schema],
    );
    return rows.map((row) => row.table_name);
  }

  async function appliedMigrations(schema: string): Promise<string[]> {
    const rows = await query<{ name: string }>(`SELECT name FROM "${schema}".junction_migrations ORDER BY id`);
    return rows.map((row) => row.name);
  }

  afterAll(async () => {
    const initialized = dataSources.filter((dataSource) => dataSource.isInitialized);
    await Promise.all(initialized.map((dataSource) => dataSource.destroy()));
    for (const schema of schemas) await dropSchema(schema);
  });

  it('creates the kit tables in the given schema and nowhere else', async () => {
    const schema = newSchema();
    const kitTablesInPublic = async () => (await tablesIn('public')).filter((table) => KIT_TABLES.includes(table));
    const publicBefore = await kitTablesInPublic();

    const dataSource = await open(schema);

    expect(await tablesIn(schema)).toEqual(KIT_TABLES);
    expect(await kitTablesInPublic()).toEqual(publicBefore);
    expect(await appliedMigrations(schema)).toEqual(KIT_MIGRATIONS);
    const options = dataSource.options as PostgresConnectionOptions;
    expect(options).toMatchObject({ schema, synchronize: false, migrationsTableName: 'junction_migrations' });
    expect(await hasPendingMigrations(dataSource)).toBe(false);
  });

  it('keeps the kit entities identical to the tables its migrations create', async () => {
    const dataSource = await open(newSchema());

    const pending = await dataSource.driver.createSchemaBuilder().log();

    expect(pending.upQueries.map((statement) => statement.query)).toEqual([]);
  });

  it("runs the kit's migrations before the service's, whatever their timestamps", async () => {
    const schema = newSchema();

    const dataSource = await open(schema, [ServiceOrders1700000000000]);

    expect(await appliedMigrations(schema)).toEqual([...KIT_MIGRATIONS, 'ServiceOrders1700000000000']);
    expect(await tablesIn(schema)).toContain('orders');
    expect(await hasPendingMigrations(dataSource)).toBe(false);
  });

  it('opens an existing schema without running anything again', async () => {
    const schema = newSchema();
    await (await open(schema, [ServiceOrders1700000000000])).destroy();

    const reopened = await open(schema, [ServiceOrders1700000000000]);

    expect(await appliedMigrations(schema)).toEqual([...KIT_MIGRATIONS, 'ServiceOrders1700000000000']);
    expect(await hasPendingMigrations(reopened)).toBe(false);
  });

  it('lets several replicas start on a new schema at the same time', async () => {
    const schema = newSchema();

    const replicas = await Promise.all([1, 2, 3].map(() => open(schema, [ServiceOrders1700000000000])));

    expect(replicas.every((replica) => replica.isInitialized)).toBe(true);
    expect(await appliedMigrations(schema)).toEqual([...KIT_MIGRATIONS, 'ServiceOrders1700000000000']);
    expect(await tablesIn(schema)).toEqual([...KIT_TABLES, 'orders'].sort());
  });

  it('reports migrations that have not run, for readiness checks', async () => {
    const schema = newSchema();
    const dataSource = await open(schema, [ServiceOrders1700000000000]);

    await query(`DELETE FROM "${schema}".junction_migrations WHERE name = 'ServiceOrders1700000000000'`);

    expect(await hasPendingMigrations(dataSource)).toBe(true);
  });

  it('rolls back a failing service migration and releases the lock', async () => {
    const schema = newSchema();
    // TypeORM prints failed migrations with console.log whatever the logging option says.
    const typeormLog = jest.spyOn(console, 'log').mockImplementation(() => undefined);

    await expect(open(schema, [ServiceOrders1700000000000, FailingMigration1800000000000])).rejects.toThrow(
      /no_such_table/,
    );
    typeormLog.mockRestore();

    expect(await appliedMigrations(schema)).toEqual([...KIT_MIGRATIONS, 'ServiceOrders1700000000000']);
    expect(await tablesIn(schema)).not.toContain('half_done');
    // The migrations lock was released: the next start gets through.
    const retried = await open(schema, [ServiceOrders1700000000000]);
    expect(await hasPendingMigrations(retried)).toBe(false);
  });

  /** The statements prepared on the connection of a transaction that ran a lookup twice. */
  async function preparedAfterTwoLookups(dataSource: DataSource, schema: string) {
    const lookup = `SELECT external_id FROM "${schema}".id_map WHERE connection_id = $1 AND source_key = $2`;
    return dataSource.transaction(async (manager) => {
      for (let i = 0; i < 2; i++) expect(await manager.query(lookup, ['c-1', `k-${i}`])).toEqual([]);
      const rows: Array<{ name: string; statement: string }> = await manager.query('SELECT name, statement FROM pg_prepared_statements');
      return rows;
    });
  }

  it('prepares statements with parameters once per connection; BEGIN and COMMIT stay simple queries', async () => {
    const schema = newSchema();
    const dataSource = await open(schema);

    const prepared = await preparedAfterTwoLookups(dataSource, schema);

    const lookups = prepared.filter(({ statement }) => statement.includes('id_map'));
    expect(lookups).toEqual([{ name: expect.stringMatching(/^select_id_map_\d+$/), statement: expect.stringContaining('SELECT external_id') }]);
    expect(prepared.filter(({ statement }) => /^(START TRANSACTION|BEGIN|COMMIT)/.test(statement))).toEqual([]);
  });

  it('prepares nothing when told not to (a pooler in transaction mode)', async () => {
    const schema = newSchema();
    const dataSource = await openServiceDataSource({ url: databaseUrl, schema, preparedStatements: false });
    dataSources.push(dataSource);

    expect(await preparedAfterTwoLookups(dataSource, schema)).toEqual([]);
  });

  it('keeps idle connections open for five minutes, with or without prepared statements', async () => {
    for (const preparedStatements of [true, false]) {
      const dataSource = await openServiceDataSource({ url: databaseUrl, schema: newSchema(), preparedStatements });
      dataSources.push(dataSource);
      const pool = (dataSource.driver as unknown as { master: { options: { idleTimeoutMillis: number } } }).master;
      expect(pool.options.idleTimeoutMillis).toBe(POOL_IDLE_TIMEOUT_MS);
    }
    expect(POOL_IDLE_TIMEOUT_MS).toBe(300_000);
  });

  it.each(['Junction', 'has-dash', '1digit', 'pg_reserved', '', 'x'.repeat(64), 'a"b'])(
    'refuses the schema name %j before connecting',
    async (schema) => {
      await expect(openServiceDataSource({ url: 'postgres://nobody@127.0.0.1:1/none', schema })).rejects.toThrow(
        /invalid schema name/,
      );
    },
  );
});
