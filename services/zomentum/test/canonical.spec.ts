import { EVENTS } from '@junction/contracts';
import { toDeal, UNCATEGORIZED } from '../src/canonical';
import type { ZClient, ZContact, ZDocument, ZItem, ZListPage } from '../src/client';
import { readChanges, type ChangeCursor } from '../src/streams/changes';

const at = (hour: number) => `2026-01-01T${String(hour).padStart(2, '0')}:00:00.000Z`;

describe('toDeal', () => {
  const client: ZClient = { id: 'c1', name: 'Alpine Dental', email: 'it@alpine.example', phone: null, billing_address: null, created_at: at(1), updated_at: at(1) };
  const contact: ZContact = { id: 'u1', client_company_id: 'c1', name: { first: 'Ann', last: 'Lee' }, email: null, phone: null, created_at: at(1), updated_at: at(1) };
  const backup: ZItem = {
    id: 'i1',
    name: 'Managed Backup',
    description: null,
    type: 'service',
    sku: null,
    category: { id: 'k1', name: 'Service' },
    pricing: [
      { billing_period: 'monthly', sell_price: 13, setup_price: 50, cost_price: 7 },
      { billing_period: 'annually', sell_price: 140, setup_price: 0, cost_price: 80 },
    ],
    created_at: at(1),
    updated_at: at(1),
  };
  const line = { description: null, cost_price: 7, discount: 0 };
  const document: ZDocument = {
    id: 'd1',
    name: 'Proposal',
    document_number: 'Q-1001',
    status: 'won',
    client_company_id: 'c1',
    client_user_ids: ['u1'],
    currency_code: 'usd',
    line_items: [
      { ...line, id: 'l1', item_id: 'i1', name: 'Managed Backup', quantity: 2, billing_period: 'monthly', sell_price: 13, setup_price: 50 },
      { ...line, id: 'l2', item_id: 'i1', name: 'Managed Backup', quantity: 1, billing_period: 'annually', sell_price: 140, setup_price: 0 },
      { ...line, id: 'l3', item_id: null, name: 'On-site visit', quantity: 1, billing_period: 'one_time', sell_price: 90, setup_price: 0 },
    ],
    total: 366,
    updated_at: at(5),
  };

  it('is a valid deal.won with setup fees as one-time lines and yearly billing', () => {
    const deal = EVENTS['deal.won'].data.parse(toDeal(document, client, [contact], new Map([['i1', backup]])));
    expect(deal).toMatchObject({ sourceId: 'd1', number: 'Q-1001', currency: 'USD', wonAt: at(5), customer: { businessName: 'Alpine Dental' } });
    expect(deal.contacts).toEqual([expect.objectContaining({ sourceId: 'u1', customerSourceId: 'c1', firstName: 'Ann' })]);
    expect(deal.lineItems.map((item) => [item.sourceId, item.billingPeriod, item.unitPrice, item.product.price])).toEqual([
      ['l1', 'monthly', 13, 13],
      ['l1-setup', 'one_time', 50, 13],
      ['l2', 'yearly', 140, 140],
      ['l3', 'one_time', 90, 90],
    ]);
    expect(deal.lineItems[3].product).toMatchObject({ sourceId: 'line-l3', category: UNCATEGORIZED });
  });
});

describe('readChanges', () => {
  /** 250 rows a minute apart; Zomentum pages of 100 in a stable order. */
  const rows = Array.from({ length: 250 }, (_, index) => ({ id: `r${index}`, created_at: new Date(Date.UTC(2026, 0, 1, 0, index)).toISOString(), updated_at: at(0) }));
  const filtersSeen: string[] = [];
  const fetchPage = async (page: number, filter: string): Promise<ZListPage<(typeof rows)[number]>> => {
    filtersSeen.push(`${page}|${filter}`);
    const since = /created_at:gte:([^;]+);/.exec(filter)?.[1];
    const matching = rows.filter((row) => !since || row.created_at >= since);
    return { items: matching.slice((page - 1) * 100, page * 100), total: matching.length };
  };
  const pull = async (cursor?: ChangeCursor, stopAfter = Infinity) => {
    const keys: string[] = [];
    let last: ChangeCursor | undefined;
    let pages = 0;
    const query = { field: 'created_at' as const, fetchPage, toRecords: async (items: typeof rows) => ({ records: items.map((row) => ({ key: row.id, data: { sourceId: row.id, businessName: 'Contoso' }, occurredAt: row.created_at })), failed: [] }) };
    for await (const page of readChanges(cursor, query)) {
      keys.push(...page.records.map((record) => record.key));
      last = page.cursor;
      if (++pages >= stopAfter) break;
    }
    return { keys, cursor: last };
  };

  it('resumes after the last published page and then moves since to the latest record, inclusively', async () => {
    const crashed = await pull(undefined, 1);
    expect(crashed.cursor).toEqual({ since: undefined, page: 1, latest: rows[99].created_at });
    const resumed = await pull(crashed.cursor);
    expect([...crashed.keys, ...resumed.keys]).toEqual(rows.map((row) => row.id));
    expect(resumed.cursor).toEqual({ since: rows[249].created_at, page: 0, latest: rows[249].created_at });

    const next = await pull(resumed.cursor);
    expect(next.keys).toEqual(['r249']);
    expect(filtersSeen.at(-1)).toBe(`1|created_at:gte:${rows[249].created_at};`);
  });
});
