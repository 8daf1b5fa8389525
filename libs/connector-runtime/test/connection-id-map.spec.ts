import { IdMap } from '@junction/connector-kit';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionIdMap, MissingDependencyError } from '../src';
import { WritesInProgress } from '../src/writes-in-progress';
import { Harness } from './support/harness';

const harness = new Harness();

beforeAll(() => harness.open());
afterAll(() => harness.close());

describe('ConnectionIdMap', () => {
  it("sees only its own connection's mappings", async () => {
    const idMap = new IdMap(harness.dataSource);
    const acme = new ConnectionIdMap(idMap, 'conn-acme');
    const other = new ConnectionIdMap(idMap, 'conn-other');

    await acme.record({ entityType: 'order', sourceKey: 'shoprenter:s1:order:9001', externalId: 'mc-17' });

    expect(await acme.find('order', 'shoprenter:s1:order:9001')).toMatchObject({
      connectionId: 'conn-acme',
      externalId: 'mc-17',
      origin: 'written',
    });
    expect(await acme.findByExternalId('order', 'mc-17')).toMatchObject({ sourceKey: 'shoprenter:s1:order:9001' });
    expect(await other.find('order', 'shoprenter:s1:order:9001')).toBeUndefined();
  });

  it('refuses to require an entity type the connector does not declare its commands wait for', async () => {
    const idMap = new ConnectionIdMap(new IdMap(harness.dataSource), 'conn-acme', { waitsFor: new Set(['customer']) });

    await expect(idMap.require('product', 'zomentum:z1:item:1')).rejects.toThrow(
      "a command needs a product, which is not among the entity types the connector's commands wait for (waitsFor)",
    );
    await expect(idMap.require('customer', 'zomentum:z1:client:404')).rejects.toThrow('customer zomentum:z1:client:404 is not written yet');
  });

  it('looks the records a command needs up at once, waits for those this process is writing, and names the first one missing', async () => {
    const kit = new IdMap(harness.dataSource);
    const writes = new WritesInProgress();
    const idMap = new ConnectionIdMap(kit, 'conn-lookup', { writing: { writes, maxWaitMs: 2_000, logger: harness.logger } });
    await idMap.record({ entityType: 'customer', sourceKey: 'z:client:1', externalId: 'rs-c1' });
    await idMap.record({ entityType: 'product', sourceKey: 'z:item:1', externalId: 'rs-p1' });
    await new ConnectionIdMap(kit, 'conn-other').record({ entityType: 'contact', sourceKey: 'z:contact:1', externalId: 'rs-x' });

    const found = await idMap.lookUp(
      [
        { entityType: 'product', sourceKey: 'z:item:1' },
        { entityType: 'customer', sourceKey: 'z:client:1' },
      ],
      [
        { entityType: 'contact', sourceKey: 'z:contact:1' },
        { entityType: 'customer', sourceKey: 'z:client:1' },
      ],
    );
    expect(found.required.map((entry) => entry.externalId)).toEqual(['rs-p1', 'rs-c1']);
    expect(found.optional.map((entry) => entry?.externalId)).toEqual([undefined, 'rs-c1']);

    // The product is being written by a command of this process: the look-up waits for it rather than fail.
    const written = writes.track({ connectionId: 'conn-lookup', entityType: 'product', sourceKey: 'z:item:2' }, async () => {
      await sleep(100);
      return idMap.record({ entityType: 'product', sourceKey: 'z:item:2', externalId: 'rs-p2' });
    });
    const waited = await idMap.lookUp([
      { entityType: 'customer', sourceKey: 'z:client:1' },
      { entityType: 'product', sourceKey: 'z:item:2' },
    ]);
    await written;
    expect(waited.required.map((entry) => entry.externalId)).toEqual(['rs-c1', 'rs-p2']);

    const missing = idMap.lookUp([
      { entityType: 'customer', sourceKey: 'z:client:1' },
      { entityType: 'product', sourceKey: 'z:item:404', missing: 'product z:item:404 is not in RepairShopr yet' },
      { entityType: 'customer', sourceKey: 'z:client:404' },
    ]);
    await expect(missing).rejects.toThrow(MissingDependencyError);
    await expect(missing).rejects.toMatchObject({
      message: 'product z:item:404 is not in RepairShopr yet',
      awaited: { entityType: 'product', sourceKey: 'z:item:404' },
    });
  });

  it('reports ensure outcomes in record.written terms', async () => {
    const idMap = new ConnectionIdMap(new IdMap(harness.dataSource), 'conn-acme');
    const steps = { lookupExisting: async () => undefined, create: async () => 'rs-1' };

    expect(await idMap.ensure('customer', 'zomentum:z1:client:1', steps)).toEqual({ externalId: 'rs-1', outcome: 'created' });
    expect(await idMap.ensure('customer', 'zomentum:z1:client:1', steps)).toEqual({ externalId: 'rs-1', outcome: 'unchanged' });
    const found = { lookupExisting: async () => 'rs-2', create: async () => 'never' };
    expect(await idMap.ensure('customer', 'zomentum:z1:client:2', found)).toEqual({
      externalId: 'rs-2',
      outcome: 'found_existing',
    });
  });
});
