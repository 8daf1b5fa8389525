import { Client } from 'pg';
import { PostgresRateLimitStore } from '../src';
import { databaseUrl, sleep, useServiceSchema } from './support/postgres';

describe('PostgresRateLimitStore', () => {
  const service = useServiceSchema();
  const stores: PostgresRateLimitStore[] = [];

  function store(timeoutMs?: number): PostgresRateLimitStore {
    const opened = new PostgresRateLimitStore(service.dataSource, { timeoutMs });
    stores.push(opened);
    return opened;
  }

  afterAll(() => Promise.all(stores.map((opened) => opened.close())));

  it('starts a key never seen, or idle, now', async () => {
    const limits = store();
    expect(await limits.reserve('fresh', 1)).toBe(0);
    await sleep(20);
    expect(await limits.reserve('fresh', 1)).toBe(0);
  });

  it('books one span after another from two pools at once, never the same span twice', async () => {
    const [replicaA, replicaB] = [store(), store()];
    const spanMs = 10_000;
    const offsets = await Promise.all(
      Array.from({ length: 20 }, (_, n) => (n % 2 === 0 ? replicaA : replicaB).reserve('contended', spanMs)),
    );
    // Each call starts where the one before it ended; the calls took far less than a span, so each rounds to its place.
    expect(offsets.map((offset) => Math.round(offset / spanMs)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, n) => n),
    );
  });

  it('holds a key from now, and never shortens a hold', async () => {
    const limits = store();
    await limits.hold('held', 5_000);
    await limits.hold('held', 1_000);
    const offset = await limits.reserve('held', 1);
    expect(offset).toBeGreaterThan(4_000);
    expect(offset).toBeLessThanOrEqual(5_000);
  });

  it('fails a call that the database does not answer in time', async () => {
    const limits = store(300);
    await limits.reserve('locked', 1);
    const blocker = new Client({ connectionString: databaseUrl });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`SELECT 1 FROM "${service.schema}".rate_limits WHERE key = 'locked' FOR UPDATE`);
      await expect(limits.reserve('locked', 1)).rejects.toThrow(/timeout/);
    } finally {
      await blocker.end();
    }
    expect(await limits.reserve('locked', 1)).toBeGreaterThanOrEqual(0);
  });

  it('refuses calls once closed', async () => {
    const limits = store();
    await limits.close();
    await expect(limits.reserve('closed', 1)).rejects.toThrow();
  });
});
