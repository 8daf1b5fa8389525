import { Cursors } from '../src';
import { useServiceSchema } from './support/postgres';

describe('Cursors', () => {
  const service = useServiceSchema();
  let cursors: Cursors;

  beforeAll(() => {
    cursors = new Cursors(service.dataSource);
  });

  it('has no cursor before the first batch is committed', async () => {
    expect(await cursors.get('conn-new', 'orders')).toBeUndefined();
  });

  it('keeps one value per connection and stream, replacing it on set', async () => {
    await cursors.set('conn-1', 'orders', { updatedAt: '2026-11-01T00:00:00Z', seenIds: ['a'] });
    await cursors.set('conn-1', 'orders', { updatedAt: '2026-11-02T00:00:00Z', seenIds: ['b', 'c'] });
    await cursors.set('conn-1', 'customers', { sinceId: 7 });
    await cursors.set('conn-2', 'orders', { sinceId: 9 });

    expect(await cursors.get('conn-1', 'orders')).toEqual({ updatedAt: '2026-11-02T00:00:00Z', seenIds: ['b', 'c'] });
    expect(await cursors.get('conn-1', 'customers')).toEqual({ sinceId: 7 });
    expect(await cursors.get('conn-2', 'orders')).toEqual({ sinceId: 9 });
  });

  it.each([[['page', 3]], ['2026-11-24T07:00:00Z'], [42], [null]])('stores %j as JSON', async (value) => {
    await cursors.set('conn-json', 'stream', value);

    expect(await cursors.get('conn-json', 'stream')).toEqual(value);
  });

  it('refuses undefined, which cannot be stored', async () => {
    await expect(cursors.set('conn-1', 'orders', undefined)).rejects.toThrow(TypeError);
  });

  it('moves with the transaction it joins, and not when that transaction rolls back', async () => {
    await cursors.set('conn-tx', 'orders', { page: 1 });

    await expect(
      service.dataSource.transaction(async (manager) => {
        await cursors.set('conn-tx', 'orders', { page: 2 }, manager);
        throw new Error('publish failed');
      }),
    ).rejects.toThrow('publish failed');
    expect(await cursors.get('conn-tx', 'orders')).toEqual({ page: 1 });

    await service.dataSource.transaction((manager) => cursors.set('conn-tx', 'orders', { page: 3 }, manager));
    expect(await cursors.get('conn-tx', 'orders')).toEqual({ page: 3 });
  });

  it('resets one stream for a full resync', async () => {
    await cursors.set('conn-reset', 'orders', { page: 5 });
    await cursors.set('conn-reset', 'customers', { page: 6 });

    expect(await cursors.reset('conn-reset', 'orders')).toBe(true);
    expect(await cursors.reset('conn-reset', 'orders')).toBe(false);
    expect(await cursors.get('conn-reset', 'orders')).toBeUndefined();
    expect(await cursors.get('conn-reset', 'customers')).toEqual({ page: 6 });
  });
});
