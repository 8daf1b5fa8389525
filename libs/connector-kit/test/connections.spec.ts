import { ConnectionNotFoundError, Connections } from '../src';
import { AesGcmCipher } from './support/aes-gcm-cipher';
import { useServiceSchema } from './support/postgres';

const SECRET = 'sk_live_5f2b8c1d9e';

describe('Connections', () => {
  const service = useServiceSchema();
  let connections: Connections;

  async function sealedColumn(id: string): Promise<string | null> {
    const [row] = await service.dataSource.query(
      `SELECT sealed_credentials FROM "${service.schema}".connections WHERE id = $1`,
      [id],
    );
    return row.sealed_credentials;
  }

  beforeAll(() => {
    connections = new Connections(service.dataSource, new AesGcmCipher());
  });

  it('stores credentials sealed and gives them back only through credentials()', async () => {
    const created = await connections.create({
      connector: 'repairshopr',
      name: 'Acme',
      settings: { subdomain: 'acme' },
      credentials: { apiKey: SECRET },
    });

    expect(created).toEqual({
      id: expect.any(String),
      connector: 'repairshopr',
      name: 'Acme',
      settings: { subdomain: 'acme' },
      hasCredentials: true,
      createdAt: expect.any(Date),
      updatedAt: expect.any(Date),
    });
    expect(JSON.stringify(await connections.get(created.id))).not.toContain(SECRET);
    const sealed = await sealedColumn(created.id);
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(SECRET);
    expect(Buffer.from(sealed ?? '', 'base64').toString('latin1')).not.toContain(SECRET);
    expect(await connections.credentials(created.id)).toEqual({ apiKey: SECRET });
  });

  it('refuses credentials sealed for another connection', async () => {
    const victim = await connections.create({ connector: 'zomentum', name: 'A', settings: {}, credentials: { t: 'a' } });
    const other = await connections.create({ connector: 'zomentum', name: 'B', settings: {}, credentials: { t: 'b' } });

    await service.dataSource.query(
      `UPDATE "${service.schema}".connections SET sealed_credentials = $1 WHERE id = $2`,
      [await sealedColumn(victim.id), other.id],
    );

    await expect(connections.credentials(other.id)).rejects.toThrow(/could not be opened/);
    expect(await connections.credentials(victim.id)).toEqual({ t: 'a' });
  });

  it('keeps credentials on update unless new ones or null are given', async () => {
    const created = await connections.create({
      connector: 'minicrm',
      name: 'Shop',
      settings: { systemId: 1 },
      credentials: { key: 'k1' },
    });

    const renamed = await connections.update(created.id, { name: 'Shop HU', settings: { systemId: 2 } });
    expect(renamed).toMatchObject({ name: 'Shop HU', settings: { systemId: 2 }, hasCredentials: true });
    expect(await connections.credentials(created.id)).toEqual({ key: 'k1' });

    const rotated = await connections.update(created.id, { credentials: { key: 'k2' } });
    expect(rotated).toMatchObject({ name: 'Shop HU', settings: { systemId: 2 }, hasCredentials: true });
    expect(rotated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
    expect(await connections.credentials(created.id)).toEqual({ key: 'k2' });

    const cleared = await connections.update(created.id, { credentials: null });
    expect(cleared.hasCredentials).toBe(false);
    expect(await connections.credentials(created.id)).toBeUndefined();
  });

  it('creates connections without credentials', async () => {
    const created = await connections.create({ connector: 'zzap', name: 'Public', settings: {} });

    expect(created.hasCredentials).toBe(false);
    expect(await connections.credentials(created.id)).toBeUndefined();
  });

  it('lists by connector and deletes', async () => {
    const first = await connections.create({ connector: 'retailcrm', name: 'One', settings: {} });
    const second = await connections.create({ connector: 'retailcrm', name: 'Two', settings: {} });

    expect((await connections.list('retailcrm')).map((connection) => connection.id)).toEqual([first.id, second.id]);
    expect((await connections.list()).length).toBeGreaterThanOrEqual(2);
    expect(await connections.delete(first.id)).toBe(true);
    expect(await connections.delete(first.id)).toBe(false);
    expect(await connections.get(first.id)).toBeUndefined();
    expect((await connections.list('retailcrm')).map((connection) => connection.id)).toEqual([second.id]);
  });

  it('reports unknown and malformed ids', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';

    expect(await connections.get(unknown)).toBeUndefined();
    expect(await connections.get('not-a-uuid')).toBeUndefined();
    await expect(connections.update(unknown, { name: 'x' })).rejects.toThrow(ConnectionNotFoundError);
    await expect(connections.credentials('not-a-uuid')).rejects.toThrow(ConnectionNotFoundError);
    expect(await connections.delete('not-a-uuid')).toBe(false);
  });
});
