import { EVENTS } from '@junction/contracts';
import type { Page } from '../src/client';
import { toContact } from '../src/streams/contacts';
import { toCustomer } from '../src/streams/customers';
import { readPages, type PageCursor } from '../src/streams/paged';
import { toProduct } from '../src/streams/products';
import { estimateNumber } from '../src/commands/estimate-create';

/** A vendor list in id order, `perPage` rows a page, like RepairShopr's. */
function pagedRows(ids: number[], perPage: number) {
  const reads: number[] = [];
  const fetchPage = async (page: number): Promise<Page<{ id: number }>> => {
    reads.push(page);
    const items = ids.slice((page - 1) * perPage, page * perPage).map((id) => ({ id }));
    return { items, meta: { page, total_pages: Math.max(1, Math.ceil(ids.length / perPage)) } };
  };
  return { reads, fetchPage };
}

async function pull(cursor: PageCursor | undefined, fetchPage: (page: number) => Promise<Page<{ id: number }>>) {
  const pages = [];
  for await (const page of readPages(cursor, fetchPage)) {
    pages.push({
      fresh: page.rows.filter((row) => !page.announced(row)).map((row) => String(row.id)),
      announced: page.rows.filter((row) => page.announced(row)).map((row) => String(row.id)),
      cursor: page.cursor,
    });
  }
  return pages;
}

describe('readPages', () => {
  it('reads every page once, all records new, and ends with the last page and id as cursor', async () => {
    const vendor = pagedRows([1, 2, 3, 4, 5], 2);
    const pages = await pull(undefined, vendor.fetchPage);
    expect(pages.map((page) => page.fresh)).toEqual([['1', '2'], ['3', '4'], ['5']]);
    expect(pages.at(-1)?.cursor).toEqual({ page: 3, lastId: 5 });
    expect(vendor.reads).toEqual([1, 2, 3]);
  });

  it('resumes a pass that stopped mid-way on its saved page; what it published counts as announced', async () => {
    const vendor = pagedRows([1, 2, 3, 4, 5, 6, 7], 2);
    // A crash after page 2 was saved: the cursor still names page 2.
    const pages = await pull({ page: 2, lastId: 4 }, vendor.fetchPage);
    expect(pages.map((page) => [page.announced, page.fresh])).toEqual([[['3', '4'], []], [[], ['5', '6']], [[], ['7']]]);
    expect(vendor.reads).toEqual([2, 3, 4]);
  });

  it('starts a new pass at page 1 after a finished one, so changed records on any page are read again', async () => {
    const vendor = pagedRows([1, 2, 3, 4, 5], 2);
    const pages = await pull({ page: 3, lastId: 5 }, vendor.fetchPage);
    expect(pages.map((page) => page.announced)).toEqual([['1', '2'], ['3', '4'], ['5']]);
    expect(pages.flatMap((page) => page.fresh)).toEqual([]);
    expect(vendor.reads).toEqual([3, 1, 2, 3]);
    expect(pages.at(-1)?.cursor).toEqual({ page: 3, lastId: 5 });
  });

  it('reads a single page once per run', async () => {
    const vendor = pagedRows([1, 2, 3], 5);
    const pages = await pull({ page: 1, lastId: 2 }, vendor.fetchPage);
    expect(pages).toEqual([{ fresh: ['3'], announced: ['1', '2'], cursor: { page: 1, lastId: 3 } }]);
    expect(vendor.reads).toEqual([1]);
  });
});

describe('RepairShopr records as canonical events', () => {
  const times = { created_at: '2024-01-02T03:04:05.000Z', updated_at: '2024-01-03T03:04:05.000Z' };

  it('turns a customer into a valid customer.created payload, leaving blank fields out', () => {
    const data = toCustomer({ id: 7, business_name: 'Acme', firstname: 'Ann', lastname: null, email: '', phone: null, mobile: '+1 555', address: '1 Main St', zip: '12345', ...times });
    expect(EVENTS['customer.created'].data.parse(data)).toEqual({
      sourceId: '7',
      businessName: 'Acme',
      firstName: 'Ann',
      phone: '+1 555',
      address: { line1: '1 Main St', postalCode: '12345' },
      createdAt: times.created_at,
      updatedAt: times.updated_at,
    });
  });

  it('splits a contact name and keeps its customer', () => {
    const data = toContact({ id: 3, customer_id: 7, name: 'Jane van Doe', email: 'jane@example.com', ...times });
    expect(EVENTS['contact.created'].data.parse(data)).toMatchObject({
      sourceId: '3',
      customerSourceId: '7',
      firstName: 'Jane',
      lastName: 'van Doe',
      email: 'jane@example.com',
    });
  });

  it('gives a product its own category and falls back to Default', () => {
    const row = { id: 9, name: 'Cable', description: 'USB-C', price_retail: 12.5, price_cost: 4, taxable: true, upc_code: null };
    expect(toProduct({ ...row, product_category: 'Hardware, Cables' })).toMatchObject({ category: 'Hardware', price: 12.5, cost: 4, billingPeriod: 'one_time' });
    expect(EVENTS['product.created'].data.parse(toProduct({ ...row, product_category: null })).category).toBe('Default');
  });
});

describe('estimateNumber', () => {
  it('is stable per source key and differs between billing periods', () => {
    expect(estimateNumber('zomentum:c1:deal:42:monthly')).toBe(estimateNumber('zomentum:c1:deal:42:monthly'));
    expect(estimateNumber('zomentum:c1:deal:42:monthly')).not.toBe(estimateNumber('zomentum:c1:deal:42:yearly'));
    expect(estimateNumber('x')).toMatch(/^JN-[0-9A-F]{10}$/);
  });
});
