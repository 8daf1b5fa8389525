import { EXPIRED_LEASE_ERROR, type SyncRunView } from '@junction/connector-kit';
import { SyncRunUpdated } from '@junction/contracts';
import { runUpdateData } from './run-updates';

const view: SyncRunView = {
  id: '3f1c2d4e-0000-4000-8000-000000000001',
  connectionId: 'c-1',
  stream: 'orders',
  integrationId: null,
  requestId: 'r-1',
  reason: 'schedule',
  state: 'running',
  startedAt: new Date('2024-09-23T18:00:00Z'),
  finishedAt: null,
  leaseOwner: 'host:1',
  leaseExpiresAt: new Date('2024-09-23T18:01:00Z'),
  progress: { done: 100, total: null },
  counts: { created: 98, updated: 0, skipped: 0, failed: 2 },
  error: null,
  revision: 7,
};

describe('runUpdateData', () => {
  it('turns a running run into a valid sync.run.updated', () => {
    const data = runUpdateData('shoprenter', view);
    expect(SyncRunUpdated.parse(data)).toEqual({
      runId: view.id,
      requestId: 'r-1',
      connector: 'shoprenter',
      connectionId: 'c-1',
      stream: 'orders',
      state: 'running',
      reason: 'schedule',
      startedAt: '2024-09-23T18:00:00.000Z',
      progress: { done: 100 },
      counts: { created: 98, updated: 0, skipped: 0, failed: 2 },
      revision: 7,
    });
  });

  it('carries the error with its code; a run failed by lease expiry says so', () => {
    const finished = { ...view, state: 'failed' as const, finishedAt: new Date('2024-09-23T18:05:00Z') };
    expect(runUpdateData('shoprenter', { ...finished, error: 'boom' }, { errorCode: 'rate_limited' }).error).toEqual({
      code: 'rate_limited',
      message: 'boom',
    });
    expect(runUpdateData('shoprenter', { ...finished, error: EXPIRED_LEASE_ERROR }).error).toEqual({
      code: 'lease_expired',
      message: EXPIRED_LEASE_ERROR,
    });
  });

  it('names the failed records it is given, and leaves the field out without any', () => {
    const failedRecords = [{ entityType: 'order', recordKey: '17', error: 'Shoprenter order does not parse: email: Required' }];
    expect(SyncRunUpdated.parse(runUpdateData('shoprenter', view, { failedRecords })).failedRecords).toEqual(failedRecords);
    expect(runUpdateData('shoprenter', view, { failedRecords: [] }).failedRecords).toBeUndefined();
  });
});
