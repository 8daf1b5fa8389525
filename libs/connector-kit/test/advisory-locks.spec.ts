import type { DataSource } from 'typeorm';
import { AdvisoryLocks, openServiceDataSource } from '../src';
import { databaseUrl, dropSchema, randomSchema, sleep, useServiceSchema } from './support/postgres';

describe('AdvisoryLocks', () => {
  const service = useServiceSchema();
  let locks: AdvisoryLocks;

  beforeAll(() => {
    locks = new AdvisoryLocks(service.dataSource);
  });

  it('does not run the work while another holder has the lock, when told not to wait', async () => {
    let release!: () => void;
    let entered!: () => void;
    const holding = new Promise<void>((resolve) => (entered = resolve));
    const held = locks.withLock(
      'oauth:conn-1',
      () => {
        entered();
        return new Promise<string>((resolve) => (release = () => resolve('refreshed')));
      },
      { wait: true },
    );
    await holding;
    const work = jest.fn(async () => 'second');

    const contended = await locks.withLock('oauth:conn-1', work, { wait: false });
    const otherKey = await locks.withLock('oauth:conn-2', async () => 'other', { wait: false });
    release();

    expect(contended).toEqual({ acquired: false });
    expect(work).not.toHaveBeenCalled();
    expect(otherKey).toEqual({ acquired: true, result: 'other' });
    expect(await held).toEqual({ acquired: true, result: 'refreshed' });
    expect(await locks.withLock('oauth:conn-1', work, { wait: false })).toEqual({ acquired: true, result: 'second' });
  });

  it('makes waiters take turns', async () => {
    const events: string[] = [];
    const critical = (name: string) => async () => {
      events.push(`${name} in`);
      await sleep(50);
      events.push(`${name} out`);
    };

    await Promise.all([
      locks.withLock('turns', critical('a'), { wait: true }),
      locks.withLock('turns', critical('b'), { wait: true }),
    ]);

    expect(events).toHaveLength(4);
    expect(events[1]).toBe(`${events[0].split(' ')[0]} out`);
  });

  it('releases the lock when the work throws', async () => {
    await expect(
      locks.withLock('failing', async () => Promise.reject(new Error('token endpoint down')), { wait: true }),
    ).rejects.toThrow('token endpoint down');

    const next = await locks.withLock('failing', async () => 'free', { wait: false });
    expect(next).toEqual({ acquired: true, result: 'free' });
  });

  it('gives the work the connection that holds the lock', async () => {
    const { result } = await locks.withLock(
      'own-connection',
      async (manager) => {
        const [{ held }] = await manager.query(
          `SELECT count(*)::int AS held FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`,
        );
        return held;
      },
      { wait: true },
    );

    expect(result).toBe(1);
  });

  describe('in another schema', () => {
    const otherSchema = randomSchema();
    let other: DataSource;

    beforeAll(async () => {
      other = await openServiceDataSource({ url: databaseUrl, schema: otherSchema });
    });

    afterAll(async () => {
      await other.destroy();
      await dropSchema(otherSchema);
    });

    it('does not contend for a lock with the same key', async () => {
      const result = await locks.withLock(
        'shared-key',
        () => new AdvisoryLocks(other).withLock('shared-key', async () => 'both held', { wait: false }),
        { wait: true },
      );

      expect(result).toEqual({ acquired: true, result: { acquired: true, result: 'both held' } });
    });
  });
});
