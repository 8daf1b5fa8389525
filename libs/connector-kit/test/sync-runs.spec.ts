import {
  EXPIRED_LEASE_ERROR,
  SyncRunLeaseLostError,
  SyncRuns,
  type RecordOutcomeInput,
  type StartRunInput,
  type SyncRunView,
} from '../src';
import { sleep, useServiceSchema } from './support/postgres';

const LEASE_MS = 60_000;

describe('SyncRuns', () => {
  const service = useServiceSchema();
  let runs: SyncRuns;
  let connections = 0;

  // A connection of its own per test, so single flight in one test never blocks another.
  function newRun(overrides: Partial<StartRunInput> = {}): StartRunInput {
    connections += 1;
    return {
      connectionId: `conn-${connections}`,
      stream: 'orders',
      reason: 'schedule',
      owner: 'worker-a',
      leaseMs: LEASE_MS,
      ...overrides,
    };
  }

  async function startNew(input: StartRunInput): Promise<SyncRunView> {
    const result = await runs.start(input);
    if (!result.started) throw new Error('expected the run to start');
    return result.run;
  }

  beforeAll(() => {
    runs = new SyncRuns(service.dataSource);
  });

  it('starts a running run with a lease and zeroed progress', async () => {
    const input = newRun({ integrationId: 'int-1', requestId: 'req-1' });

    const run = await startNew(input);

    expect(run).toMatchObject({
      connectionId: input.connectionId,
      stream: 'orders',
      integrationId: 'int-1',
      requestId: 'req-1',
      reason: 'schedule',
      state: 'running',
      finishedAt: null,
      leaseOwner: 'worker-a',
      progress: { done: 0, total: null },
      counts: { created: 0, updated: 0, skipped: 0, failed: 0 },
      error: null,
      revision: 1,
    });
    expect(run.leaseExpiresAt.getTime() - run.startedAt.getTime()).toBe(LEASE_MS);
    expect(await runs.get(run.id)).toEqual(run);
  });

  it('refuses a second run of the same connection and stream while one runs', async () => {
    const input = newRun();
    const first = await startNew(input);

    const second = await runs.start({ ...input, owner: 'worker-b' });
    const otherStream = await runs.start({ ...input, stream: 'customers' });

    expect(second).toEqual({ started: false, sameRequest: false, activeRun: first });
    expect(otherStream.started).toBe(true);
  });

  it('starts exactly one of several concurrent starts', async () => {
    const input = newRun();

    const results = await Promise.all(
      ['w1', 'w2', 'w3', 'w4', 'w5'].map((owner) => runs.start({ ...input, owner })),
    );

    const started = results.flatMap((result) => (result.started ? [result.run] : []));
    expect(started).toHaveLength(1);
    for (const result of results) {
      if (!result.started) expect(result).toMatchObject({ sameRequest: false, activeRun: { id: started[0].id } });
    }
  });

  it('takes over a run whose lease expired and fails the old one', async () => {
    const input = newRun();
    const crashed = await startNew({ ...input, leaseMs: 50 });
    await sleep(100);

    const result = await runs.start({ ...input, owner: 'worker-b' });

    if (!result.started) throw new Error('expected a takeover');
    expect(result.run.id).not.toBe(crashed.id);
    expect(result.expiredRun).toMatchObject({ id: crashed.id, state: 'failed', error: EXPIRED_LEASE_ERROR });
    expect(await runs.get(crashed.id)).toMatchObject({
      state: 'failed',
      error: 'worker stopped before the run finished (lease expired)',
      revision: 2,
    });
    // The old worker finds out at its next heartbeat or update, and must stop.
    await expect(runs.heartbeat(crashed.id, 'worker-a', LEASE_MS)).rejects.toThrow(SyncRunLeaseLostError);
    await expect(runs.progress(crashed.id, { done: 1 })).rejects.toThrow(SyncRunLeaseLostError);
    await expect(runs.finish(crashed.id, { state: 'succeeded' })).rejects.toThrow(SyncRunLeaseLostError);
  });

  it('extends the lease for its owner only', async () => {
    const run = await startNew(newRun({ leaseMs: 1000 }));

    const renewed = await runs.heartbeat(run.id, 'worker-a', LEASE_MS);

    expect(renewed.leaseExpiresAt.getTime()).toBeGreaterThan(run.leaseExpiresAt.getTime());
    expect(renewed.revision).toBe(run.revision);
    await expect(runs.heartbeat(run.id, 'worker-b', LEASE_MS)).rejects.toThrow(SyncRunLeaseLostError);
    await expect(runs.heartbeat(run.id, 'worker-a', 0)).rejects.toThrow(RangeError);
  });

  it('returns the run a redelivered request already started, even after it finished', async () => {
    const input = newRun({ requestId: 'req-redelivered' });
    const run = await startNew(input);

    const redelivered = await runs.start(input);
    await runs.finish(run.id, { state: 'succeeded' });
    const redeliveredLater = await runs.start(input);

    expect(redelivered).toEqual({ started: false, sameRequest: true, run });
    expect(redeliveredLater).toMatchObject({
      started: false,
      sameRequest: true,
      run: { id: run.id, state: 'succeeded' },
    });
    // A new request starts a new run; the same request id may start another stream of the connection.
    expect((await runs.start({ ...input, requestId: 'req-next' })).started).toBe(true);
    expect((await runs.start({ ...input, stream: 'customers' })).started).toBe(true);
  });

  it('adds progress atomically and bumps the revision with each change', async () => {
    const run = await startNew(newRun());

    await Promise.all(Array.from({ length: 20 }, () => runs.progress(run.id, { done: 1, created: 1 })));
    const latest = await runs.progress(run.id, { total: 120, updated: 3, skipped: 2 });

    expect(latest.progress).toEqual({ done: 20, total: 120 });
    expect(latest.counts).toEqual({ created: 20, updated: 3, skipped: 2, failed: 0 });
    expect(latest.revision).toBe(22);
    await expect(runs.progress(run.id, { done: -1 })).rejects.toThrow(RangeError);
  });

  it("records a page's outcomes in one step, in order, with one revision", async () => {
    const run = await startNew(newRun());
    const page = [
      { entityType: 'order', recordKey: 'p-1', outcome: 'created' as const },
      { entityType: 'order', recordKey: 'p-2', outcome: 'created' as const },
      { entityType: 'order', recordKey: 'p-3', outcome: 'failed' as const, error: 'no currency' },
      { entityType: 'order', recordKey: 'p-4', outcome: 'skipped' as const },
    ];
    const latest = await runs.recordOutcomes(run.id, page);
    expect(latest.counts).toEqual({ created: 2, updated: 0, skipped: 1, failed: 1 });
    expect(latest.revision).toBe(2);
    expect((await runs.recordsOf(run.id)).map((record) => [record.recordKey, record.outcome, record.error])).toEqual([
      ['p-1', 'created', null],
      ['p-2', 'created', null],
      ['p-3', 'failed', 'no currency'],
      ['p-4', 'skipped', null],
    ]);
  });

  it('keeps per-record outcomes with their errors and counts them', async () => {
    const run = await startNew(newRun());

    const order = { entityType: 'order' };
    await runs.recordOutcome(run.id, { ...order, recordKey: 'o-1', outcome: 'created' });
    await runs.recordOutcome(run.id, { ...order, recordKey: 'o-2', outcome: 'failed', error: 'status 7 is not mapped' });
    await runs.recordOutcome(run.id, { ...order, recordKey: 'o-3', outcome: 'skipped', error: 'unchanged' });
    const latest = await runs.recordOutcome(run.id, { entityType: 'customer', recordKey: 'c-1', outcome: 'updated' });

    expect(latest.counts).toEqual({ created: 1, updated: 1, skipped: 1, failed: 1 });
    expect(latest.revision).toBe(5);
    const records = await runs.recordsOf(run.id);
    expect(records.map((record) => [record.recordKey, record.outcome])).toEqual([
      ['o-1', 'created'],
      ['o-2', 'failed'],
      ['o-3', 'skipped'],
      ['c-1', 'updated'],
    ]);
    expect(await runs.recordsOf(run.id, { outcome: 'failed' })).toEqual([
      {
        runId: run.id,
        entityType: 'order',
        recordKey: 'o-2',
        outcome: 'failed',
        error: 'status 7 is not mapped',
        at: expect.any(Date),
      },
    ]);
    const withoutError = { ...order, recordKey: 'o-4', outcome: 'failed' } as unknown as RecordOutcomeInput;
    await expect(runs.recordOutcome(run.id, withoutError)).rejects.toThrow(RangeError);
  });

  it('refuses outcomes for a run that is no longer running, and records none', async () => {
    const run = await startNew(newRun());
    await runs.finish(run.id, { state: 'cancelled' });

    await expect(
      runs.recordOutcome(run.id, { entityType: 'order', recordKey: 'late', outcome: 'created' }),
    ).rejects.toThrow(SyncRunLeaseLostError);
    expect(await runs.recordsOf(run.id)).toEqual([]);
  });

  it('finishes a run, after which the stream can run again', async () => {
    const input = newRun();
    const run = await startNew(input);

    const finished = await runs.finish(run.id, { state: 'failed', error: 'vendor returned 401' });
    const next = await runs.start(input);

    expect(finished).toMatchObject({ state: 'failed', error: 'vendor returned 401', revision: 2 });
    expect(finished.finishedAt).toBeInstanceOf(Date);
    expect(next.started).toBe(true);
    expect(await runs.lastFinished(input.connectionId, input.stream)).toEqual(finished);
    await expect(runs.finish(run.id, { state: 'succeeded' })).rejects.toThrow(SyncRunLeaseLostError);
    await expect(runs.finish(run.id, { state: 'running' as 'succeeded' })).rejects.toThrow(RangeError);
  });

  it('lists runs newest first, filtered and paged', async () => {
    const input = newRun();
    const started: SyncRunView[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await startNew(input);
      started.push(await runs.finish(run.id, { state: 'succeeded' }));
    }
    await startNew({ ...input, stream: 'customers' });

    const ordersOf = { connectionId: input.connectionId, stream: 'orders' };
    const page1 = await runs.list({ ...ordersOf, limit: 2 });
    const page2 = await runs.list({ ...ordersOf, limit: 2, before: page1[1].startedAt });
    const allStreams = await runs.list({ connectionId: input.connectionId, limit: 10 });

    expect(page1.map((run) => run.id)).toEqual([started[2].id, started[1].id]);
    expect(page2.map((run) => run.id)).toEqual([started[0].id]);
    expect(allStreams.map((run) => run.stream)).toEqual(['customers', 'orders', 'orders', 'orders']);
    expect(await runs.lastFinished(input.connectionId, 'orders')).toEqual(started[2]);
    expect(await runs.lastFinished(input.connectionId, 'customers')).toBeUndefined();
    await expect(runs.list({ limit: 0 })).rejects.toThrow(RangeError);
  });

  it('finds nothing for unknown or malformed run ids', async () => {
    expect(await runs.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
    expect(await runs.get('not-a-uuid')).toBeUndefined();
    expect(await runs.recordsOf('not-a-uuid')).toEqual([]);
  });

  it('tells per stream when its newest successful run started, for the lag', async () => {
    const input = newRun({ integrationId: 'int-fresh' });
    const first = await startNew(input);
    await runs.finish(first.id, { state: 'succeeded' });
    const second = await startNew({ ...input, requestId: 'again' });
    await runs.finish(second.id, { state: 'failed', error: 'vendor down' });
    const never = await startNew(newRun());

    const freshness = await runs.freshness();
    expect(freshness.find((stream) => stream.connectionId === input.connectionId)).toEqual({
      connectionId: input.connectionId,
      stream: 'orders',
      integrationId: 'int-fresh',
      lastSucceededStartedAt: first.startedAt,
      firstStartedAt: first.startedAt,
    });
    expect(freshness.find((stream) => stream.connectionId === never.connectionId)).toMatchObject({
      lastSucceededStartedAt: null,
      firstStartedAt: never.startedAt,
    });
  });
});
