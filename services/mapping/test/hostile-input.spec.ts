import { FakeConnector } from './support/fake-connector';
import { CONTROL_API_TOKEN, useMappingApp, type Json } from './support/mapping-app';
import { storedMessages } from './support/stream-reader';

// Hostile input on the control API's create and update routes. Refused requests (malformed JSON, wrong types, a
// 5 MB body, no or a wrong token) answer 400/413/401 in the API's JSON error shape and store nothing: no integration
// row changes, no connector receives anything, no schedule is published. Injection strings are ordinary text: stored
// when valid, given back verbatim as JSON, and no query breaks on them.

const INJECTIONS = [
  "Robert'); DROP TABLE integrations; --",
  "' OR '1'='1",
  '<script>alert("junction")</script>',
  '<img src=x onerror=alert(1)>',
  '${process.exit(1)} {{constructor.constructor("return process")()}}',
  '\\"}, "enabled": false, "x": {"',
  '%00 \u202e bidi and \ud83d\ude00 emoji',
];

const app = useMappingApp();
const shoprenter = new FakeConnector('shoprenter');
const minicrm = new FakeConnector('minicrm');
const zomentum = new FakeConnector('zomentum');
const repairshopr = new FakeConnector('repairshopr');
let integrationId: string;

const zomentumRepairShopr = (name = 'Acme MSP') => ({ kind: 'zomentum-repairshopr', name, sourceConnectionId: 'zm-1', targetConnectionId: 'rs-1' });

beforeAll(async () => {
  for (const fake of [shoprenter, minicrm, zomentum, repairshopr]) fake.start(app.bus);
  shoprenter.add('sr-1');
  minicrm.add('mc-1');
  zomentum.add('zm-1');
  repairshopr.add('rs-1');
  shoprenter.orderStatuses = [{ id: '1', name: 'Pending' }, { id: '2', name: 'Shipped' }];
  minicrm.orderStatuses = [{ id: '3001', name: 'New order' }, { id: '3002', name: 'Sent' }];
  const created = await app.api('POST', '/v1/integrations', zomentumRepairShopr());
  expect(created.status).toBe(201);
  integrationId = created.body.id;
});

afterAll(async () => {
  for (const fake of [shoprenter, minicrm, zomentum, repairshopr]) await fake.stop();
});

/** Sends a raw body, as a hostile client would; `token: null` sends none. */
async function send(method: string, path: string, body: string, options: { token?: string | null; contentType?: string } = {}) {
  const { token = CONTROL_API_TOKEN, contentType = 'application/json' } = options;
  const response = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { 'content-type': contentType, ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body,
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text, body: JSON.parse(text) as Json };
}

/** Everything a create or update could have changed. */
async function storedState() {
  return {
    integrations: await app.query('SELECT * FROM {schema}.integrations ORDER BY id'),
    connections: [shoprenter, minicrm, zomentum, repairshopr].map((fake) => [...fake.connections.entries()]),
    schedulesPublished: (await storedMessages(app.bus, 'CONFIG', 'config.schedule.updated')).length,
  };
}

describe.each([
  {
    route: 'POST /v1/connections',
    method: 'POST',
    path: () => '/v1/connections',
    valid: { connector: 'shoprenter', name: 'Webshop', settings: { apiUrl: 'https://shop.test' }, credentials: { password: 'p' } },
    wrongTypes: { connector: 'shoprenter', name: 42, settings: 'none', credentials: { password: 7 } },
    wrongPaths: ['name', 'settings', 'credentials.password'],
  },
  {
    route: 'PATCH /v1/connections/:connector/:id',
    method: 'PATCH',
    path: () => '/v1/connections/shoprenter/sr-1',
    valid: { name: 'Renamed', credentials: { password: 'changed' } },
    wrongTypes: { name: ['Renamed'], settings: 5, credentials: 'changed' },
    wrongPaths: ['name', 'settings', 'credentials'],
  },
  {
    route: 'POST /v1/integrations',
    method: 'POST',
    path: () => '/v1/integrations',
    valid: zomentumRepairShopr('Second MSP'),
    wrongTypes: { ...zomentumRepairShopr(), name: { $ne: '' }, enabled: 'yes', settings: { categoryMap: ['Hardware'] } },
    wrongPaths: ['name', 'enabled', 'settings.categoryMap'],
  },
  {
    route: 'PUT /v1/integrations/:id',
    method: 'PUT',
    path: () => `/v1/integrations/${integrationId}`,
    valid: zomentumRepairShopr('Renamed MSP'),
    wrongTypes: { ...zomentumRepairShopr(), sourceConnectionId: 1, settings: { direction: 'sideways', productSync: 'on' } },
    wrongPaths: ['sourceConnectionId', 'settings.direction', 'settings.productSync'],
  },
])('$route refuses hostile requests and stores nothing', ({ method, path, valid, wrongTypes, wrongPaths }) => {
  let before: Awaited<ReturnType<typeof storedState>>;
  beforeAll(async () => {
    before = await storedState();
  });

  it('answers malformed JSON, a top-level array and a body sent as text with 400', async () => {
    for (const malformed of ['{"name": ', '{name: "x"}', "{'name': 'x'}", '{"name": "x"}}']) {
      expect(await send(method, path(), malformed)).toMatchObject({
        status: 400,
        body: { error: 'invalid_request', message: 'the body is not valid JSON' },
      });
    }
    expect((await send(method, path(), '[]')).body).toMatchObject({ error: 'invalid_request', issues: [expect.objectContaining({ path: '' })] });
    expect((await send(method, path(), JSON.stringify(valid), { contentType: 'text/plain' })).status).toBe(400);
  });

  it('answers wrong types with 400 naming each field', async () => {
    const answer = await send(method, path(), JSON.stringify(wrongTypes));
    expect(answer.status).toBe(400);
    expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toEqual(wrongPaths);
  });

  it('answers a 5 MB body with 413 in the API\'s JSON error shape', async () => {
    const huge = JSON.stringify({ ...valid, name: 'x'.repeat(5 * 1024 * 1024) });
    const answer = await send(method, path(), huge);
    expect(answer).toMatchObject({ status: 413, contentType: expect.stringContaining('application/json') });
    expect(answer.body).toEqual({ error: 'payload_too_large', message: expect.stringMatching(/^the body is larger than \d+ bytes$/) });
  });

  it('answers a valid body with no token, a wrong one or another scheme with 401, whatever the body', async () => {
    for (const token of [null, 'not-the-token', `${CONTROL_API_TOKEN}x`, '']) {
      expect(await send(method, path(), JSON.stringify(valid), { token })).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
    }
    const basic = await fetch(`${app.baseUrl}${path()}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`user:${CONTROL_API_TOKEN}`).toString('base64')}` },
      body: JSON.stringify(valid),
    });
    expect(basic.status).toBe(401);
    // Anonymous callers learn nothing about the body either.
    expect((await send(method, path(), '{"name": ', { token: null })).status).toBe(401);
    expect((await send(method, path(), JSON.stringify({ name: 'x'.repeat(5 * 1024 * 1024) }), { token: null })).status).toBe(401);
  });

  it('stored nothing for any of them', async () => {
    expect(await storedState()).toEqual(before);
  });
});

describe('injection strings', () => {
  const raw = async (path: string) => {
    const response = await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${CONTROL_API_TOKEN}` } });
    return { response, text: await response.text() };
  };

  it('are stored as plain text in names, category maps and status maps, and come back verbatim as JSON', async () => {
    const categoryMap = Object.fromEntries(INJECTIONS.map((injection, index) => [`Category ${index} ${injection}`, injection]));
    const created = await app.api('POST', '/v1/integrations', {
      ...zomentumRepairShopr(INJECTIONS[0]),
      settings: { categoryMap, productCategories: INJECTIONS, defaultCategory: INJECTIONS[2] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: INJECTIONS[0], settings: { categoryMap, productCategories: INJECTIONS, defaultCategory: INJECTIONS[2] } });

    const statusMap = { '1': { id: '3001', name: INJECTIONS[1] }, '2': { id: '3002', name: INJECTIONS[3] } };
    const shop = await app.api('POST', '/v1/integrations', {
      kind: 'shoprenter-minicrm',
      name: INJECTIONS[2],
      sourceConnectionId: 'sr-1',
      targetConnectionId: 'mc-1',
      settings: { statusMap },
    });
    expect(shop.status).toBe(201);
    const updated = await app.api('PUT', `/v1/integrations/${shop.body.id}`, {
      kind: 'shoprenter-minicrm',
      name: INJECTIONS[4],
      sourceConnectionId: 'sr-1',
      targetConnectionId: 'mc-1',
      settings: { statusMap },
    });
    expect(updated.status).toBe(200);

    const { response, text } = await raw(`/v1/integrations/${shop.body.id}`);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(JSON.parse(text)).toMatchObject({ name: INJECTIONS[4], settings: { statusMap } });
    expect(text).toContain(JSON.stringify(INJECTIONS[4]));

    // The table the first name names is still there, with both rows, stored verbatim.
    const rows = await app.query<{ name: string; settings: Json }>('SELECT name, settings FROM {schema}.integrations WHERE id = ANY($1)', [
      [created.body.id, shop.body.id],
    ]);
    expect(rows.map((row) => row.name).sort()).toEqual([INJECTIONS[0], INJECTIONS[4]].sort());
    expect(rows.find((row) => row.name === INJECTIONS[4])?.settings.statusMap).toEqual(statusMap);
    const listed = (await app.api('GET', '/v1/integrations')).body.integrations.map((integration: { name: string }) => integration.name);
    expect(listed).toEqual(expect.arrayContaining([INJECTIONS[0], INJECTIONS[4]]));
  });

  it('are passed to the connector as plain text in connection names and settings', async () => {
    for (const injection of INJECTIONS) {
      const created = await app.api('POST', '/v1/connections', { connector: 'minicrm', name: injection, settings: { systemId: injection } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: injection, settings: { systemId: injection } });
      const read = await app.api('GET', `/v1/connections/minicrm/${encodeURIComponent(created.body.id)}`);
      expect(read.body.name).toBe(injection);
    }
  });

  it('in path parameters and filters are refused or simply not found', async () => {
    expect((await app.api('GET', `/v1/integrations/${encodeURIComponent("' OR '1'='1")}`)).status).toBe(400);
    expect((await app.api('GET', `/v1/dead-letters?subject=${encodeURIComponent("deal.won'; --")}`)).status).toBe(400);
    const unknown = await app.api('GET', `/v1/connections/minicrm/${encodeURIComponent("x' OR '1'='1")}`);
    expect(unknown).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });
});

it('answers NUL characters, which Postgres cannot store, with 400 naming where they are, and stores nothing', async () => {
  const before = await storedState();
  const answer = await send('POST', '/v1/integrations', JSON.stringify({
    ...zomentumRepairShopr('nul \u0000 byte'),
    settings: { categoryMap: { 'Hard\u0000ware': 'Hardware' } },
  }));
  expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
  expect(answer.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['name', 'settings.categoryMap.Hard\u0000ware']);
  const renamed = await send('PATCH', '/v1/connections/shoprenter/sr-1', JSON.stringify({ name: '\u0000' }));
  expect(renamed).toMatchObject({ status: 400, body: { issues: [{ path: 'name' }] } });
  expect((await app.api('GET', `/v1/connections/shoprenter/${encodeURIComponent('sr-1\u0000')}`)).status).toBe(400);
  expect(await storedState()).toEqual(before);
});
