import type { ServiceName, Stack } from '@junction/e2e/test/stack';
import { shopToCrm } from '@junction/e2e/test/shoprenter-minicrm';
import { query } from '@junction/e2e/test/support';
import { statusMap, zzapToCrm } from '@junction/e2e/test/zzap-retailcrm';
import type { RateLimitPolicy, RunningSandbox } from '@junction/sandbox-kit';
import * as retailcrmSandbox from '@junction/sandbox-retailcrm';
import { maxOf, sleep } from './pipeline';
import { RequestTail, succeeded } from './request-tail';
import type { BackfillRun } from './results';

/** The vendor's documented limit, `scale` times faster: the window shorter, the bucket refilling sooner. */
export function scaledPolicy(policy: RateLimitPolicy, scale: number): RateLimitPolicy {
  switch (policy.kind) {
    case 'off':
      return policy;
    case 'fixed-window':
      return { ...policy, windowMs: Math.max(1, Math.round(policy.windowMs / scale)) };
    case 'token-bucket':
      return { ...policy, refillPerSecond: policy.refillPerSecond * scale };
  }
}

/** Sustained calls a second a policy allows. */
export function allowedPerSecond(policy: RateLimitPolicy): number {
  switch (policy.kind) {
    case 'off':
      return Number.POSITIVE_INFINITY;
    case 'fixed-window':
      return policy.limit / (policy.windowMs / 1000);
    case 'token-bucket':
      return policy.refillPerSecond;
  }
}

/** Puts the sandbox's documented limit back on, scaled; answers the policy now in force. */
async function documentedLimit(sandbox: RunningSandbox, scale: number): Promise<RateLimitPolicy> {
  const rules = await sandbox.control.rateLimits();
  if (rules.length !== 1) throw new Error(`${sandbox.url}: the bench expects one rate limit, found ${rules.length}`);
  const [rule] = await sandbox.control.setRateLimit(scaledPolicy(rules[0].policy, scale), rules[0].name);
  return rule.policy;
}

interface BackfillSetup {
  integration: string;
  records: number;
  scale: number;
  /** Source first, target second, each with its limit in force. */
  vendors: Array<{ name: string; sandbox: RunningSandbox; policy: RateLimitPolicy }>;
  /** Where the target connector records each order it wrote. */
  idMap: { schema: string; connectionId: string };
  /** The vendor's endpoint that takes many records in one call, if it has one. */
  batchEndpoint?: { vendor: string; pathSuffix: string };
  startSync(): Promise<void>;
}

/**
 * Times a whole first sync of `records` source orders under both vendors' limits: from the sync request to the last
 * record's confirmed write (when the target connector's ID map holds every order). The lower bound is each vendor's
 * accepted calls at its allowed rate; the slower vendor bounds the run.
 */
async function measureBackfill(setup: BackfillSetup): Promise<BackfillRun> {
  const tails = await Promise.all(setup.vendors.map((vendor) => RequestTail.follow(vendor.name, vendor.sandbox.control)));
  const started = Date.now();
  await setup.startSync();
  const writtenOrders = async () =>
    (await query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "${setup.idMap.schema}".id_map WHERE connection_id = $1 AND entity_type = 'order'`,
      [setup.idMap.connectionId],
    ))[0].count;
  // However slow the vendors' limits make it, a backfill always moves: five minutes without a new order is a failure.
  let lastProgress = { at: Date.now(), written: 0 };
  for (;;) {
    const written = await writtenOrders();
    if (written >= setup.records) break;
    if (written > lastProgress.written) lastProgress = { at: Date.now(), written };
    if (Date.now() - lastProgress.at > 300_000) {
      throw new Error(`${setup.integration}: stuck at ${written} of ${setup.records} orders for five minutes`);
    }
    await sleep(1000);
  }
  const calls = await Promise.all(tails.map((tail) => tail.stop()));
  const health = await Promise.all(setup.vendors.map((vendor) => vendor.sandbox.control.health()));
  const targetCalls = calls[calls.length - 1];
  const lastWrite = maxOf(targetCalls.filter(succeeded).map((call) => call.finishedMs));
  const totalSeconds = (lastWrite - started) / 1000;

  const vendors = setup.vendors.map((vendor, index) => {
    const refused = calls[index].filter((call) => call.rateLimited);
    const allowed = allowedPerSecond(vendor.policy);
    return {
      vendor: vendor.name,
      calls: calls[index].length,
      callsPerRecord: calls[index].length / setup.records,
      rateLimited: refused.length,
      rateLimitedAtSeconds: refused.slice(0, 100).map((call) => (Date.parse(call.at) - started) / 1000),
      allowedPerSecond: allowed,
      boundSeconds: (calls[index].length - refused.length) / allowed,
      eventLoopDelayMs: health[index].eventLoopDelayMs,
    };
  });
  const boundSeconds = Math.max(...vendors.map((vendor) => vendor.boundSeconds));
  const batch = setup.batchEndpoint;
  return {
    integration: setup.integration,
    records: setup.records,
    scale: setup.scale,
    totalSeconds,
    boundSeconds,
    ratioToBound: totalSeconds / boundSeconds,
    bottleneck: vendors.find((vendor) => vendor.boundSeconds === boundSeconds)?.vendor ?? '',
    vendors,
    batchEndpoint: batch
      ? {
          vendor: batch.vendor,
          path: batch.pathSuffix,
          used: calls[setup.vendors.findIndex((vendor) => vendor.name === batch.vendor)].some((call) => call.path.endsWith(batch.pathSuffix)),
        }
      : null,
  };
}

const targetIdMap = (stack: Stack<string>, service: ServiceName, connectionId: string) => ({ schema: stack.schema(service), connectionId });

/** `records` Shoprenter orders into MiniCRM, both at their documented limits times `scale` (the connectors' pacing too). */
export async function backfillShopToCrm(stack: Stack<'shoprenter' | 'minicrm'>, records: number, scale: number): Promise<BackfillRun> {
  const { shoprenter, minicrm } = stack.sandboxes;
  await shoprenter.control.reset({ orders: records });
  await minicrm.control.reset({});
  const vendors = [
    { name: 'shoprenter', sandbox: shoprenter, policy: await documentedLimit(shoprenter, scale) },
    { name: 'minicrm', sandbox: minicrm, policy: await documentedLimit(minicrm, scale) },
  ];
  const operations = shopToCrm(stack);
  const shop = await operations.connectShop();
  const crm = await operations.connectCrm();
  // MiniCRM's documented allowance, which the connection's default paces to.
  await stack.api('PATCH', `/v1/connections/minicrm/${crm.id}`, { settings: { requestsPerMinute: 60 } });
  const integration = await operations.createIntegration(shop.id, crm.id, { statusMap: await operations.statusMap(shop.id, crm.id) });
  return measureBackfill({
    integration: 'shoprenter-minicrm',
    records,
    scale,
    vendors,
    idMap: targetIdMap(stack, 'minicrm', crm.id),
    startSync: async () => void (await stack.api('POST', `/v1/integrations/${integration.id}/sync`)),
  });
}

/** `records` ZZap orders into RetailCRM's ZZap store, both at their documented limits times `scale`. */
export async function backfillZzapToCrm(stack: Stack<'zzap' | 'retailcrm'>, records: number, scale: number): Promise<BackfillRun> {
  const { zzap, retailcrm } = stack.sandboxes;
  await zzap.control.reset({ orders: records, statusChanges: false });
  await retailcrm.control.reset({});
  const vendors = [
    { name: 'zzap', sandbox: zzap, policy: await documentedLimit(zzap, scale) },
    { name: 'retailcrm', sandbox: retailcrm, policy: await documentedLimit(retailcrm, scale) },
  ];
  const operations = zzapToCrm(stack);
  const source = await operations.connectZzap();
  const crm = await operations.connectCrm();
  const created = await operations.createIntegration(source.id, crm.id, {
    storeCode: retailcrmSandbox.SEEDED.sites.zzap,
    productMatching: 'article',
    statusZzapToCrm: true,
    statusCrmToZzap: false,
    processApiChanges: false,
    statusMap: statusMap(),
  });
  if (created.status >= 300) throw new Error(`the ZZap -> RetailCRM integration was refused: ${JSON.stringify(created.body)}`);
  return measureBackfill({
    integration: 'zzap-retailcrm',
    records,
    scale,
    vendors,
    idMap: targetIdMap(stack, 'retailcrm', crm.id),
    batchEndpoint: { vendor: 'retailcrm', pathSuffix: '/orders/upload' },
    startSync: async () => void (await stack.api('POST', `/v1/integrations/${created.body.id}/sync`)),
  });
}
