import { messageId } from '@junction/contracts';
import { FakeConnector } from './support/fake-connector';
import { useMappingApp } from './support/mapping-app';
import { waitFor } from './support/stream-reader';

// "Why did this record fail?": a write a target connector gave up on shows on the run whose records led to it, with
// the vendor's reason, until a replay of the command succeeds.

describe('record failures on the runs screen', () => {
  const app = useMappingApp();
  const zomentum = new FakeConnector('zomentum');
  const repairshopr = new FakeConnector('repairshopr');
  const request = messageId('sync', 'req-7', 'zomentum', 'documents');
  const commandId = messageId('zomentum:zm-1:documents:D-1:won', 'integration', 'estimate.create', 'monthly');

  beforeAll(() => {
    zomentum.start(app.bus).add('zm-1');
    repairshopr.start(app.bus).add('rs-1');
  });

  afterAll(async () => {
    await zomentum.stop();
    await repairshopr.stop();
  });

  function outcome(subject: 'record.failed' | 'record.written', id: string, integrationId: string, data: object) {
    return {
      id,
      type: subject,
      version: 1,
      source: { connector: 'repairshopr', connectionId: 'rs-1' },
      integrationId,
      causationId: commandId,
      correlationId: request,
      occurredAt: '2024-09-23T13:05:00Z',
      data: {
        commandId,
        connector: 'repairshopr',
        connectionId: 'rs-1',
        entityType: 'estimate',
        sourceKey: 'zomentum:zm-1:deal:D-1:monthly',
        ...data,
      },
    };
  }

  it('shows the failure on its run and on the integration, and forgets it once a replay is written', async () => {
    const integration = (
      await app.api('POST', '/v1/integrations', {
        kind: 'zomentum-repairshopr',
        name: 'Acme MSP',
        sourceConnectionId: 'zm-1',
        targetConnectionId: 'rs-1',
      })
    ).body;
    await app.bus.publish('sync.run.updated', {
      id: messageId('run', 'run-7', 1),
      type: 'sync.run.updated',
      version: 1,
      source: { connector: 'zomentum', connectionId: 'zm-1' },
      causationId: request,
      correlationId: request,
      occurredAt: '2024-09-23T13:00:00Z',
      data: {
        runId: 'run-7',
        connector: 'zomentum',
        connectionId: 'zm-1',
        stream: 'documents',
        state: 'succeeded',
        startedAt: '2024-09-23T13:00:00Z',
        finishedAt: '2024-09-23T13:01:00Z',
        progress: { done: 1, total: 1 },
        counts: { created: 1, updated: 0, skipped: 0, failed: 0 },
        revision: 2,
      },
    });
    const reason = 'RepairShopr refused the request (401): the API token lacks the permission Estimates - Create';
    await app.bus.publish(
      'record.failed',
      outcome('record.failed', messageId(commandId, 'failed', 1), integration.id, {
        error: { code: 'credentials_rejected', message: reason, retryable: false },
      }),
    );

    const runs = await waitFor(async () => {
      const body = (await app.api('GET', `/v1/integrations/${integration.id}/runs`)).body;
      return body.runs.length === 1 && body.failures.length === 1 ? body : undefined;
    });
    const failure = {
      connector: 'repairshopr',
      entityType: 'estimate',
      sourceKey: 'zomentum:zm-1:deal:D-1:monthly',
      error: { code: 'credentials_rejected', message: reason },
      failedAt: { iso: '2024-09-23T13:05:00.000Z', display: '23-09-2024 13:05' },
      commandId,
    };
    expect(runs.runs[0].failures).toEqual([failure]);
    expect(runs.failures).toEqual([failure]);

    // The token got the permission and the dead letter was replayed: the estimate is written.
    await app.bus.publish(
      'record.written',
      outcome('record.written', messageId(commandId, 'written'), integration.id, { externalId: '501', outcome: 'created' }),
    );
    await waitFor(async () => {
      const body = (await app.api('GET', `/v1/integrations/${integration.id}/runs`)).body;
      return body.failures.length === 0 && body.runs[0].failures.length === 0;
    });
  });

  it('shows the records a run read but could not sync, as its updates name them', async () => {
    zomentum.add('zm-2');
    repairshopr.add('rs-2');
    const integration = (
      await app.api('POST', '/v1/integrations', {
        kind: 'zomentum-repairshopr',
        name: 'Contoso MSP',
        sourceConnectionId: 'zm-2',
        targetConnectionId: 'rs-2',
      })
    ).body;
    const unreadable = { entityType: 'document', recordKey: 'D-9', error: 'Zomentum document does not parse: items.0.quantity: Required' };
    const runUpdate = (revision: number, state: 'running' | 'failed', failedRecords?: object[]) =>
      app.bus.publish('sync.run.updated', {
        id: messageId('run', 'run-8', revision),
        type: 'sync.run.updated',
        version: 1,
        source: { connector: 'zomentum', connectionId: 'zm-2' },
        occurredAt: '2024-09-23T14:00:00Z',
        data: {
          runId: 'run-8',
          connector: 'zomentum',
          connectionId: 'zm-2',
          stream: 'documents',
          state,
          startedAt: '2024-09-23T14:00:00Z',
          progress: { done: 3 },
          counts: { created: 2, updated: 0, skipped: 0, failed: 1 },
          ...(state === 'failed' ? { error: { code: 'lease_expired', message: 'worker stopped' } } : {}),
          ...(failedRecords ? { failedRecords } : {}),
          revision,
        },
      });
    const failedRecordsShown = async () => {
      const [run] = (await app.api('GET', `/v1/integrations/${integration.id}/runs`)).body.runs;
      return run?.failedRecords;
    };

    await runUpdate(2, 'running', [unreadable]);
    const shown = await waitFor(async () => {
      const records = await failedRecordsShown();
      return records?.length ? records : undefined;
    });
    expect(shown).toEqual([unreadable]);
    // A lease expiry names no records: the ones the runner named stay.
    await runUpdate(3, 'failed');
    await waitFor(async () => (await app.api('GET', `/v1/integrations/${integration.id}/runs`)).body.runs[0].state === 'failed');
    expect(await failedRecordsShown()).toEqual([unreadable]);
  });
});
