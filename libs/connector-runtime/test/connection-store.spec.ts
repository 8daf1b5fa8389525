import { AdvisoryLocks, Connections, Cursors, IdMap, Observations } from '@junction/connector-kit';
import { z } from 'zod';
import { defineConnector } from '../src';
import { ConnectionStore } from '../src/connection-store';
import { Harness, sleep } from './support/harness';

// Commands load their connection through loadRecent: from memory for a while, so a replica's own changes must show
// at once and another replica's within the window.

const harness = new Harness();
const RECENT_MS = 300;

const definition = defineConnector({
  name: 'repairshopr',
  settingsSchema: z.object({ subdomain: z.string() }),
  credentialsSchema: z.object({ apiToken: z.string() }),
  testConnection: async () => ({ ok: true, message: 'ok' }),
  streams: {},
  commands: {},
});

/** One replica's store over the harness's schema. */
function replica(): ConnectionStore<{ subdomain: string }, { apiToken: string }> {
  const dataSource = harness.dataSource;
  return new ConnectionStore(
    definition,
    new Connections(dataSource, harness.cipher),
    new IdMap(dataSource),
    new Cursors(dataSource),
    new Observations(dataSource),
    new AdvisoryLocks(dataSource),
    RECENT_MS,
  );
}

beforeAll(() => harness.open());
afterAll(() => harness.close());

it('answers from memory, applies its own changes at once and another replica’s after the window', async () => {
  const [mine, other] = [replica(), replica()];
  const created = await mine.upsert({ name: 'Acme', settings: { subdomain: 'acme' }, credentials: { apiToken: 'tok-1' } });
  const id = created!.id;

  const first = await mine.loadRecent(id);
  expect(first?.credentials).toEqual({ apiToken: 'tok-1' });
  expect(await mine.loadRecent(id)).toBe(first);

  await mine.upsert({ connectionId: id, name: 'Acme', settings: { subdomain: 'acme' }, credentials: { apiToken: 'tok-2' } });
  expect((await mine.loadRecent(id))?.credentials).toEqual({ apiToken: 'tok-2' });

  await other.upsert({ connectionId: id, name: 'Acme', settings: { subdomain: 'acme-eu' }, credentials: { apiToken: 'tok-3' } });
  expect((await mine.loadRecent(id))?.credentials).toEqual({ apiToken: 'tok-2' });
  await sleep(RECENT_MS + 50);
  const reloaded = await mine.loadRecent(id);
  expect(reloaded?.credentials).toEqual({ apiToken: 'tok-3' });
  expect(reloaded?.info.settings).toEqual({ subdomain: 'acme-eu' });

  await mine.updateCredentials(id, async () => ({ apiToken: 'tok-4' }));
  expect((await mine.loadRecent(id))?.credentials).toEqual({ apiToken: 'tok-4' });

  await mine.delete(id);
  expect(await mine.loadRecent(id)).toBeUndefined();
});

it('reads again after a failed load instead of remembering the failure', async () => {
  const store = replica();
  const id = (await store.upsert({ name: 'Acme', settings: { subdomain: 'acme' }, credentials: { apiToken: 'tok-1' } }))!.id;
  // Stored settings that no longer match the schema fail the load, until the connection is saved again.
  await harness.dataSource.query(`UPDATE "${harness.schema}".connections SET settings = '{}' WHERE id = $1`, [id]);
  await expect(store.loadRecent(id)).rejects.toThrow(/no longer match/);
  await harness.dataSource.query(`UPDATE "${harness.schema}".connections SET settings = '{"subdomain":"acme"}' WHERE id = $1`, [id]);
  expect((await store.loadRecent(id))?.info.settings).toEqual({ subdomain: 'acme' });
});
