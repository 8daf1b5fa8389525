import { SEEDED } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();
const site = SEEDED.sites.zzap;

interface Entry {
  id: number;
  source: string;
  field: string;
  created?: boolean;
  apiKey?: { current: boolean };
  user?: { id: number };
  newValue: unknown;
  order: { id: number };
}

describe('RetailCRM order history', () => {
  it('records who made each change: our key, another API client, a CRM user', async () => {
    const created = await harness.call('/orders/create', { form: { site, order: { externalId: 'H1' } } });
    const id = created.body.id;
    await harness.call(`/orders/${id}/edit`, { form: { order: { status: 'client-confirmed' } } });
    expect((await harness.changeStatusAs(id, { status: 'assembling', apiKey: SEEDED.apiKeys.warehouse })).status).toBe(200);
    expect((await harness.changeStatusAs(id, { status: 'complete', user: SEEDED.userId })).body.order.status).toBe('complete');

    const { body } = await harness.call(`/orders/history?filter[orderId]=${id}`);
    const entries = body.history as Entry[];
    expect(entries.map(({ source, field, created, apiKey, user, newValue }) => ({ source, field, created, apiKey, user, newValue }))).toEqual([
      { source: 'api', field: 'status', created: true, apiKey: { current: true }, user: undefined, newValue: { code: 'new' } },
      { source: 'api', field: 'status', created: undefined, apiKey: { current: true }, user: undefined, newValue: { code: 'client-confirmed' } },
      { source: 'api', field: 'status', created: undefined, apiKey: { current: false }, user: undefined, newValue: { code: 'assembling' } },
      { source: 'user', field: 'status', created: undefined, apiKey: undefined, user: { id: SEEDED.userId }, newValue: { code: 'complete' } },
    ]);
    // The same history read with the other client's key: "current" is about the caller.
    const theirs = await harness.call(`/orders/history?filter[orderId]=${id}`, { key: SEEDED.apiKeys.warehouse });
    expect((theirs.body.history as Entry[]).map((entry) => entry.apiKey?.current)).toEqual([false, false, true, undefined]);
    expect(entries[0]).toMatchObject({ order: { id, externalId: 'H1', items: [] } });
    expect(entries[3]).toMatchObject({ oldValue: { code: 'assembling' }, order: { id, site, status: 'complete' } });
  });

  it('pages by filter[sinceId] in ascending id order, so a saved last id resumes without gaps or repeats', async () => {
    const orders = Array.from({ length: 30 }, (_, n) => ({ externalId: `S${n}` }));
    await harness.call('/orders/upload', { form: { site, orders: orders.slice(0, 20) } });
    await harness.call('/orders/upload', { form: { site, orders: orders.slice(20) } });
    const seen: number[] = [];
    let sinceId = 0;
    for (;;) {
      const page = await harness.call(`/orders/history?filter[sinceId]=${sinceId}&limit=20`);
      const ids = (page.body.history as Entry[]).map((entry) => entry.id);
      if (ids.length === 0) break;
      seen.push(...ids);
      sinceId = ids[ids.length - 1];
    }
    // Two seeded website orders plus the 30 uploaded.
    expect(seen).toHaveLength(32);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(32);
    const pages = await harness.call('/orders/history?page=2&limit=20');
    expect(pages.body.pagination).toEqual({ limit: 20, totalCount: 32, currentPage: 2, totalPageCount: 2 });
    expect(pages.body.generatedAt).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('hides history of sites the key cannot reach, and refuses unknown control input', async () => {
    await harness.call('/orders/create', { form: { site, order: { externalId: 'Hidden' } } });
    const websiteOnly = await harness.call('/orders/history', { key: SEEDED.apiKeys.websiteOnly });
    expect(websiteOnly.body.pagination.totalCount).toBe(2);
    expect((await harness.changeStatusAs(1, { status: 'nope', user: SEEDED.userId })).status).toBe(400);
    expect((await harness.changeStatusAs(999, { status: 'new', user: SEEDED.userId })).status).toBe(404);
  });
});
