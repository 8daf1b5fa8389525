import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplication, Type } from '@nestjs/common';
import { IdMap, Observations, openServiceDataSource } from '@junction/connector-kit';
import { ConnectionIdMap, ConnectionObservations, type CommandContext, type ConnectionInfo } from '@junction/connector-runtime';
import { createLogger } from '@junction/telemetry';
import { Bus } from '@junction/messaging';
import { startSandbox, type RunningSandbox } from '@junction/sandbox-kit';
import * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import * as zomentumSandbox from '@junction/sandbox-zomentum';
import { SecretBox } from '@junction/secrets';
import { runService } from '@junction/service-kit';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

/** A built service's exports, loaded from its dist as the laptop launcher does (services are not libraries). */
export function loadService<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(__dirname, '..', '..', '..', 'services', name, 'dist', 'index.js')) as T;
}

export function randomName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export async function query<Row = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Row[];
  } finally {
    await client.end();
  }
}

/** A connector-kit schema of its own (ID map, cursors...), dropped by the returned cleanup. */
export async function openKitSchema(): Promise<{ dataSource: DataSource; drop(): Promise<void> }> {
  const schema = randomName('e2e_');
  const dataSource = await openServiceDataSource({ url: DATABASE_URL, schema });
  return {
    dataSource,
    async drop() {
      await dataSource.destroy();
      await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
}

const silentLogger = createLogger({ service: 'e2e', level: 'silent' });

/**
 * What the runtime hands connector code for one connection (a command context is also a stream's and a test's),
 * with the ID map and observations in `dataSource`; `updateCredentials` stores into the returned object.
 */
export function connectorContext<Settings, Credentials>(
  dataSource: DataSource,
  connection: ConnectionInfo<Settings>,
  credentials: Credentials,
): CommandContext<Settings, Credentials> {
  const ctx: CommandContext<Settings, Credentials> = {
    connection,
    credentials,
    async updateCredentials(update) {
      ctx.credentials = await update(ctx.credentials);
      return ctx.credentials;
    },
    observations: new ConnectionObservations(new Observations(dataSource), connection.id),
    idMap: new ConnectionIdMap(new IdMap(dataSource), connection.id),
    logger: silentLogger,
    signal: new AbortController().signal,
  };
  return ctx;
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Removes every JetStream stream of a test namespace. */
export async function deleteNamespaceStreams(namespace: string): Promise<void> {
  const bus = await Bus.connect({ servers: NATS_URL, name: 'e2e-cleanup', namespace });
  try {
    const prefix = `${namespace.toUpperCase()}_`;
    for await (const name of bus.jsm.streams.names()) {
      if (name.startsWith(prefix)) await bus.jsm.streams.delete(name);
    }
  } finally {
    await bus.close();
  }
}

const CONTROL_API_TOKEN = 'e2e-control-token-0123456789';
const SERVICES = ['mapping', 'zomentum', 'repairshopr'] as const;

/** What the acme shop holds (the sandbox also seeds a second shop). */
export interface RepairShoprState {
  customers: repairshoprSandbox.Customer[];
  contacts: repairshoprSandbox.Contact[];
  products: repairshoprSandbox.Product[];
  estimates: repairshoprSandbox.Estimate[];
  lineItems: repairshoprSandbox.LineItem[];
}

export interface IntegrationView {
  id: string;
  kind: string;
  name: string;
  sourceConnectionId: string;
  targetConnectionId: string;
  settings: Record<string, unknown>;
}

/** Both sandboxes and the mapping, zomentum and repairshopr services in this process, driven by the control API. */
export interface Junction {
  repairshopr: RunningSandbox;
  zomentum: RunningSandbox;
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** A Zomentum -> RepairShopr integration between new connections to both sandboxes. */
  createIntegration(settings: Record<string, unknown>): Promise<IntegrationView>;
  /** Resolves once every pulled stream of the integration has finished this many runs. */
  finishedRuns(integrationId: string, streams: string[], count: number): Promise<void>;
  repairshoprState(): Promise<RepairShoprState>;
  close(): Promise<void>;
}

/**
 * Starts the sandboxes (reset with the given seed options), then the services on real Postgres and NATS in a
 * random namespace and schemas of their own, all dropped again by close().
 */
export async function startJunction(seeds: { repairshopr: object; zomentum: object }): Promise<Junction> {
  const namespace = randomName('t');
  const schemas = Object.fromEntries(SERVICES.map((name) => [name, randomName(`e2e_${name}_`)]));
  const repairshopr = await startSandbox(repairshoprSandbox.createSandbox());
  const zomentum = await startSandbox(zomentumSandbox.createSandbox());
  await repairshopr.control.reset(seeds.repairshopr as Record<string, unknown>);
  await zomentum.control.reset(seeds.zomentum as Record<string, unknown>);
  const secretKey = SecretBox.generateKey();
  for (const name of SERVICES) {
    const prefix = name.toUpperCase();
    Object.assign(process.env, {
      [`${prefix}_DATABASE_URL`]: DATABASE_URL,
      [`${prefix}_NATS_URL`]: NATS_URL,
      [`${prefix}_DB_SCHEMA`]: schemas[name],
      [`${prefix}_JUNCTION_NAMESPACE`]: namespace,
      [`${prefix}_HTTP_HOST`]: '127.0.0.1',
      [`${prefix}_HTTP_PORT`]: '0',
      [`${prefix}_LOG_LEVEL`]: 'silent',
      [`${prefix}_JUNCTION_SECRET_KEY`]: secretKey,
    });
  }
  process.env.MAPPING_CONTROL_API_TOKEN = CONTROL_API_TOKEN;
  const apps: INestApplication[] = [];
  for (const name of SERVICES) {
    const { AppModule } = loadService<{ AppModule: Type }>(name);
    apps.push(await runService(AppModule, { handleSignals: false }));
  }
  const controlUrl = `http://127.0.0.1:${apps[0].getHttpServer().address().port}`;

  async function api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${CONTROL_API_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    repairshopr,
    zomentum,
    api,
    async createIntegration(settings) {
      const source = await api<{ id: string }>('POST', '/v1/connections', {
        connector: 'zomentum',
        name: randomName('Contoso MSP '),
        settings: {
          baseUrl: zomentumSandbox.baseUrlFor(zomentum.url, 'v2'),
          refreshUrl: `${zomentumSandbox.baseUrlFor(zomentum.url, 'v1')}/oauth/access-token`,
        },
        credentials: { accessToken: zomentumSandbox.SEEDED.accessToken, refreshToken: zomentumSandbox.SEEDED.refreshToken },
      });
      const target = await api<{ id: string }>('POST', '/v1/connections', {
        connector: 'repairshopr',
        name: randomName('Acme repairs '),
        settings: { subdomain: 'acme', baseUrl: repairshoprSandbox.baseUrlFor(repairshopr.url, 'acme') },
        credentials: { apiToken: repairshoprSandbox.SEEDED.tokens.full },
      });
      return api<IntegrationView>('POST', '/v1/integrations', {
        kind: 'zomentum-repairshopr',
        name: randomName('Zomentum and RepairShopr '),
        sourceConnectionId: source.id,
        targetConnectionId: target.id,
        settings,
      });
    },
    async finishedRuns(integrationId, streams, count) {
      await waitFor(async () => {
        const { runs } = await api<{ runs: Array<{ stream: string; state: string }> }>('GET', `/v1/integrations/${integrationId}/runs`);
        const finished = (stream: string) => runs.filter((run) => run.stream === stream && run.state !== 'running').length;
        return streams.every((stream) => finished(stream) >= count);
      }, 30_000);
    },
    async repairshoprState() {
      const acme = async <T extends { account_id: number }>(collection: string) =>
        (await repairshopr.control.records<T>(collection)).filter((record) => record.account_id === 1);
      return {
        customers: await acme('customers'),
        contacts: await acme('contacts'),
        products: await acme('products'),
        estimates: await acme('estimates'),
        lineItems: await acme('line_items'),
      };
    },
    async close() {
      for (const app of apps.reverse()) await app.close();
      for (const schema of Object.values(schemas)) await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await deleteNamespaceStreams(namespace);
      await repairshopr.close();
      await zomentum.close();
    },
  };
}

/** Seeds a quote of the first client (hardware once, software yearly, a service monthly) and marks it won. */
export async function seedWonQuote(zomentum: RunningSandbox, name: string) {
  const { control } = zomentum;
  const [client] = await control.records<zomentumSandbox.ClientCompany>('client_companies');
  const contacts = (await control.records<zomentumSandbox.ClientUser>('client_users')).filter((c) => c.client_company_id === client.id);
  const items = await control.records<zomentumSandbox.Item>('items');
  const line = (item: zomentumSandbox.Item, period: zomentumSandbox.BillingPeriod, quantity: number) => {
    const price = item.pricing.find((entry) => entry.billing_period === period) ?? item.pricing[0];
    return { id: randomName('line'), item_id: item.id, name: item.name, description: null, quantity, billing_period: price.billing_period, sell_price: price.sell_price, setup_price: 0, cost_price: price.cost_price, discount: 0 };
  };
  const byCategory = (category: string) => items.find((item) => item.category?.name === category)!;
  const lines = [line(byCategory('Hardware'), 'one_time', 2), line(byCategory('Software'), 'annually', 5), line(byCategory('Service'), 'monthly', 1)];
  const { documents: [quote] } = (await control.seed({
    documents: [{ account_id: client.account_id, name, document_number: randomName('Q-'), status: 'sent', client_company_id: client.id, client_user_ids: contacts.map((c) => c.id), line_items: lines }],
  })) as unknown as { documents: zomentumSandbox.QuoteDocument[] };
  await control.update('documents', quote.id, { status: 'won' });
  return { client, contacts, lines, byCategory };
}
