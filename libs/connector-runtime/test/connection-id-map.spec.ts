import { IdMap } from '@junction/connector-kit';
import { ConnectionIdMap } from '../src';
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
