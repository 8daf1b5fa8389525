import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { IdMap, openServiceDataSource, type CreatedRecord, type IdMapKey } from '../src';
import { databaseUrl, query, sleep, useServiceSchema } from './support/postgres';

describe('IdMap', () => {
  const service = useServiceSchema();
  let idMap: IdMap;
  let keys = 0;

  // A fresh key per test, so tests never see each other's mappings.
  function newKey(connectionId = 'conn-a'): IdMapKey {
    keys += 1;
    return { connectionId, entityType: 'customer', sourceKey: `zomentum:${keys}` };
  }

  beforeAll(() => {
    idMap = new IdMap(service.dataSource);
  });

  /** The claims left on a key: none once an ensure has finished, however it ended. */
  function claimsOf(key: IdMapKey): Promise<unknown[]> {
    return query(`SELECT * FROM "${service.schema}".id_map_claims WHERE connection_id = $1 AND entity_type = $2 AND source_key = $3`, [
      key.connectionId,
      key.entityType,
      key.sourceKey,
    ]);
  }

  it('records a mapping and finds it by source key and by external id', async () => {
    const key = newKey();

    const recorded = await idMap.record({ ...key, externalId: 'rs-100', origin: 'written', fingerprint: 'f1' });

    expect(recorded).toMatchObject({ ...key, externalId: 'rs-100', origin: 'written', fingerprint: 'f1' });
    expect(recorded.createdAt).toBeInstanceOf(Date);
    expect(await idMap.find(key.connectionId, key.entityType, key.sourceKey)).toEqual(recorded);
    expect(await idMap.findByExternalId(key.connectionId, key.entityType, 'rs-100')).toEqual(recorded);
    expect(await idMap.find('conn-other', key.entityType, key.sourceKey)).toBeUndefined();
    expect(await idMap.findByExternalId(key.connectionId, 'contact', 'rs-100')).toBeUndefined();
  });

  it('finds the mappings of several keys of any entity types in one look-up, in the order asked', async () => {
    const customer = newKey('conn-many');
    const contact = { ...newKey('conn-many'), entityType: 'contact' };
    await idMap.record({ ...customer, externalId: 'rs-c', origin: 'written' });
    await idMap.record({ ...contact, externalId: 'rs-p', origin: 'pulled' });
    await idMap.record({ ...newKey('conn-other'), sourceKey: customer.sourceKey, externalId: 'rs-other', origin: 'written' });

    const found = await idMap.findMany('conn-many', [
      { entityType: 'contact', sourceKey: contact.sourceKey },
      { entityType: 'contact', sourceKey: customer.sourceKey },
      { entityType: 'customer', sourceKey: customer.sourceKey },
      { entityType: 'customer', sourceKey: 'zomentum:absent' },
      { entityType: 'contact', sourceKey: contact.sourceKey },
    ]);

    expect(found.map((entry) => entry?.externalId)).toEqual(['rs-p', undefined, 'rs-c', undefined, 'rs-p']);
    expect(found[2]).toEqual(await idMap.find('conn-many', 'customer', customer.sourceKey));
    expect(await idMap.findMany('conn-many', [])).toEqual([]);
  });

  it('records idempotently and replaces a changed mapping', async () => {
    const key = newKey();
    const first = await idMap.record({ ...key, externalId: 'rs-1', origin: 'pulled' });

    const again = await idMap.record({ ...key, externalId: 'rs-1', origin: 'pulled' });
    await sleep(5);
    const changed = await idMap.record({ ...key, externalId: 'rs-2', origin: 'written', fingerprint: 'f2' });

    expect(again).toEqual(first);
    expect(changed).toMatchObject({ externalId: 'rs-2', origin: 'written', fingerprint: 'f2' });
    expect(changed.createdAt).toEqual(first.createdAt);
    expect(changed.updatedAt.getTime()).toBeGreaterThan(first.updatedAt.getTime());
    expect(await idMap.count(key.connectionId)).toBeGreaterThanOrEqual(1);
  });

  it('refuses an origin other than written or pulled', async () => {
    const origin = 'guessed' as 'written';

    await expect(idMap.record({ ...newKey(), externalId: 'rs-3', origin })).rejects.toThrow(/id_map_origin_check/);
  });

  it('creates a missing record once, then finds it mapped', async () => {
    const key = newKey();
    const create = jest.fn(async () => 'rs-created');
    const lookupExisting = jest.fn(async () => undefined);

    const first = await idMap.ensure(key, { lookupExisting, create });
    const second = await idMap.ensure(key, { lookupExisting, create });

    expect(first).toEqual({ externalId: 'rs-created', outcome: 'created' });
    expect(second).toEqual({ externalId: 'rs-created', outcome: 'mapped' });
    expect(create).toHaveBeenCalledTimes(1);
    expect(lookupExisting).toHaveBeenCalledTimes(1);
    expect(await idMap.find(key.connectionId, key.entityType, key.sourceKey)).toMatchObject({
      externalId: 'rs-created',
      origin: 'written',
    });
    expect(await claimsOf(key)).toEqual([]);
  });

  it('adopts the vendor record found by natural key instead of creating a duplicate', async () => {
    // As after a crash between the vendor's 201 and our record: the vendor has it, the map does not.
    const key = newKey();
    const create = jest.fn(async () => 'rs-duplicate');

    const result = await idMap.ensure(key, { lookupExisting: async () => 'rs-existing', create });

    expect(result).toEqual({ externalId: 'rs-existing', outcome: 'found_existing' });
    expect(create).not.toHaveBeenCalled();
    expect((await idMap.find(key.connectionId, key.entityType, key.sourceKey))?.externalId).toBe('rs-existing');
    expect(await claimsOf(key)).toEqual([]);
  });

  it('records nothing when the vendor create fails, so the next ensure tries again', async () => {
    const key = newKey();

    const vendorDown = async (): Promise<string> => Promise.reject(new Error('503'));
    await expect(idMap.ensure(key, { lookupExisting: async () => undefined, create: vendorDown })).rejects.toThrow('503');

    expect(await idMap.find(key.connectionId, key.entityType, key.sourceKey)).toBeUndefined();
    expect(await claimsOf(key)).toEqual([]);
    await expect(
      idMap.ensure(key, { lookupExisting: async () => undefined, create: async () => 'rs-second-try' }),
    ).resolves.toEqual({ externalId: 'rs-second-try', outcome: 'created' });
  });

  describe('ensureMany', () => {
    const scope = { connectionId: 'conn-batch', entityType: 'order' };
    const keysOf = (count: number) => Array.from({ length: count }, () => newKey(scope.connectionId).sourceKey);

    it('creates the unmapped keys in one call, maps them, and answers a refused key alone', async () => {
      const [mapped, created, found, refused] = keysOf(4);
      await idMap.record({ ...scope, sourceKey: mapped, externalId: 'rc-1', origin: 'written' });
      const refusal = new Error('status does not exist');
      const createMany = jest.fn(async (sourceKeys: string[]) => {
        expect(sourceKeys.sort()).toEqual([created, found, refused].sort());
        return new Map<string, CreatedRecord>([
          [created, { externalId: 'rc-2', outcome: 'created' }],
          [found, { externalId: 'rc-3', outcome: 'found_existing' }],
          [refused, refusal],
        ]);
      });

      const results = await idMap.ensureMany(scope, [mapped, created, found, refused, created], { createMany });

      expect(createMany).toHaveBeenCalledTimes(1);
      expect(Object.fromEntries(results)).toEqual({
        [mapped]: { externalId: 'rc-1', outcome: 'mapped' },
        [created]: { externalId: 'rc-2', outcome: 'created' },
        [found]: { externalId: 'rc-3', outcome: 'found_existing' },
        [refused]: refusal,
      });
      expect((await idMap.find(scope.connectionId, scope.entityType, found))?.externalId).toBe('rc-3');
      expect(await idMap.find(scope.connectionId, scope.entityType, refused)).toBeUndefined();
      const again = await idMap.ensureMany(scope, [created, found], { createMany });
      expect([...again.values()].map((result) => !(result instanceof Error) && result.outcome)).toEqual(['mapped', 'mapped']);
      expect(createMany).toHaveBeenCalledTimes(1);
    });

    it('records nothing when the batch create fails', async () => {
      const sourceKeys = keysOf(2);

      await expect(idMap.ensureMany(scope, sourceKeys, { createMany: async () => Promise.reject(new Error('503')) })).rejects.toThrow('503');

      expect(await idMap.find(scope.connectionId, scope.entityType, sourceKeys[0])).toBeUndefined();
      expect(await query(`SELECT * FROM "${service.schema}".id_map_claims WHERE source_key = ANY($1)`, [sourceKeys])).toEqual([]);
    });

    it('waits for a key another caller is creating instead of creating it again', async () => {
      const [contested, free] = keysOf(2);
      let land!: () => void;
      const landed = new Promise<void>((resolve) => (land = resolve));
      let creating!: () => void;
      const createStarted = new Promise<void>((resolve) => (creating = resolve));
      const single = idMap.ensure(
        { ...scope, sourceKey: contested },
        {
          lookupExisting: async () => undefined,
          create: async () => {
            creating();
            await landed;
            return 'rc-single';
          },
        },
      );
      await createStarted;
      const createMany = jest.fn(async (sourceKeys: string[]) => new Map(sourceKeys.map((key) => [key, { externalId: `rc-${key}`, outcome: 'created' as const }])));

      const batch = idMap.ensureMany(scope, [contested, free], { createMany });
      await sleep(100);
      land();
      const [, results] = await Promise.all([single, batch]);

      expect(createMany.mock.calls).toEqual([[[free]]]);
      expect(results.get(contested)).toEqual({ externalId: 'rc-single', outcome: 'mapped' });
      expect(results.get(free)).toEqual({ externalId: `rc-${free}`, outcome: 'created' });
    });
  });

  describe('concurrent ensures of one key', () => {
    let replica: DataSource;

    beforeAll(async () => {
      replica = await openServiceDataSource({ url: databaseUrl, schema: service.schema });
    });

    afterAll(async () => {
      await replica.destroy();
    });

    it('call create once, in one process or across replicas', async () => {
      const key = newKey();
      let vendorRecords = 0;
      const steps = {
        // The vendor is slow and knows nothing by natural key until the create lands.
        lookupExisting: async () => (vendorRecords > 0 ? 'rs-concurrent' : undefined),
        create: async () => {
          await sleep(100);
          vendorRecords += 1;
          return 'rs-concurrent';
        },
      };
      const create = jest.spyOn(steps, 'create');

      const results = await Promise.all([
        idMap.ensure(key, steps),
        idMap.ensure(key, steps),
        new IdMap(replica).ensure(key, steps),
      ]);

      expect(create).toHaveBeenCalledTimes(1);
      expect(results.map((result) => result.externalId)).toEqual(['rs-concurrent', 'rs-concurrent', 'rs-concurrent']);
      expect(results.map((result) => result.outcome).sort()).toEqual(['created', 'mapped', 'mapped']);
    });

    it('never create twice when the database cuts the connections of a caller whose create is in flight', async () => {
      // As in a Postgres restart or failover, for the first caller's DataSource only.
      const application = `id_map_holder_${randomBytes(4).toString('hex')}`;
      const url = new URL(databaseUrl);
      url.searchParams.set('application_name', application);
      const holder = await openServiceDataSource({ url: url.toString(), schema: service.schema });
      try {
        const key = newKey();
        let vendorRecords = 0;
        let land!: () => void;
        const landed = new Promise<void>((resolve) => (land = resolve));
        let creating!: () => void;
        const createStarted = new Promise<void>((resolve) => (creating = resolve));
        const first = new IdMap(holder).ensure(key, {
          lookupExisting: async () => undefined,
          create: async () => {
            creating();
            await landed;
            vendorRecords += 1;
            return 'rs-first';
          },
        });
        await createStarted;
        await query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [application]);
        const secondCreate = jest.fn(async () => 'rs-second');
        const second = idMap.ensure(key, { lookupExisting: async () => (vendorRecords > 0 ? 'rs-first' : undefined), create: secondCreate });
        await sleep(300);
        land();

        const outcomes = await Promise.allSettled([first, second]);

        expect(secondCreate).not.toHaveBeenCalled();
        expect(outcomes).toEqual([
          { status: 'fulfilled', value: { externalId: 'rs-first', outcome: 'created' } },
          { status: 'fulfilled', value: { externalId: 'rs-first', outcome: 'mapped' } },
        ]);
      } finally {
        await holder.destroy();
      }
    });

    it('look a key up again once they hold its claim: it may be taken on a snapshot older than the mapping', async () => {
      const key = newKey();
      const claims = `"${service.schema}".id_map_claims`;
      const params = [key.connectionId, key.entityType, key.sourceKey];
      await query(`INSERT INTO ${claims} (connection_id, entity_type, source_key, owner, expires_at) VALUES ($1, $2, $3, 'holder', now() + interval '1 minute')`, params);
      // The holder records its mapping and ends its claim in one transaction, which commits while ensure waits for the claim.
      const holder = new Client({ connectionString: databaseUrl });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query(`INSERT INTO "${service.schema}".id_map (connection_id, entity_type, source_key, external_id, origin) VALUES ($1, $2, $3, 'rs-holder', 'written')`, params);
        await holder.query(`DELETE FROM ${claims} WHERE connection_id = $1 AND entity_type = $2 AND source_key = $3`, params);
        const create = jest.fn(async () => 'rs-duplicate');
        const ensured = idMap.ensure(key, { lookupExisting: async () => undefined, create });
        // Its statement has read the map (no mapping yet) and waits on the claim's row.
        while ((await query(`SELECT 1 FROM pg_locks WHERE NOT granted`)).length === 0) await sleep(10);
        await holder.query('COMMIT');

        expect(await ensured).toEqual({ externalId: 'rs-holder', outcome: 'mapped' });
        expect(create).not.toHaveBeenCalled();
        expect(await claimsOf(key)).toEqual([]);
      } finally {
        await holder.end();
      }
    });

    it('take over the claim of a caller that died, once it expires', async () => {
      const key = newKey();
      // A claim left by a process killed mid-create, already past its expiry.
      await query(
        `INSERT INTO "${service.schema}".id_map_claims (connection_id, entity_type, source_key, owner, expires_at)
         VALUES ($1, $2, $3, 'killed', now() - interval '1 second')`,
        [key.connectionId, key.entityType, key.sourceKey],
      );

      const result = await idMap.ensure(key, { lookupExisting: async () => 'rs-landed-before-the-kill', create: async () => 'rs-duplicate' });

      expect(result).toEqual({ externalId: 'rs-landed-before-the-kill', outcome: 'found_existing' });
      expect(await query(`SELECT * FROM "${service.schema}".id_map_claims WHERE source_key = $1`, [key.sourceKey])).toEqual([]);
    });
  });

  it('counts mappings and deletes those of one connection', async () => {
    await idMap.record({ ...newKey('conn-delete'), externalId: 'x1', origin: 'written' });
    await idMap.record({ ...newKey('conn-delete'), externalId: 'x2', origin: 'pulled' });
    await idMap.record({ ...newKey('conn-keep'), externalId: 'x3', origin: 'pulled' });
    const total = await idMap.count();

    expect(await idMap.count('conn-delete')).toBe(2);
    expect(await idMap.deleteByConnection('conn-delete')).toBe(2);
    expect(await idMap.count('conn-delete')).toBe(0);
    expect(await idMap.count('conn-keep')).toBe(1);
    expect(await idMap.count()).toBe(total - 2);
  });

  it('tells its size per connection and entity type', async () => {
    for (const [entityType, sourceKey] of [['customer', 'a'], ['customer', 'b'], ['contact', 'c']]) {
      await idMap.record({ connectionId: 'conn-sized', entityType, sourceKey, externalId: `x-${sourceKey}`, origin: 'written' });
    }
    const sizes = (await idMap.sizes()).filter((size) => size.connectionId === 'conn-sized');
    expect(sizes).toEqual([
      { connectionId: 'conn-sized', entityType: 'contact', entries: 1 },
      { connectionId: 'conn-sized', entityType: 'customer', entries: 2 },
    ]);
  });
});
