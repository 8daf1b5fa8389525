import { BillingPeriod, Customer, Deal, Money, Order, OrderStatusChange, Product, Timestamp } from './entities';
import { EVENT_EXAMPLES } from './examples';

const deal = EVENT_EXAMPLES['deal.won'].data;
const order = EVENT_EXAMPLES['order.created'].data;

describe('BillingPeriod', () => {
  it('knows every period a quote line can have', () => {
    expect(BillingPeriod.options).toEqual([
      'one_time',
      'weekly',
      'monthly',
      'quarterly',
      'semi_annually',
      'yearly',
      'biennially',
      'triennially',
    ]);
  });

  it('rejects vendor spellings, which connectors must translate', () => {
    expect(BillingPeriod.safeParse('Monthly').success).toBe(false);
    expect(BillingPeriod.safeParse('annually').success).toBe(false);
  });
});

describe('Money and Timestamp', () => {
  it('accept finite amounts and reject the rest', () => {
    expect(Money.parse(-12.5)).toBe(-12.5);
    expect(Money.safeParse(Number.POSITIVE_INFINITY).success).toBe(false);
    expect(Money.safeParse(Number.NaN).success).toBe(false);
    expect(Money.safeParse('12.5').success).toBe(false);
  });

  it('require an offset so a timestamp names one instant', () => {
    expect(Timestamp.safeParse('2024-09-23T18:00:00Z').success).toBe(true);
    expect(Timestamp.safeParse('2024-09-23T18:00:00.123+03:00').success).toBe(true);
    expect(Timestamp.safeParse('2024-09-23T18:00:00').success).toBe(false);
    expect(Timestamp.safeParse('23-09-2024 18:00').success).toBe(false);
  });
});

describe('Customer', () => {
  it('accepts a company without a person and a person without a company', () => {
    expect(Customer.safeParse({ sourceId: '1', businessName: 'Acme' }).success).toBe(true);
    expect(Customer.safeParse({ sourceId: '1', lastName: 'Lovelace' }).success).toBe(true);
  });

  it('needs a business name or a name', () => {
    const result = Customer.safeParse({ sourceId: '1', email: 'someone@example.com' });
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['businessName'], message: 'A customer needs a businessName or a firstName/lastName' }),
    ]);
  });
});

describe('Product', () => {
  it('requires a category and a billing period', () => {
    const result = Product.safeParse({ sourceId: 'p-1', name: 'Backup', price: 10 });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['category'], ['billingPeriod']]);
  });
});

describe('Deal', () => {
  it('accepts a won quote with its customer, contacts and line items', () => {
    expect(Deal.parse(deal)).toEqual(deal);
  });

  it('rejects a line item with a quantity of zero', () => {
    const lineItems = [{ ...deal.lineItems[0], quantity: 0 }];
    const result = Deal.safeParse({ ...deal, lineItems });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['lineItems', 0, 'quantity']]);
  });

  it('rejects a currency that is not an ISO 4217 code', () => {
    expect(Deal.safeParse({ ...deal, currency: 'euro' }).success).toBe(false);
  });

  it("validates the deal's customer as a Customer", () => {
    const result = Deal.safeParse({ ...deal, customer: { sourceId: '4711' } });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['customer', 'businessName']]);
  });
});

describe('Order', () => {
  it('accepts an order with coupons and totals', () => {
    expect(Order.parse(order)).toEqual(order);
  });

  it('requires totals with a currency', () => {
    const result = Order.safeParse({ ...order, totals: { subtotal: 1, total: 1 } });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['totals', 'currency']]);
  });
});

describe('OrderStatusChange', () => {
  it('records who made the change, so Junction can skip its own writes', () => {
    const change = EVENT_EXAMPLES['order.status.changed'].data;
    expect(OrderStatusChange.parse({ ...change, changedBy: { kind: 'junction' } }).changedBy.kind).toBe('junction');
    expect(OrderStatusChange.safeParse({ ...change, changedBy: { kind: 'robot' } }).success).toBe(false);
  });

  it('may name the record the order was created from, in a system Junction connects', () => {
    const { orderOrigin: _origin, ...change } = EVENT_EXAMPLES['order.status.changed'].data;
    expect(OrderStatusChange.parse(change).orderOrigin).toBeUndefined();
    expect(OrderStatusChange.parse({ ...change, orderOrigin: { connector: 'zzap', sourceId: '1042' } }).orderOrigin).toEqual({
      connector: 'zzap',
      sourceId: '1042',
    });
    expect(OrderStatusChange.safeParse({ ...change, orderOrigin: { connector: 'website', sourceId: 'A1' } }).success).toBe(false);
  });
});
