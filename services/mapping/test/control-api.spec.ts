import { messageId } from '@junction/contracts';
import { CONTROL_API_ROUTES } from '../src/control-api';
import { FakeConnector } from './support/fake-connector';
import { CONTROL_API_TOKEN, useMappingApp } from './support/mapping-app';
import { storedMessages, waitFor } from './support/stream-reader';

describe('control API', () => {
  const app = useMappingApp();
  const fakes = {
    zomentum: new FakeConnector('zomentum'),
    repairshopr: new FakeConnector('repairshopr'),
    shoprenter: new FakeConnector('shoprenter'),
    minicrm: new FakeConnector('minicrm'),
    zzap: new FakeConnector('zzap'),
    retailcrm: new FakeConnector('retailcrm'),
  };

  beforeAll(() => {
    for (const fake of Object.values(fakes)) fake.start(app.bus);
    fakes.zomentum.add('zm-1');
    fakes.repairshopr.add('rs-1');
    fakes.shoprenter.add('sr-1');
    fakes.shoprenter.add('sr-2');
    fakes.minicrm.add('mc-1');
    fakes.zzap.add('zz-1');
    fakes.zzap.add('zz-2');
    fakes.zzap.add('zz-3');
    fakes.retailcrm.add('rc-1');
    fakes.shoprenter.orderStatuses = [
      { id: '1', name: 'Pending' },
      { id: '2', name: 'Shipped' },
    ];
    fakes.minicrm.orderStatuses = [
      { id: '3001', name: 'New order' },
      { id: '3002', name: 'Sent' },
    ];
  });

  afterAll(async () => {
    for (const fake of Object.values(fakes)) await fake.stop();
  });

  const zomentumRepairShopr = { kind: 'zomentum-repairshopr', name: 'Acme MSP', sourceConnectionId: 'zm-1', targetConnectionId: 'rs-1' };
  const shopStatusMap = { '1': { id: '3001', name: 'New order' }, '2': { id: '3002', name: 'Sent' } };
  const zzapRetailCrm = (sourceConnectionId: string, storeCode: string) => ({
    kind: 'zzap-retailcrm',
    name: `ZZap ${storeCode}`,
    sourceConnectionId,
    targetConnectionId: 'rc-1',
    settings: { storeCode, statusMap: [{ retailcrm: { id: 'new', name: 'New' }, zzap: { id: '1', name: 'Pending' } }] },
  });

  describe('authentication', () => {
    it('answers 401 without a token and with a wrong one', async () => {
      for (const token of [null, 'not-the-token']) {
        const response = await app.api('GET', '/v1/integrations', undefined, token);
        expect(response).toEqual({ status: 401, body: { error: 'unauthorized' } });
      }
      const wrongScheme = await fetch(`${app.baseUrl}/v1/integrations`, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
      expect(wrongScheme.status).toBe(401);
    });

    it('checks the token before the body, so an anonymous caller learns nothing about validation', async () => {
      expect(await app.api('POST', '/v1/integrations', { kind: 'nope' }, null)).toEqual({ status: 401, body: { error: 'unauthorized' } });
    });

    it('leaves health and the OpenAPI document open', async () => {
      expect((await fetch(`${app.baseUrl}/health/live`)).status).toBe(200);
      expect((await fetch(`${app.baseUrl}/openapi.json`)).status).toBe(200);
    });
  });

  describe('OpenAPI document', () => {
    it('describes every route, with bearer auth and its request schema', async () => {
      const { status, body: document } = await app.api('GET', '/openapi.json', undefined, null);
      expect(status).toBe(200);
      expect(document.openapi).toBe('3.1.0');
      expect(document.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
      for (const [operationId, route] of Object.entries(CONTROL_API_ROUTES)) {
        const operation = document.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method];
        expect(operation).toMatchObject({ operationId, summary: route.summary });
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining([String(route.status), '401']));
      }
      const createBody = document.paths['/v1/integrations'].post.requestBody.content['application/json'].schema;
      const kinds = createBody.anyOf.map((variant: { properties: { kind: { const: string } } }) => variant.properties.kind.const);
      expect(kinds).toEqual(['zomentum-repairshopr', 'shoprenter-minicrm', 'zzap-retailcrm']);
    });
  });

  describe('validation', () => {
    it('answers 400 naming the field of a status map that is not 1 to 1', async () => {
      const body = zzapRetailCrm('zz-1', 'parts');
      body.settings.statusMap.push({ retailcrm: { id: 'new', name: 'New' }, zzap: { id: '2', name: 'Shipped' } });
      const response = await app.api('POST', '/v1/integrations', body);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'invalid_request',
        message: 'the request is not valid',
        issues: [{ path: 'settings.statusMap', message: "status map must be 1 to 1; mapped more than once: RetailCRM status 'new'" }],
      });
    });

    it('names every bad field at once', async () => {
      const response = await app.api('POST', '/v1/integrations', {
        ...zzapRetailCrm('zz-1', 'parts'),
        name: '',
        settings: { storeCode: 'parts', syncIntervalMinutes: 7, statusCrmToZzap: 'yes' },
      });
      expect(response.status).toBe(400);
      expect(response.body.issues.map((issue: { path: string }) => issue.path)).toEqual([
        'name',
        'settings.syncIntervalMinutes',
        'settings.statusCrmToZzap',
      ]);
    });

    it('allows processing API changes only with RetailCRM -> ZZap status sync', async () => {
      const response = await app.api('POST', '/v1/integrations', {
        ...zzapRetailCrm('zz-1', 'parts'),
        settings: { storeCode: 'parts', processApiChanges: true },
      });
      expect(response.status).toBe(400);
      expect(response.body.issues).toEqual([
        { path: 'settings.processApiChanges', message: 'processing API changes is only available when statusCrmToZzap is on' },
      ]);
    });

    it('answers a body that is not JSON like any other invalid body', async () => {
      const response = await fetch(`${app.baseUrl}/v1/integrations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${CONTROL_API_TOKEN}`, 'content-type': 'application/json' },
        body: '{"kind": ',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_request', message: 'the body is not valid JSON' });
      const anonymous = await fetch(`${app.baseUrl}/v1/integrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"kind": ',
      });
      expect(anonymous.status).toBe(401);
    });

    it('names an unknown kind and a malformed id', async () => {
      const unknownKind = await app.api('POST', '/v1/integrations', { ...zomentumRepairShopr, kind: 'hubspot-excel' });
      expect(unknownKind.status).toBe(400);
      expect(unknownKind.body.issues[0].path).toBe('kind');
      const badId = await app.api('GET', '/v1/integrations/not-a-uuid');
      expect(badId.status).toBe(400);
      expect(badId.body.issues[0].path).toBe('id');
    });

    it('refuses connections the connectors do not have', async () => {
      const response = await app.api('POST', '/v1/integrations', { ...zomentumRepairShopr, targetConnectionId: 'rs-404' });
      expect(response.status).toBe(400);
      expect(response.body.issues).toEqual([{ path: 'targetConnectionId', message: "no repairshopr connection 'rs-404'" }]);
    });
  });

  describe('connections, through the connector over NATS', () => {
    it('creates, reads, lists, updates, tests and deletes a connection without ever returning credentials', async () => {
      const created = await app.api('POST', '/v1/connections', {
        connector: 'shoprenter',
        name: 'My webshop',
        settings: { apiUrl: 'https://shop.api.shoprenter.hu' },
        credentials: { username: 'api-user', password: 'hunter2' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ connector: 'shoprenter', name: 'My webshop', hasCredentials: true });
      const id = created.body.id;
      expect(fakes.shoprenter.connections.get(id)?.credentials).toEqual({ username: 'api-user', password: 'hunter2' });

      const read = await app.api('GET', `/v1/connections/shoprenter/${id}`);
      expect(read.body).toEqual(created.body);
      const listed = await app.api('GET', '/v1/connections/shoprenter');
      expect(listed.body.connections.map((connection: { id: string }) => connection.id)).toContain(id);

      const updated = await app.api('PATCH', `/v1/connections/shoprenter/${id}`, { name: 'Webshop', settings: { region: 'hu' } });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ name: 'Webshop', settings: { apiUrl: 'https://shop.api.shoprenter.hu', region: 'hu' } });
      expect(fakes.shoprenter.connections.get(id)?.credentials).toEqual({ username: 'api-user', password: 'hunter2' });

      const tested = await app.api('POST', `/v1/connections/shoprenter/${id}/test`);
      expect(tested).toEqual({
        status: 200,
        body: { ok: true, message: 'Connected', orderStatuses: fakes.shoprenter.orderStatuses },
      });

      for (const response of [created, read, listed, updated, tested]) expect(JSON.stringify(response.body)).not.toContain('hunter2');

      expect((await app.api('DELETE', `/v1/connections/shoprenter/${id}`)).status).toBe(204);
      expect(await app.api('GET', `/v1/connections/shoprenter/${id}`)).toEqual({
        status: 404,
        body: { error: 'not_found', message: `shoprenter: unknown connection ${id}` },
      });
      expect((await app.api('DELETE', `/v1/connections/shoprenter/${id}`)).status).toBe(404);
    });

    it('shows a failed test as the connector reports it', async () => {
      const created = await app.api('POST', '/v1/connections', {
        connector: 'repairshopr',
        name: 'Bad token',
        settings: { subdomain: 'acme' },
        credentials: { token: 'wrong' },
      });
      const tested = await app.api('POST', `/v1/connections/repairshopr/${created.body.id}/test`);
      expect(tested.body).toEqual({ ok: false, message: 'The vendor refused the credentials' });
    });

    it('names an unknown connector', async () => {
      const response = await app.api('GET', '/v1/connections/salesforce');
      expect(response.status).toBe(400);
      expect(response.body.issues[0].path).toBe('connector');
    });
  });

  describe('integrations', () => {
    it('create, update and delete publish the integration\'s schedules', async () => {
      const created = await app.api('POST', '/v1/integrations', zomentumRepairShopr);
      expect(created.status).toBe(201);
      const id = created.body.id;
      expect(created.body).toMatchObject({
        kind: 'zomentum-repairshopr',
        connectors: { source: 'zomentum', target: 'repairshopr' },
        enabled: true,
        revision: 1,
        settings: { direction: 'two_way', quoteSyncType1: true, updateSync: false },
      });

      const published = (count: number) =>
        waitFor(async () => {
          const messages = await storedMessages(app.bus, 'CONFIG', 'config.schedule.updated');
          const own = messages.filter((message) => message.envelope.integrationId === id);
          return own.length >= count ? own : undefined;
        });
      const [first] = await published(1);
      expect(first.envelope).toMatchObject({
        id: messageId('integration', id, 'schedules', 1),
        integrationId: id,
        source: { connector: 'mapping', connectionId: id },
        data: { integrationId: id },
      });
      expect(first.envelope.data.schedules.map((schedule: { stream: string; everyMinutes: number }) => [schedule.stream, schedule.everyMinutes]))
        .toEqual([['documents', 5], ['customers', 60], ['contacts', 60], ['products', 60]]);

      const updated = await app.api('PUT', `/v1/integrations/${id}`, { ...zomentumRepairShopr, settings: { direction: 'push_only' } });
      expect(updated.status).toBe(200);
      expect(updated.body.integration).toMatchObject({ revision: 2, settings: { direction: 'push_only' } });
      expect(updated.body.sync).toBeUndefined();
      const [, second] = await published(2);
      expect(second.envelope.data.schedules).toEqual([
        { id: `${id}:zomentum:documents`, connector: 'zomentum', connectionId: 'zm-1', stream: 'documents', kind: 'interval', everyMinutes: 5 },
      ]);

      expect((await app.api('GET', `/v1/integrations/${id}`)).body).toEqual(updated.body.integration);
      expect((await app.api('DELETE', `/v1/integrations/${id}`)).status).toBe(204);
      const [, , third] = await published(3);
      expect(third.envelope).toMatchObject({ id: messageId('integration', id, 'schedules', 3), data: { integrationId: id, schedules: [] } });
      expect((await app.api('GET', `/v1/integrations/${id}`)).status).toBe(404);
      expect((await app.api('DELETE', `/v1/integrations/${id}`)).status).toBe(404);
    });

    it('refuses to change the kind of an integration', async () => {
      const created = await app.api('POST', '/v1/integrations', { ...zomentumRepairShopr, name: 'Kind test' });
      const response = await app.api('PUT', `/v1/integrations/${created.body.id}`, zzapRetailCrm('zz-2', 'kind-test'));
      expect(response.status).toBe(400);
      expect(response.body.issues[0].path).toBe('kind');
      await app.api('DELETE', `/v1/integrations/${created.body.id}`);
    });

    it('needs every Shoprenter status mapped to a MiniCRM status that exists', async () => {
      const response = await app.api('POST', '/v1/integrations', {
        kind: 'shoprenter-minicrm',
        name: 'Webshop',
        sourceConnectionId: 'sr-1',
        targetConnectionId: 'mc-1',
        settings: { statusMap: { '1': { id: '9999', name: 'Ghost' } } },
      });
      expect(response.status).toBe(400);
      expect(response.body.issues).toEqual([
        { path: 'settings.statusMap', message: "every Shoprenter status needs a MiniCRM status; unmapped: 'Shipped' (2)" },
        { path: 'settings.statusMap', message: "not MiniCRM statuses: '9999'" },
      ]);
    });

    it('allows one Shoprenter integration per MiniCRM system', async () => {
      const first = await app.api('POST', '/v1/integrations', {
        kind: 'shoprenter-minicrm',
        name: 'Old shop',
        sourceConnectionId: 'sr-1',
        targetConnectionId: 'mc-1',
        settings: { statusMap: shopStatusMap },
      });
      expect(first.status).toBe(201);
      const second = await app.api('POST', '/v1/integrations', {
        kind: 'shoprenter-minicrm',
        name: 'New shop',
        sourceConnectionId: 'sr-2',
        targetConnectionId: 'mc-1',
        settings: { statusMap: shopStatusMap },
      });
      expect(second.status).toBe(409);
      expect(second.body.error).toBe('conflict');
      expect(second.body.message).toContain('remove the old integration first');
    });

    it('allows one ZZap account per RetailCRM store and one store per ZZap account', async () => {
      expect((await app.api('POST', '/v1/integrations', zzapRetailCrm('zz-1', 'parts'))).status).toBe(201);
      const sameAccount = await app.api('POST', '/v1/integrations', zzapRetailCrm('zz-1', 'tyres'));
      expect(sameAccount.status).toBe(409);
      expect(sameAccount.body.message).toContain('this ZZap account already feeds a RetailCRM store');
      const sameStore = await app.api('POST', '/v1/integrations', zzapRetailCrm('zz-2', 'parts'));
      expect(sameStore.status).toBe(409);
      expect(sameStore.body.message).toContain("RetailCRM store 'parts' already has a ZZap integration");
    });

    it('refuses a RetailCRM store the key does not reach and, under flag 1, a ZZap status left out, naming both', async () => {
      fakes.zzap.orderStatuses = [
        { id: '1', name: 'Pending' },
        { id: '4', name: 'Ready' },
      ];
      fakes.retailcrm.details = { sites: ['parts', 'website'] };
      try {
        const before = (await app.api('GET', '/v1/integrations')).body.integrations.length;
        const response = await app.api('POST', '/v1/integrations', zzapRetailCrm('zz-3', 'nowhere'));
        expect(response.status).toBe(400);
        expect(response.body.issues).toEqual([
          { path: 'settings.storeCode', message: "RetailCRM has no store 'nowhere' that this API key reaches (it reaches: 'parts', 'website')" },
          {
            path: 'settings.statusMap',
            message: "ZZap -> RetailCRM status sync needs every ZZap status paired with a RetailCRM status; unmapped: 'Ready' (4)",
          },
        ]);
        expect((await app.api('GET', '/v1/integrations')).body.integrations).toHaveLength(before);
      } finally {
        fakes.zzap.orderStatuses = undefined;
        fakes.retailcrm.details = undefined;
      }
    });

    it('refuses to delete a connection an integration uses', async () => {
      const response = await app.api('DELETE', '/v1/connections/zzap/zz-1');
      expect(response.status).toBe(409);
      expect(response.body.message).toContain('remove the integration first');
      expect(fakes.zzap.connections.has('zz-1')).toBe(true);
    });
  });

  describe('sync now and Save and Sync', () => {
    let integrationId: string;

    beforeAll(async () => {
      const created = await app.api('POST', '/v1/integrations', { ...zzapRetailCrm('zz-2', 'sync-test'), name: 'Sync test' });
      integrationId = created.body.id;
    });

    const requestsOf = async (requestId: string) =>
      (await storedMessages(app.bus, 'SYNC', 'sync.requested')).filter((message) => message.envelope.data.requestId === requestId);

    it('"Sync now" requests a sync of every stream the integration pulls', async () => {
      const response = await app.api('POST', `/v1/integrations/${integrationId}/sync`);
      expect(response.status).toBe(202);
      expect(response.body.streams).toEqual([{ connector: 'zzap', connectionId: 'zz-2', stream: 'orders' }]);
      const [request] = await waitFor(async () => {
        const requests = await requestsOf(response.body.requestId);
        return requests.length > 0 ? requests : undefined;
      });
      expect(request.envelope).toMatchObject({
        type: 'sync.requested',
        integrationId,
        data: { connector: 'zzap', connectionId: 'zz-2', stream: 'orders', reason: 'manual', integrationId, fullResync: false },
      });
    });

    it('"Sync now" with fullResync=true asks the connectors to read every record from the start', async () => {
      const response = await app.api('POST', `/v1/integrations/${integrationId}/sync?fullResync=true`);
      expect(response.status).toBe(202);
      const [request] = await waitFor(async () => {
        const requests = await requestsOf(response.body.requestId);
        return requests.length > 0 ? requests : undefined;
      });
      expect(request.envelope.data).toMatchObject({ stream: 'orders', reason: 'manual', fullResync: true });
    });

    it('"Save and Sync" saves, then requests a sync of the streams the new settings need', async () => {
      const body = zzapRetailCrm('zz-2', 'sync-test');
      const response = await app.api('PUT', `/v1/integrations/${integrationId}?sync=true`, {
        ...body,
        settings: { ...body.settings, statusCrmToZzap: true },
      });
      expect(response.status).toBe(200);
      expect(response.body.sync.streams.map((stream: { stream: string }) => stream.stream)).toEqual(['orders', 'order_history']);
      const requests = await waitFor(async () => {
        const found = await requestsOf(response.body.sync.requestId);
        return found.length === 2 ? found : undefined;
      });
      expect(requests.map((request) => [request.envelope.data.connector, request.envelope.data.reason])).toEqual([
        ['zzap', 'save_and_sync'],
        ['retailcrm', 'save_and_sync'],
      ]);
    });

    it('"Save and Sync" on a new integration creates it once and requests its sync', async () => {
      const before = (await app.api('GET', '/v1/integrations')).body.integrations.length;
      const response = await app.api('POST', '/v1/integrations?sync=true', { ...zzapRetailCrm('zz-3', 'sync-new'), name: 'Saved and synced' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ name: 'Saved and synced', sync: { streams: [{ connector: 'zzap', connectionId: 'zz-3', stream: 'orders' }] } });
      expect((await app.api('GET', '/v1/integrations')).body.integrations).toHaveLength(before + 1);
      const [request] = await waitFor(async () => {
        const requests = await requestsOf(response.body.sync.requestId);
        return requests.length > 0 ? requests : undefined;
      });
      expect(request.envelope).toMatchObject({ integrationId: response.body.id, data: { stream: 'orders', reason: 'save_and_sync' } });
    });

    it('names the run already going when Sync is pressed again, with its progress', async () => {
      await app.bus.publish('sync.run.updated', {
        id: messageId('run', 'run-going', 1),
        type: 'sync.run.updated',
        version: 1,
        source: { connector: 'zzap', connectionId: 'zz-2' },
        occurredAt: '2024-09-23T14:00:00Z',
        data: {
          runId: 'run-going',
          connector: 'zzap',
          connectionId: 'zz-2',
          stream: 'orders',
          state: 'running',
          startedAt: '2024-09-23T14:00:00Z',
          progress: { done: 120, total: 2000 },
          counts: { created: 120, updated: 0, skipped: 0, failed: 0 },
          revision: 1,
        },
      });
      const running = await waitFor(async () => {
        const response = await app.api('POST', `/v1/integrations/${integrationId}/sync`);
        return response.body.running.length > 0 ? response.body.running : undefined;
      });
      expect(running).toEqual([
        {
          runId: 'run-going',
          connector: 'zzap',
          connectionId: 'zz-2',
          stream: 'orders',
          progress: { done: 120, total: 2000 },
          startedAt: '2024-09-23T14:00:00.000Z',
        },
      ]);
    });

    it('refuses to sync a disabled integration', async () => {
      const body = zzapRetailCrm('zz-2', 'sync-test');
      await app.api('PUT', `/v1/integrations/${integrationId}`, { ...body, enabled: false });
      const response = await app.api('POST', `/v1/integrations/${integrationId}/sync`);
      expect(response.status).toBe(409);
    });
  });

  describe('runs', () => {
    it('serves the projection of sync.run.updated, newest first, with the last sync time in the integration\'s zone', async () => {
      const integrations = (await app.api('GET', '/v1/integrations')).body.integrations;
      const integration = integrations.find((candidate: { name: string }) => candidate.name === 'ZZap parts');
      const run = (runId: string, revision: number, state: string, startedAt: string, extra: object = {}) => ({
        id: messageId('run', runId, revision),
        type: 'sync.run.updated',
        version: 1,
        source: { connector: 'zzap', connectionId: 'zz-1' },
        occurredAt: startedAt,
        data: {
          runId,
          connector: 'zzap',
          connectionId: 'zz-1',
          stream: 'orders',
          state,
          startedAt,
          progress: { done: revision * 10, total: 30 },
          counts: { created: revision, updated: 0, skipped: 0, failed: 0 },
          revision,
          ...extra,
        },
      });
      await app.bus.publish('sync.run.updated', run('run-1', 1, 'running', '2024-09-23T14:00:00Z'));
      await app.bus.publish('sync.run.updated', run('run-1', 3, 'succeeded', '2024-09-23T14:00:00Z', { finishedAt: '2024-09-23T14:02:00Z' }));
      // Arrives after revision 3: must not overwrite it.
      await app.bus.publish('sync.run.updated', run('run-1', 2, 'running', '2024-09-23T14:00:00Z'));
      await app.bus.publish('sync.run.updated', run('run-2', 1, 'running', '2024-09-23T15:00:00Z'));
      // Another connection's run is not this integration's.
      await app.bus.publish('sync.run.updated', {
        ...run('run-3', 1, 'running', '2024-09-23T16:00:00Z'),
        data: { ...run('run-3', 1, 'running', '2024-09-23T16:00:00Z').data, connectionId: 'zz-2' },
      });

      const projected = await waitFor(async () => {
        // run-2 is published after run-1's stale update, so once it shows, every run-1 update has been applied.
        const response = await app.api('GET', `/v1/integrations/${integration.id}/runs`);
        return response.body.runs.length === 2 ? response.body : undefined;
      });
      expect(projected).toEqual({
        integrationId: integration.id,
        timeZone: 'Europe/Moscow',
        lastSyncTime: { iso: '2024-09-23T15:00:00.000Z', display: '23-09-2024 18:00' },
        runs: [
          expect.objectContaining({ runId: 'run-2', state: 'running', startedAt: { iso: '2024-09-23T15:00:00.000Z', display: '23-09-2024 18:00' } }),
          {
            runId: 'run-1',
            connector: 'zzap',
            connectionId: 'zz-1',
            stream: 'orders',
            state: 'succeeded',
            reason: null,
            progress: { done: 30, total: 30 },
            counts: { created: 3, updated: 0, skipped: 0, failed: 0 },
            error: null,
            startedAt: { iso: '2024-09-23T14:00:00.000Z', display: '23-09-2024 17:00' },
            finishedAt: { iso: '2024-09-23T14:02:00.000Z', display: '23-09-2024 17:02' },
            waiting: [],
            failures: [],
            failedRecords: [],
            traceId: null,
          },
        ],
        waiting: [],
        failures: [],
      });
    });
  });

  describe('dead letters', () => {
    const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

    // A deal.won without data breaks its contract: the routing consumer dead-letters it at once.
    async function deadLetteredDeal(id: string) {
      await app.bus.publish(
        'deal.won',
        { id, type: 'deal.won', version: 1, source: { connector: 'zomentum', connectionId: 'zm-1' }, occurredAt: '2024-09-23T13:00:00Z' },
        { headers: { traceparent: TRACEPARENT, 'x-api-key': 'publisher-secret' } },
      );
      return waitFor(async () => {
        const { body } = await app.api('GET', '/v1/dead-letters?subject=deal.won');
        return body.deadLetters.find((letter: { msgId: string }) => letter.msgId === id);
      });
    }

    it('lists a message a consumer gave up on, shows it whole and replays it', async () => {
      const letter = await deadLetteredDeal('broken-deal');
      expect(letter).toMatchObject({ originalSubject: 'deal.won', consumer: 'mapping-deal-won', msgId: 'broken-deal' });
      expect(letter.reason).toContain('invalid message');

      const shown = await app.api('GET', `/v1/dead-letters/${letter.seq}`);
      expect(shown).toEqual({ status: 200, body: letter });
      expect(shown.body).toMatchObject({ stream: 'EVENTS', deliveries: 1, failedAt: expect.any(String) });
      // Only the trace context: other headers are the publisher's business and may hold secrets.
      expect(shown.body.headers).toEqual({ traceparent: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/) });
      expect(JSON.parse(shown.body.payload)).toMatchObject({ id: 'broken-deal', type: 'deal.won' });

      const replay = await app.api('POST', `/v1/dead-letters/${letter.seq}/replay`);
      expect(replay.status).toBe(202);
      expect(replay.body.seq).toBeGreaterThan(0);
      const after = await app.api('GET', '/v1/dead-letters?subject=deal.won');
      expect(after.body.deadLetters.map((listed: { seq: number }) => listed.seq)).not.toContain(letter.seq);
      expect((await app.api('POST', `/v1/dead-letters/${letter.seq}/replay`)).status).toBe(404);
      expect(await app.api('GET', `/v1/dead-letters/${letter.seq}`)).toEqual({
        status: 404,
        body: { error: 'not_found', message: `dead letter ${letter.seq} not found` },
      });
    });

    it('discards a dead letter for good', async () => {
      const letter = await deadLetteredDeal('discarded-deal');
      expect(await app.api('DELETE', `/v1/dead-letters/${letter.seq}`)).toEqual({ status: 204, body: undefined });
      expect((await app.api('GET', `/v1/dead-letters/${letter.seq}`)).status).toBe(404);
      expect(await app.api('DELETE', `/v1/dead-letters/${letter.seq}`)).toEqual({
        status: 404,
        body: { error: 'not_found', message: `dead letter ${letter.seq} not found` },
      });
      const stored = await storedMessages(app.bus, 'EVENTS', 'deal.won');
      expect(stored.filter((message) => message.envelope.id === 'discarded-deal')).toHaveLength(1);
      expect((await app.api('GET', '/v1/dead-letters/0')).status).toBe(400);
    });
  });

  describe('connector down', () => {
    it('answers 503 when no connector serves the request', async () => {
      await fakes.retailcrm.stop();
      const response = await app.api('GET', '/v1/connections/retailcrm');
      expect(response).toEqual({
        status: 503,
        body: { error: 'connector_unavailable', message: 'the retailcrm connector did not answer (no_responders)' },
      });
    });
  });
});
