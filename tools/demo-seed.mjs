// Seeds the demo stack (`docker compose --profile demo up`): a connection to each vendor sandbox with its seeded
// credentials, each tested; one integration of each kind; then "Sync now" on each. Prints where to watch.
// Running it again reuses what it made (and points the connections at the given sandbox URLs). Needs only Node 20.
//
//   node tools/demo-seed.mjs [--control-api http://localhost:8080] [--token <CONTROL_API_TOKEN>]
//                            [--sandbox <vendor>=<url> ...] [--wait <seconds>]
//                            [--public-api <url>] [--jaeger http://localhost:16686]
//
// --sandbox: the sandbox URL as the connector services reach it; default http://sandbox-<vendor>:8080 (compose).
// --wait: also wait until the sync runs it started finish, print their outcome and fail if one failed.
// --public-api, --jaeger: the addresses it prints, as a browser reaches them (default: --control-api).
import { parseArgs } from 'node:util';

const VENDORS = ['zomentum', 'repairshopr', 'shoprenter', 'minicrm', 'zzap', 'retailcrm'];
// docker-compose.yml's default; any other token is not printed.
const DEMO_TOKEN = 'junction-demo-control-token';

// The sandboxes' seeded credentials (SEEDED in sandboxes/<vendor>/src/seed.ts): identical on every start.
const SEEDED = {
  zomentum: {
    accessToken: 'a0021ce6d5d70bb3fc6d9eae61807bfff485ebc5acafbfd447200f552f90957d',
    refreshToken: 'd8e842c85dc9ab57bc055d27821b408397680f5de8f02d3dea166b48141800cd',
  },
  repairshopr: { subdomain: 'acme', apiToken: '5754e98168ac811693c259c21214ea82' },
  shoprenter: { shop: 'acme', username: 'acme_api', password: 'a67d49d2ef6c2927a90a168133facd10' },
  minicrm: { systemId: '12345', apiKey: '3b5bd03bb54fd296371ea148ad5072df1796d730', couponCodesField: 'Text1301' },
  zzap: { login: 'seller@parts.example', password: 'zzap-seller-pass', apiKey: 'zzap1_428d466882af49e8815b60b947bf79d48212b24feb077bb2' },
  retailcrm: { apiKey: '50c476bc3aa5416f4c8377dfb8fbcd63', store: 'zzap-parts' },
};

/** Each connection: its name (how a second run finds it), settings pointing at the sandbox, credentials. */
function connectionBodies(sandboxUrl) {
  const url = (vendor) => sandboxUrl[vendor].replace(/\/+$/, '');
  const { zomentum, repairshopr, shoprenter, minicrm, zzap, retailcrm } = SEEDED;
  return {
    zomentum: {
      name: 'Demo: Contoso MSP (Zomentum sandbox)',
      settings: { baseUrl: `${url('zomentum')}/v2`, refreshUrl: `${url('zomentum')}/v1/oauth/access-token` },
      credentials: zomentum,
    },
    repairshopr: {
      name: 'Demo: Acme Repairs (RepairShopr sandbox)',
      settings: { subdomain: repairshopr.subdomain, baseUrl: `${url('repairshopr')}/${repairshopr.subdomain}/api/v1` },
      credentials: { apiToken: repairshopr.apiToken },
    },
    shoprenter: {
      name: 'Demo: acme webshop (Shoprenter sandbox)',
      settings: { apiUrl: `${url('shoprenter')}/${shoprenter.shop}`, auth: 'basic' },
      credentials: { username: shoprenter.username, password: shoprenter.password },
    },
    minicrm: {
      name: 'Demo: Demo Kft. (MiniCRM sandbox)',
      settings: { systemId: minicrm.systemId, baseUrl: url('minicrm'), couponCodesField: minicrm.couponCodesField },
      credentials: { apiKey: minicrm.apiKey },
    },
    zzap: {
      name: 'Demo: parts seller (ZZap sandbox)',
      settings: { baseUrl: `${url('zzap')}/webservice/datasharing.asmx` },
      credentials: { login: zzap.login, password: zzap.password, apiKey: zzap.apiKey },
    },
    retailcrm: {
      name: 'Demo: parts CRM (RetailCRM sandbox)',
      settings: { url: url('retailcrm') },
      credentials: { apiKey: retailcrm.apiKey },
    },
  };
}

// ZZap status (code_track) -> RetailCRM status code, one to one: new, accepted, ordered from the supplier, ready,
// handed over, refused.
const ZZAP_TO_RETAILCRM = { 1: 'new', 2: 'client-confirmed', 3: 'prepayed', 4: 'assembling-complete', 5: 'complete', 6: 'cancel-other' };

function options() {
  const { values } = parseArgs({
    options: {
      'control-api': { type: 'string', default: process.env.CONTROL_API_URL ?? 'http://localhost:8080' },
      token: { type: 'string', default: process.env.CONTROL_API_TOKEN ?? DEMO_TOKEN },
      sandbox: { type: 'string', multiple: true, default: [] },
      wait: { type: 'string' },
      'public-api': { type: 'string' },
      jaeger: { type: 'string', default: 'http://localhost:16686' },
    },
  });
  const sandboxUrl = Object.fromEntries(VENDORS.map((vendor) => [vendor, `http://sandbox-${vendor}:8080`]));
  for (const entry of values.sandbox) {
    const [vendor, url] = entry.split(/=(.*)/s);
    if (!VENDORS.includes(vendor) || !url) throw new Error(`--sandbox wants <vendor>=<url> with a vendor of ${VENDORS.join(', ')}`);
    sandboxUrl[vendor] = url;
  }
  const waitSeconds = values.wait === undefined ? undefined : Number(values.wait);
  if (waitSeconds !== undefined && !(waitSeconds > 0)) throw new Error('--wait wants a number of seconds');
  const controlApi = values['control-api'].replace(/\/+$/, '');
  const publicApi = (values['public-api'] ?? controlApi).replace(/\/+$/, '');
  return { controlApi, publicApi, token: values.token, sandboxUrl, waitSeconds, jaeger: values.jaeger };
}

function controlApi(base, token) {
  return async (method, path, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** Creates the connection, or updates the one an earlier run made; then tests it. Returns it with the test result. */
async function ensureConnection(api, connector, body) {
  const { connections } = await api('GET', `/v1/connections/${connector}`);
  const existing = connections.find((connection) => connection.name === body.name);
  const connection = existing
    ? await api('PATCH', `/v1/connections/${connector}/${existing.id}`, { settings: body.settings, credentials: body.credentials })
    : await api('POST', '/v1/connections', { connector, ...body });
  const test = await api('POST', `/v1/connections/${connector}/${connection.id}/test`);
  if (!test.ok) throw new Error(`the ${connector} connection "${body.name}" failed its test: ${test.message}`);
  console.log(`connection ${connector.padEnd(11)} ${connection.id}  ${body.name}: ${test.message}`);
  return { ...connection, test };
}

/** Creates the integration, or replaces the settings of the one an earlier run made. */
async function ensureIntegration(api, body) {
  const { integrations } = await api('GET', '/v1/integrations');
  const existing = integrations.find((integration) => integration.kind === body.kind && integration.name === body.name);
  const integration = existing
    ? (await api('PUT', `/v1/integrations/${existing.id}`, body)).integration
    : await api('POST', '/v1/integrations', body);
  console.log(`integration ${body.kind.padEnd(20)} ${integration.id}  ${body.name}`);
  return integration;
}

/** Every Shoprenter status paired with the MiniCRM Order status at the same place in its workflow. */
function shopToCrmStatusMap(shop, crm) {
  const shopStatuses = shop.test.orderStatuses ?? [];
  const crmStatuses = crm.test.orderStatuses ?? [];
  if (shopStatuses.length === 0 || crmStatuses.length === 0) throw new Error('the Shoprenter or MiniCRM test reported no order statuses');
  return Object.fromEntries(shopStatuses.map((status, index) => [status.id, crmStatuses[Math.min(index, crmStatuses.length - 1)]]));
}

/** ZZAP_TO_RETAILCRM with both sides' names, as the two connection tests report them. */
function zzapToCrmStatusMap(zzap, crm) {
  const find = (statuses, id, side) => {
    const status = (statuses ?? []).find((candidate) => candidate.id === id);
    if (!status) throw new Error(`the ${side} test reported no status ${id}`);
    return status;
  };
  return Object.entries(ZZAP_TO_RETAILCRM).map(([code, status]) => ({
    zzap: find(zzap.test.orderStatuses, code, 'ZZap'),
    retailcrm: find(crm.test.orderStatuses, status, 'RetailCRM'),
  }));
}

/** Resolves with the runs a sync started, once none of them runs any more. */
async function finishedRuns(api, integrationId, before, sync, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { runs } = await api('GET', `/v1/integrations/${integrationId}/runs`);
    const mine = sync.streams.map((requested) => {
      const ofStream = runs.filter(
        (run) => run.connectionId === requested.connectionId && run.stream === requested.stream && !before.has(run.runId),
      );
      const carriedOn = sync.running.find((running) => running.connectionId === requested.connectionId && running.stream === requested.stream);
      return ofStream[0] ?? runs.find((run) => run.runId === carriedOn?.runId);
    });
    if (mine.every((run) => run && run.state !== 'running')) return mine;
    if (Date.now() > deadline) throw new Error(`the runs of integration ${integrationId} did not finish within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function main() {
  const { controlApi: base, publicApi, token, sandboxUrl, waitSeconds, jaeger } = options();
  const api = controlApi(base, token);
  const bodies = connectionBodies(sandboxUrl);
  const connections = {};
  for (const vendor of VENDORS) connections[vendor] = await ensureConnection(api, vendor, bodies[vendor]);

  const integrations = [
    await ensureIntegration(api, {
      kind: 'zomentum-repairshopr',
      name: 'Demo: Zomentum quotes to RepairShopr estimates',
      sourceConnectionId: connections.zomentum.id,
      targetConnectionId: connections.repairshopr.id,
      settings: {},
    }),
    await ensureIntegration(api, {
      kind: 'shoprenter-minicrm',
      name: 'Demo: webshop orders to MiniCRM',
      sourceConnectionId: connections.shoprenter.id,
      targetConnectionId: connections.minicrm.id,
      settings: { statusMap: shopToCrmStatusMap(connections.shoprenter, connections.minicrm) },
    }),
    await ensureIntegration(api, {
      kind: 'zzap-retailcrm',
      name: 'Demo: ZZap orders to RetailCRM',
      sourceConnectionId: connections.zzap.id,
      targetConnectionId: connections.retailcrm.id,
      settings: { storeCode: SEEDED.retailcrm.store, statusMap: zzapToCrmStatusMap(connections.zzap, connections.retailcrm) },
    }),
  ];

  const started = [];
  for (const integration of integrations) {
    const before = new Set((await api('GET', `/v1/integrations/${integration.id}/runs`)).runs.map((run) => run.runId));
    const sync = await api('POST', `/v1/integrations/${integration.id}/sync`);
    started.push({ integration, before, sync });
  }

  console.log('\nSyncs started. Watch them:');
  const shownToken = token === DEMO_TOKEN ? token : '$CONTROL_API_TOKEN';
  for (const { integration } of started) {
    console.log(`  ${integration.kind.padEnd(20)} curl -H "Authorization: Bearer ${shownToken}" ${publicApi}/v1/integrations/${integration.id}/runs`);
  }
  console.log(`  traces: ${jaeger} (service mapping, or a connector)`);
  console.log(`  API:    ${publicApi}/openapi.json`);
  if (waitSeconds === undefined) return;

  let failed = false;
  for (const { integration, before, sync } of started) {
    const runs = await finishedRuns(api, integration.id, before, sync, waitSeconds * 1000);
    for (const run of runs) {
      const { created, updated, skipped, failed: recordsFailed } = run.counts;
      const error = run.error ? ` (${run.error.code}: ${run.error.message})` : '';
      console.log(`${integration.kind.padEnd(20)} ${run.connector}.${run.stream}: ${run.state}, ${run.progress.done} read, ` +
        `${created} created, ${updated} updated, ${skipped} skipped, ${recordsFailed} failed${error}`);
      if (run.state !== 'succeeded') failed = true;
    }
  }
  if (failed) throw new Error('a sync run did not succeed');
}

main().catch((error) => {
  console.error(`demo-seed: ${error.message}`);
  process.exit(1);
});
