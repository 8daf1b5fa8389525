import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { SyncRuns } from '@junction/connector-kit';
import { SecretBox } from '@junction/secrets';
import { JunctionModule, runService } from '@junction/service-kit';
import { DataSource } from 'typeorm';
import { ConnectorModule, connectorServiceDefinition, ConnectorRuntime } from '../src';
import { FakeVendor } from './support/fake-vendor';
import { DATABASE_URL, Harness, NATS_URL, waitFor } from './support/harness';
import { testConnector } from './support/test-connector';

// The harness provides the namespace, schema and cleanup; the service opens its own DataSource and Bus on them.
const harness = new Harness();
const vendor = new FakeVendor('tok-good-a1b2c3d4');
const connector = testConnector(vendor);

@Module({
  imports: [JunctionModule.forService(connectorServiceDefinition(connector)), ConnectorModule.forConnector(connector)],
})
class RepairShoprServiceModule {}

const ENV = {
  REPAIRSHOPR_DATABASE_URL: DATABASE_URL,
  REPAIRSHOPR_NATS_URL: NATS_URL,
  REPAIRSHOPR_DB_SCHEMA: harness.schema,
  REPAIRSHOPR_JUNCTION_NAMESPACE: harness.namespace,
  REPAIRSHOPR_HTTP_PORT: '0',
  REPAIRSHOPR_HTTP_HOST: '127.0.0.1',
  REPAIRSHOPR_LOG_LEVEL: 'silent',
  REPAIRSHOPR_JUNCTION_SECRET_KEY: SecretBox.generateKey(),
  REPAIRSHOPR_SYNC_LEASE_MS: '5000',
};

describe('a connector service built with ConnectorModule', () => {
  let app: INestApplication;

  beforeAll(async () => {
    await harness.open();
    Object.assign(process.env, ENV);
    app = await runService(RepairShoprServiceModule, { handleSignals: false });
  });

  afterAll(async () => {
    for (const key of Object.keys(ENV)) delete process.env[key];
    await harness.close();
  });

  it('serves connections and syncs, and stops its runs before the bus and database close', async () => {
    vendor.seed(4);
    const connectionId = await harness.createConnection('repairshopr', { apiToken: vendor.token });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    vendor.beforePage = (afterId) => (afterId === 2 ? held : Promise.resolve());

    await harness.requestSync(connectionId, 'customers');
    await waitFor(() => vendor.pageReads.includes(2));
    expect(app.get(ConnectorRuntime).activeRuns).toBe(1);
    const dataSource = app.get(DataSource);
    await app.close();
    release();

    expect(dataSource.isInitialized).toBe(false);
    const [run] = await new SyncRuns(harness.dataSource).list({ connectionId, limit: 1 });
    // Stopped at the page boundary: page 1 is counted, and the run waits for its lease to expire.
    expect(run).toMatchObject({ state: 'running', progress: { done: 2 } });
    expect(await harness.stored('EVENTS', 'customer.created')).toHaveLength(2);
  });
});
