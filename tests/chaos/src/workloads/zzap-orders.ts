import type { RunSummary, Stack } from '@junction/e2e/test/stack';
import { STATUS_PAIRS, statusMap, zzapToCrm, type ZzapToCrmOperations } from '@junction/e2e/test/zzap-retailcrm';
import * as retailcrmSandbox from '@junction/sandbox-retailcrm';
import type { ControlApi } from '../control-api';
import type { SeededRandom } from '../random';
import { differs, firstDifference, tallyByKey, type DeadLetterOrigin, type TallyRow, type Workload } from './workload';

const INTEGRATION = 'zzap-retailcrm';
const STORE = retailcrmSandbox.SEEDED.sites.zzap;

const crmStatusOf = (code: number) => STATUS_PAIRS.find(([track]) => track === code)?.[1] ?? `unpaired ${code}`;
const zzapCodeOf = (status: string) => STATUS_PAIRS.find(([, crm]) => crm === status)?.[0] ?? -1;

interface ExpectedOrder {
  email: string;
  items: number;
  status: string;
}

/**
 * ZZap <-> RetailCRM: ZZap orders land in the ZZap store once each with their status; once they are all there, buyers
 * change some in ZZap and CRM users change others in RetailCRM, and each change reaches the other side once. The
 * buyers' changes meet a revoked RetailCRM API key: they are dead-lettered as rejected credentials and reach RetailCRM
 * once the user has restored the key and replayed them.
 */
export class ZzapOrders implements Workload {
  readonly integration = INTEGRATION;
  private readonly vendors: ZzapToCrmOperations;
  integrationId = '';
  /** ZZap status codes as seeded, by code_order. */
  private readonly seededCodes = new Map<number, number>();
  /** ZZap status codes buyers set, by code_order. */
  private readonly changedInZzap = new Map<number, number>();
  /** RetailCRM statuses CRM users set, by code_order. */
  private readonly changedInCrm = new Map<number, string>();
  /** The RetailCRM API key record of Junction's key while it is revoked. */
  private revokedKeyId?: number;

  constructor(
    stack: Stack<'zzap' | 'retailcrm'>,
    private readonly api: ControlApi,
    private readonly random: SeededRandom,
    private readonly size: { zzapOrders: number; statusChangesEachWay: number },
    private readonly log: (line: string) => void,
  ) {
    this.vendors = zzapToCrm(stack);
  }

  async setUp(): Promise<void> {
    await this.vendors.zzap.control.reset({ orders: this.size.zzapOrders });
    await this.vendors.retailcrm.control.reset();
    for (const order of await this.vendors.zzapOrders()) this.seededCodes.set(order.code_order, order.code_track);
    const zzapId = (await this.vendors.connectZzap()).id;
    const crmId = (await this.vendors.connectCrm()).id;
    const created = await this.vendors.createIntegration(zzapId, crmId, {
      storeCode: STORE,
      productMatching: 'article',
      statusZzapToCrm: true,
      statusCrmToZzap: true,
      processApiChanges: false,
      statusMap: statusMap(),
    });
    if (created.status !== 201) throw new Error(`the ZZap integration was refused: ${JSON.stringify(created.body)}`);
    this.integrationId = created.body.id;
  }

  async drive(): Promise<void> {
    await this.api('POST', `/v1/integrations/${this.integrationId}/sync`);
    if (!this.changesMade()) await this.changeStatusesOnceAllArrived();
  }

  changesMade(): boolean {
    return this.changedInZzap.size + this.changedInCrm.size === this.size.statusChangesEachWay * 2;
  }

  async tally(): Promise<TallyRow[]> {
    const zzapOrders = await this.vendors.zzapOrders();
    const crmOrders = await this.vendors.crmOrders(STORE);
    const expectedCrm = new Map<string, ExpectedOrder>(
      zzapOrders.map((order) => [
        `zzap-${order.code_order}`,
        { email: order.email, items: 1 + order.extra_parts.length, status: this.expectedCrmStatus(order.code_order) },
      ]),
    );
    const orders = tallyByKey(
      INTEGRATION,
      'order',
      expectedCrm,
      crmOrders.map((order) => ({
        key: order.externalId ?? '',
        wrong: (expected: ExpectedOrder) =>
          firstDifference(differs('status', order.status, expected.status), differs('email', order.email, expected.email), differs('items', order.items.length, expected.items)),
      })),
    );
    // Both sides end in paired statuses: a CRM user's change, else the buyer's, else the seeded one.
    const expectedZzap = new Map(zzapOrders.map((order) => [String(order.code_order), this.expectedZzapCode(order.code_order)]));
    const statuses = tallyByKey(
      INTEGRATION,
      'order status in ZZap',
      expectedZzap,
      zzapOrders.map((order) => ({ key: String(order.code_order), wrong: (expected: number) => differs('code_track', order.code_track, expected) })),
    );
    return [orders, statuses];
  }

  entityOf(letter: DeadLetterOrigin): string | undefined {
    if (letter.subject.startsWith('cmd.zzap.')) return 'order status in ZZap';
    const ours = letter.integrationId === this.integrationId || letter.subject.startsWith('cmd.retailcrm.') || ['zzap', 'retailcrm'].includes(letter.sourceConnector ?? '');
    return ours ? 'order' : undefined;
  }

  /**
   * Once every order is in RetailCRM and RetailCRM's history has been read once (its first run anchors the cursor:
   * changes before it are not forwarded), buyers change some orders in ZZap and CRM users others in RetailCRM.
   */
  private async changeStatusesOnceAllArrived(): Promise<void> {
    const crmOrders = await this.vendors.crmOrders(STORE);
    if (new Set(crmOrders.map((order) => order.externalId)).size < this.size.zzapOrders) return;
    const runs = await this.api<{ runs: RunSummary[] }>('GET', `/v1/integrations/${this.integrationId}/runs?limit=200`);
    if (!runs.runs.some((run) => run.stream === 'order_history' && run.state === 'succeeded')) return;
    const zzapOrders = await this.vendors.zzapOrders();
    const chosen = this.random.sample(zzapOrders, this.size.statusChangesEachWay * 2);
    await this.revokeJunctionKey();
    const otherCode = (current: number) => this.random.pick(STATUS_PAIRS.map(([code]) => code).filter((code) => code !== current));
    for (const order of chosen.slice(0, this.size.statusChangesEachWay)) {
      const code = otherCode(order.code_track);
      await this.vendors.changeInZzap(order.code_order, code);
      this.changedInZzap.set(order.code_order, code);
    }
    for (const order of chosen.slice(this.size.statusChangesEachWay)) {
      const twin = crmOrders.find((candidate) => candidate.externalId === `zzap-${order.code_order}`);
      if (!twin) throw new Error(`zzap-${order.code_order} is not in RetailCRM`);
      const status = crmStatusOf(otherCode(zzapCodeOf(twin.status)));
      await this.vendors.changeInCrm(twin.id, status, 'user');
      this.changedInCrm.set(order.code_order, status);
    }
    this.log(`Junction's RetailCRM API key revoked; ZZap buyers changed ${this.changedInZzap.size} orders' status, RetailCRM users ${this.changedInCrm.size} others'`);
  }

  async repair(): Promise<void> {
    if (this.revokedKeyId === undefined) return;
    await this.vendors.retailcrm.control.update('api_keys', this.revokedKeyId, { key: retailcrmSandbox.SEEDED.apiKeys.junction });
    this.revokedKeyId = undefined;
    this.log("the user restored Junction's RetailCRM API key");
  }

  /** As a RetailCRM admin might: every call with Junction's key is refused (403) until `repair`. */
  private async revokeJunctionKey(): Promise<void> {
    const keys = await this.vendors.retailcrm.control.records<{ id: number; key: string }>('api_keys');
    const junction = keys.find((key) => key.key === retailcrmSandbox.SEEDED.apiKeys.junction);
    if (!junction) throw new Error("the RetailCRM sandbox holds no key of Junction's");
    await this.vendors.retailcrm.control.update('api_keys', junction.id, { key: `revoked-${junction.key}` });
    this.revokedKeyId = junction.id;
  }

  /** The status a CRM user set, else the one a buyer set in ZZap, else the seeded one. */
  private expectedCrmStatus(codeOrder: number): string {
    return this.changedInCrm.get(codeOrder) ?? crmStatusOf(this.changedInZzap.get(codeOrder) ?? this.seededCodes.get(codeOrder) ?? -1);
  }

  private expectedZzapCode(codeOrder: number): number {
    return zzapCodeOf(this.expectedCrmStatus(codeOrder));
  }
}
