import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bus } from '@junction/messaging';
import * as minicrmSandbox from '@junction/sandbox-minicrm';
import * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import { OtlpReceiver } from './otlp-receiver';
import { startShopToCrm, type ShopToCrm } from './shoprenter-minicrm';
import type { ServiceName } from './stack';
import { NATS_URL, waitFor } from './support';

// Secrets end to end. A whole Shoprenter -> MiniCRM sync with recognisable credentials (canaries), every service a
// process exporting spans to a receiver here: MiniCRM first refuses a wrong key (401), so every order's write fails,
// is reported on its run and dead-lettered; with the right key back the dead letters are replayed and the sync
// completes; then Shoprenter refuses a wrong password and the next pull fails. No canary, nor a Basic auth header
// made of one, may appear in any log line, span, message on the test's NATS streams, control API answer or dead letter.

const ORDERS = 3;
const SERVICES: ServiceName[] = ['mapping', 'shoprenter', 'minicrm'];
const canary = (what: string) => `S3cr3t-Canary-${what}-${randomBytes(6).toString('hex')}`;
const SECRETS = {
  shopPassword: canary('shop'),
  wrongShopPassword: canary('wrong-shop'),
  crmKey: canary('crm'),
  wrongCrmKey: canary('wrong-crm'),
};
const base64 = (text: string) => Buffer.from(text).toString('base64');
/** Every form a credential could leak in: the canaries, each base64-encoded alone and as Basic auth. */
const LEAKS = [
  'S3cr3t-Canary',
  ...[SECRETS.shopPassword, SECRETS.wrongShopPassword].flatMap((password) => [
    base64(password),
    base64(`${shoprenterSandbox.SEEDED.apiUsername}:${password}`),
  ]),
  ...[SECRETS.crmKey, SECRETS.wrongCrmKey].flatMap((key) => [base64(key), base64(`${minicrmSandbox.SEEDED.systemId}:${key}`)]),
];

/** The texts that hold a leak, shortened around it, so a failure shows where it is. */
function leaksIn(texts: string[]): string[] {
  return texts.flatMap((text) => {
    const at = Math.min(...LEAKS.map((leak) => text.indexOf(leak)).filter((index) => index >= 0));
    return Number.isFinite(at) ? [text.slice(Math.max(0, at - 200), at + 100)] : [];
  });
}

/** Every message on the namespace's streams: subject, headers and body as text. */
async function streamMessages(namespace: string): Promise<string[]> {
  const bus = await Bus.connect({ servers: NATS_URL, name: 'secrets-test', namespace });
  const messages: string[] = [];
  try {
    for await (const name of bus.jsm.streams.names()) {
      if (!name.startsWith(`${namespace.toUpperCase()}_`)) continue;
      for (let seq = 1; ; ) {
        const stored = await bus.jsm.direct.getMessage(name, { seq, next_by_subj: `${namespace}.>` });
        if (!stored) break;
        const headers = [...(stored.header?.keys() ?? [])].map((key) => `${key}: ${stored.header?.values(key).join(', ')}`);
        messages.push([`${name} ${stored.seq} ${stored.subject}`, ...headers, stored.string()].join('\n'));
        seq = stored.seq + 1;
      }
    }
  } finally {
    await bus.close();
  }
  return messages;
}

/** A process service's output, where the stack writes it (reports/e2e-logs/<namespace>-<service>.log). */
function logLines(service: ServiceName): string[] {
  const file = join(__dirname, '..', '..', '..', 'reports', 'e2e-logs', `${junction.namespace}-${service}.log`);
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

const receiver = new OtlpReceiver();
const saved = { ...process.env };
let junction: ShopToCrm;
/** Every control API answer the sync got, and the dead letters and stream messages before their replay. */
const answers: unknown[] = [];
const messagesBeforeReplay: string[] = [];

beforeAll(async () => {
  const endpoint = await receiver.start();
  // The service processes inherit this environment as they are spawned.
  Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_METRICS_EXPORTER: 'none' });
  junction = await startShopToCrm({ shoprenter: { orders: ORDERS } }, { processes: SERVICES });
}, 90_000);

afterAll(async () => {
  await junction?.close();
  await receiver.close();
  process.env = saved;
});

it('syncs with canary credentials through a refused key and a refused password, replaying what failed', async () => {
  const { shoprenter, minicrm } = junction;
  const api = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => {
    const answer = await junction.api<T>(method, path, body);
    answers.push(answer);
    return answer;
  };
  const acme = (await shoprenter.control.records<shoprenterSandbox.Shop>('shops')).find((shop) => shop.name === shoprenterSandbox.SEEDED.shop);
  await shoprenter.control.update('shops', acme?.id ?? 'acme', { apiPassword: SECRETS.shopPassword });
  await minicrm.control.update('systems', minicrmSandbox.SEEDED.systemId, { ApiKey: SECRETS.crmKey });

  const shop = await junction.connectShop(SECRETS.shopPassword);
  const crm = await junction.connectCrm();
  const setCrmKey = (apiKey: string) => api('PATCH', `/v1/connections/minicrm/${crm.id}`, { credentials: { apiKey } });
  await setCrmKey(SECRETS.crmKey);
  const statusMap = await junction.statusMap(shop.id, crm.id);
  const integration = await junction.createIntegration(shop.id, crm.id, { statusMap });

  // A wrong key: MiniCRM refuses every order's write, which fails on its run and is dead-lettered.
  await setCrmKey(SECRETS.wrongCrmKey);
  await api('POST', `/v1/integrations/${integration.id}/sync`);
  const { failures } = await waitFor(async () => {
    const runs = await junction.api<{ failures: Array<{ error: { message: string } }> }>('GET', `/v1/integrations/${integration.id}/runs`);
    return runs.failures.length >= ORDERS ? runs : undefined;
  }, 60_000, 250);
  expect(failures[0].error.message).toMatch(/credentials rejected by minicrm/);
  const { deadLetters } = await waitFor(async () => {
    const listed = await junction.api<{ deadLetters: Array<{ seq: number; reason: string }> }>('GET', '/v1/dead-letters?subject=cmd.minicrm.>');
    return listed.deadLetters.length >= ORDERS ? listed : undefined;
  });
  expect(deadLetters[0].reason).toMatch(/credentials rejected by minicrm/);
  await api('GET', `/v1/integrations/${integration.id}/runs`);
  await api('GET', '/v1/dead-letters?limit=500');
  for (const letter of deadLetters) await api('GET', `/v1/dead-letters/${letter.seq}`);
  const [order] = await junction.shopOrders();
  await api('GET', `/v1/integrations/${integration.id}/records?vendorId=${order.innerId}`);
  messagesBeforeReplay.push(...(await streamMessages(junction.namespace)));

  // The right key back: replaying the dead letters completes the sync.
  await setCrmKey(SECRETS.crmKey);
  for (const letter of deadLetters) await api('POST', `/v1/dead-letters/${letter.seq}/replay`);
  await waitFor(async () => ((await junction.crmState()).orders.length === ORDERS ? true : undefined), 60_000, 500);

  // A wrong password: Shoprenter refuses the next pull, and its run fails.
  const credentials = { username: shoprenterSandbox.SEEDED.apiUsername, password: SECRETS.wrongShopPassword };
  await api('PATCH', `/v1/connections/shoprenter/${shop.id}`, { credentials });
  expect(await api('POST', `/v1/connections/shoprenter/${shop.id}/test`)).toMatchObject({ ok: false });
  await api('POST', `/v1/integrations/${integration.id}/sync`);
  const [failedPull] = await junction.finishedRuns(integration.id, ['orders'], 2);
  expect(failedPull).toMatchObject({ state: 'failed', error: { message: expect.stringContaining('401') } });
  await api('GET', `/v1/integrations/${integration.id}/runs`);
  await api('GET', '/v1/connections/shoprenter');
  await api('GET', '/v1/connections/minicrm');
}, 180_000);

it('puts no credential into any log line', async () => {
  // The refusals were logged: the dead letters by the minicrm service, the failed pull by the shoprenter service.
  const logged = (service: ServiceName, text: string) => logLines(service).some((line) => line.includes(text));
  await waitFor(async () => logged('minicrm', 'dead-lettered') && logged('shoprenter', '"code":"credentials_rejected"'));
  for (const service of SERVICES) {
    const lines = logLines(service);
    expect(lines.length).toBeGreaterThan(5);
    expect(leaksIn(lines)).toEqual([]);
  }
});

it('puts no credential into any span: attributes, events, status or links', async () => {
  // The failed pull is the last thing the sync did; once its span is in, every earlier one is too.
  const failed = (service: string, name: string) => receiver.spans.some((span) => span.service === service && span.name === name && span.status === 2);
  await waitFor(async () => failed('shoprenter', 'sync run shoprenter.orders'));
  expect(failed('minicrm', 'cmd.minicrm.order.upsert process')).toBe(true);
  expect(receiver.spans.length).toBeGreaterThan(50);
  expect(leaksIn(receiver.spans.map((span) => JSON.stringify(span)))).toEqual([]);
});

it('puts no credential into any message on any stream, dead letters included', async () => {
  const messages = [...messagesBeforeReplay, ...(await streamMessages(junction.namespace))];
  expect(messagesBeforeReplay.filter((message) => message.includes('.dlq.cmd.minicrm.'))).toHaveLength(ORDERS);
  expect(messages.length).toBeGreaterThan(20);
  expect(leaksIn(messages)).toEqual([]);
});

it('puts no credential into any control API answer: runs, failures, records, dead letters, connections', () => {
  expect(answers.length).toBeGreaterThan(10);
  expect(leaksIn(answers.map((answer) => JSON.stringify(answer)))).toEqual([]);
});
