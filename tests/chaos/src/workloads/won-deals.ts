import type { Stack } from '@junction/e2e/test/stack';
import { zomentumToRepairShopr, type ZomentumToRepairShopr } from '@junction/e2e/test/zomentum-repairshopr';
import type * as zomentumSandbox from '@junction/sandbox-zomentum';
import type { ControlApi } from '../control-api';
import type { SeededRandom } from '../random';
import { differs, firstDifference, tallyByKey, type DeadLetterOrigin, type TallyRow, type Workload } from './workload';

const INTEGRATION = 'zomentum-repairshopr';

/** How RepairShopr estimates are named after the billing period they bill (quote sync type 1). */
const PERIOD_LABELS: Partial<Record<zomentumSandbox.BillingPeriod, string>> = {
  one_time: 'One-time',
  monthly: 'Monthly',
  quarterly: 'Quarterly',
  annually: 'Yearly',
};

type Line = Pick<zomentumSandbox.QuoteDocument['line_items'][number], 'name' | 'quantity' | 'billing_period' | 'sell_price'>;

interface ExpectedEstimate {
  customer: string;
  /** `name x quantity @ price`, sorted. */
  lines: string[];
}

const lineText = (name: string, quantity: number, price: number) => `${name} x ${quantity} @ ${price}`;

/**
 * Zomentum -> RepairShopr: won quotes of returning clients, each with lines on mixed billing periods, become the
 * client's customer and contacts, the products, and one estimate per billing period, each once.
 */
export class WonDeals implements Workload {
  readonly integration = INTEGRATION;
  private readonly vendors: ZomentumToRepairShopr;
  integrationId = '';

  constructor(
    stack: Stack<'zomentum' | 'repairshopr'>,
    private readonly api: ControlApi,
    private readonly random: SeededRandom,
    private readonly size: { deals: number; clients: number },
  ) {
    this.vendors = zomentumToRepairShopr(stack);
  }

  async setUp(): Promise<void> {
    const { zomentum, repairshopr } = this.vendors;
    await repairshopr.control.reset({ customers: 0, productsPerCategory: 0, estimates: 0 });
    await zomentum.control.reset({ clients: this.size.clients, contactsPerClient: 2, itemsPerCategory: 1, documents: 0 });
    await zomentum.control.seed({ documents: await this.wonDocuments() });
    // Zomentum publishes no limit: the connection is told to allow what the run needs, and the sandbox's is off.
    await zomentum.control.setRateLimit({ kind: 'off' });
    this.integrationId = (await this.vendors.createIntegration({ direction: 'push_only' }, { zomentumSettings: { requestsPerMinute: 6_000 } })).id;
  }

  async drive(): Promise<void> {
    await this.api('POST', `/v1/integrations/${this.integrationId}/sync`);
  }

  changesMade(): boolean {
    return true;
  }

  async tally(): Promise<TallyRow[]> {
    const { control } = this.vendors.zomentum;
    const documents = (await control.records<zomentumSandbox.QuoteDocument>('documents')).filter((document) => document.status === 'won');
    const clients = new Map((await control.records<zomentumSandbox.ClientCompany>('client_companies')).map((client) => [client.id, client]));
    const contacts = await control.records<zomentumSandbox.ClientUser>('client_users');
    const state = await this.vendors.repairshoprState();

    const expectedEstimates = new Map<string, ExpectedEstimate>();
    for (const document of documents) {
      const customer = clients.get(document.client_company_id)?.name ?? '?';
      const byPeriod = new Map<string, Line[]>();
      for (const line of document.line_items) byPeriod.set(line.billing_period, [...(byPeriod.get(line.billing_period) ?? []), line]);
      for (const [period, lines] of byPeriod) {
        const name = `${document.name} (${PERIOD_LABELS[period as zomentumSandbox.BillingPeriod] ?? period})`;
        expectedEstimates.set(name, { customer, lines: lines.map((line) => lineText(line.name, line.quantity, line.sell_price)).sort() });
      }
    }
    const customerName = new Map(state.customers.map((customer) => [customer.id, customer.business_name]));
    const estimates = tallyByKey(
      INTEGRATION,
      'estimate',
      expectedEstimates,
      state.estimates.map((estimate) => ({
        key: estimate.name ?? '',
        wrong: (expected: ExpectedEstimate) => {
          const lines = state.lineItems
            .filter((line) => line.estimate_id === estimate.id)
            .map((line) => lineText(line.item, Number(line.quantity), Number(line.price)))
            .sort();
          return firstDifference(differs('customer', customerName.get(estimate.customer_id), expected.customer), differs('lines', lines, expected.lines));
        },
      })),
    );

    const wonClients = new Set(documents.map((document) => document.client_company_id));
    const expectedCustomers = new Map([...wonClients].map((id) => [clients.get(id)?.name ?? id, true]));
    const expectedContacts = new Map(
      contacts.filter((contact) => wonClients.has(contact.client_company_id)).map((contact) => [String(contact.email).toLowerCase(), contact.client_company_id]),
    );
    const expectedProducts = new Map(documents.flatMap((document) => document.line_items.map((line) => [line.name, true] as const)));
    const noContent = () => undefined;
    return [
      tallyByKey(INTEGRATION, 'customer', expectedCustomers, state.customers.map((customer) => ({ key: customer.business_name ?? '', wrong: noContent }))),
      tallyByKey(
        INTEGRATION,
        'contact',
        expectedContacts,
        state.contacts.map((contact) => ({
          key: String(contact.email).toLowerCase(),
          wrong: (clientId: string) => differs('customer', customerName.get(contact.customer_id), clients.get(clientId)?.name),
        })),
      ),
      tallyByKey(INTEGRATION, 'product', expectedProducts, state.products.map((product) => ({ key: product.name, wrong: noContent }))),
      estimates,
    ];
  }

  entityOf(letter: DeadLetterOrigin): string | undefined {
    const ours = letter.integrationId === this.integrationId || letter.subject.startsWith('cmd.repairshopr.') || letter.sourceConnector === 'zomentum';
    if (!ours) return undefined;
    const entity = letter.subject.startsWith('cmd.repairshopr.') ? letter.subject.split('.')[2] : 'estimate';
    return ['customer', 'contact', 'product'].includes(entity) ? entity : 'estimate';
  }

  /** Won quotes spread over the clients, each quoting two to four catalogue items at one of their prices. */
  private async wonDocuments(): Promise<Array<Record<string, unknown>>> {
    const { control } = this.vendors.zomentum;
    const clients = await control.records<zomentumSandbox.ClientCompany>('client_companies');
    const contacts = await control.records<zomentumSandbox.ClientUser>('client_users');
    const items = await control.records<zomentumSandbox.Item>('items');
    return Array.from({ length: this.size.deals }, (_, index) => {
      const client = this.random.pick(clients);
      const lines = this.random.sample(items, this.random.int(2, 4)).map((item, position) => {
        const price = this.random.pick(item.pricing);
        return {
          id: `chaos-line-${index + 1}-${position + 1}`,
          item_id: item.id,
          name: item.name,
          description: null,
          quantity: this.random.int(1, 5),
          billing_period: price.billing_period,
          sell_price: price.sell_price,
          setup_price: 0,
          cost_price: price.cost_price,
          discount: 0,
        };
      });
      return {
        account_id: client.account_id,
        name: `Chaos deal ${String(index + 1).padStart(4, '0')}`,
        document_number: `CHAOS-${index + 1}`,
        status: 'won',
        client_company_id: client.id,
        client_user_ids: contacts.filter((contact) => contact.client_company_id === client.id).map((contact) => contact.id),
        line_items: lines,
      };
    });
  }
}
