import type { RunningSandbox } from '@junction/sandbox-kit';
import * as retailcrmSandbox from '@junction/sandbox-retailcrm';
import * as zzapSandbox from '@junction/sandbox-zzap';
import { startStack, type ServiceName, type Stack, type StackOptions } from './stack';
import { randomName } from './support';

/** ZZap status code_track <-> RetailCRM status code, strictly 1 to 1. */
export const STATUS_PAIRS: Array<[number, string]> = [
  [1, 'new'],
  [2, 'client-confirmed'],
  [3, 'prepayed'],
  [4, 'assembling-complete'],
  [5, 'complete'],
  [6, 'cancel-other'],
];

/** The pairs as an integration's status map, with both sides' names. */
export function statusMap(pairs: Array<[number, string]> = STATUS_PAIRS) {
  return pairs.map(([code, status]) => ({
    zzap: { id: String(code), name: zzapSandbox.TRACK_CODES.find((track) => track.code_track === code)?.descr_track ?? String(code) },
    retailcrm: { id: status, name: retailcrmSandbox.STATUSES.find((candidate) => candidate.code === status)?.name ?? status },
  }));
}

/** What a test does with a ZZap <-> RetailCRM pair of sandboxes through the control API. */
export interface ZzapToCrmOperations {
  zzap: RunningSandbox;
  retailcrm: RunningSandbox;
  /** A ZZap connection to a seeded cabinet (the seller's by default). */
  connectZzap(cabinet?: 'seller' | 'other', password?: string): Promise<{ id: string }>;
  /** A RetailCRM connection with Junction's API key. */
  connectCrm(): Promise<{ id: string }>;
  /** Creates the integration, or answers the refusal's status and body. */
  createIntegration(zzapId: string, crmId: string, settings: Record<string, unknown>): Promise<{ status: number; body: { id: string; issues?: Array<{ path: string; message: string }> } }>;
  /** Changes a status in ZZap's cabinet, as the buyer or the seller does. */
  changeInZzap(codeOrder: number, codeTrack: number): Promise<void>;
  /** Changes a RetailCRM order's status as a CRM user (7) or as another API client (the warehouse key). */
  changeInCrm(orderId: number, status: string, by: 'user' | 'api_client'): Promise<void>;
  zzapOrders(): Promise<zzapSandbox.SellerOrder[]>;
  crmOrders(site?: string): Promise<retailcrmSandbox.Order[]>;
  crmHistory(): Promise<retailcrmSandbox.HistoryRecord[]>;
}

/** Both sandboxes and the services of a ZZap <-> RetailCRM integration, driven by the control API. */
export interface ZzapToCrm extends Stack<'zzap' | 'retailcrm'>, ZzapToCrmOperations {}

async function post(sandbox: RunningSandbox, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
}

export async function startZzapToCrm(
  seeds: { zzap: object; retailcrm?: object },
  options: Pick<StackOptions<string>, 'processes' | 'env'> & { services?: ServiceName[] } = {},
): Promise<ZzapToCrm> {
  const stack = await startStack({
    services: options.services ?? ['mapping', 'zzap', 'retailcrm'],
    sandboxes: { zzap: zzapSandbox.createSandbox(), retailcrm: retailcrmSandbox.createSandbox() },
    processes: options.processes,
    env: options.env,
  });
  await stack.sandboxes.zzap.control.reset(seeds.zzap as Record<string, unknown>);
  await stack.sandboxes.retailcrm.control.reset((seeds.retailcrm ?? {}) as Record<string, unknown>);
  return { ...stack, ...zzapToCrm(stack) };
}

/** The integration's operations on a stack that runs both sandboxes (among others) and the services. */
export function zzapToCrm(stack: Pick<Stack<'zzap' | 'retailcrm'>, 'sandboxes' | 'api' | 'call'>): ZzapToCrmOperations {
  const { zzap, retailcrm } = stack.sandboxes;
  const { api, call } = stack;
  return {
    zzap,
    retailcrm,
    connectZzap(cabinet = 'seller', password) {
      const account = zzapSandbox.SEEDED[cabinet];
      return api<{ id: string }>('POST', '/v1/connections', {
        connector: 'zzap',
        name: randomName('Заказ с ZZap '),
        settings: { baseUrl: zzapSandbox.baseUrlFor(zzap.url) },
        credentials: { apiKey: account.api_key, login: account.login, password: password ?? account.password },
      });
    },
    connectCrm() {
      return api<{ id: string }>('POST', '/v1/connections', {
        connector: 'retailcrm',
        name: randomName('Parts CRM '),
        settings: { url: retailcrm.url },
        credentials: { apiKey: retailcrmSandbox.SEEDED.apiKeys.junction },
      });
    },
    createIntegration(zzapId, crmId, settings) {
      return call('POST', '/v1/integrations', {
        kind: 'zzap-retailcrm',
        name: randomName('ZZap parts '),
        sourceConnectionId: zzapId,
        targetConnectionId: crmId,
        settings,
      });
    },
    changeInZzap(codeOrder, codeTrack) {
      return post(zzap, `/orders/${codeOrder}/status`, { code_track: codeTrack, by: 'buyer' });
    },
    changeInCrm(orderId, status, by) {
      const author = by === 'user' ? { user: retailcrmSandbox.SEEDED.userId } : { apiKey: retailcrmSandbox.SEEDED.apiKeys.warehouse };
      return post(retailcrm, `/orders/${orderId}/status`, { status, ...author });
    },
    async zzapOrders() {
      const orders = await zzap.control.records<zzapSandbox.SellerOrder & { account_id: number }>('orders');
      return orders.filter((order) => order.account_id === 1);
    },
    async crmOrders(site = retailcrmSandbox.SEEDED.sites.zzap) {
      return (await retailcrm.control.records<retailcrmSandbox.Order>('orders')).filter((order) => order.site === site);
    },
    crmHistory() {
      return retailcrm.control.records<retailcrmSandbox.HistoryRecord>('history');
    },
  };
}
