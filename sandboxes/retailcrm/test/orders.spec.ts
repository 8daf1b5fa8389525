import { SEEDED } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();
const site = SEEDED.sites.zzap;

describe('RetailCRM orders', () => {
  it('creates an order from the form field, matching items by offer externalId and keeping free-text items', async () => {
    const created = await harness.call('/orders/create', {
      form: {
        site,
        order: {
          externalId: 'Z-100',
          firstName: 'Anna',
          items: [
            { offer: { externalId: 'ext-2' }, quantity: 2 },
            { productName: 'Oil filter (no match)', initialPrice: 500, quantity: 1 },
          ],
        },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ success: true, id: expect.any(Number), order: { site, status: 'new', externalId: 'Z-100', summ: 2 * 1020 + 500 } });
    expect(created.body.order.items.map((item: { productName: string; offer?: { article: string } }) => [item.productName, item.offer?.article])).toEqual([
      ['Brake pad set 2', 'ART-2'],
      ['Oil filter (no match)', undefined],
    ]);
    const byExternalId = await harness.call(`/orders/Z-100?by=externalId&site=${site}`);
    expect(byExternalId.body.order.id).toBe(created.body.id);
    expect((await harness.call(`/orders/${created.body.id}`)).body.order.externalId).toBe('Z-100');
  });

  it('answers validation errors in its envelope', async () => {
    await harness.call('/orders/create', { form: { site, order: { externalId: 'Z-1' } } });
    const refused = await harness.call('/orders/create', { form: { site, order: { externalId: 'Z-1', status: 'nope', items: [{ offer: { id: 9999 } }] } } });
    expect(refused).toMatchObject({
      status: 400,
      body: { success: false, errorMsg: 'Errors in the entity format', errors: { status: expect.any(String), externalId: expect.any(String), 'items[0].offer': 'Offer not found' } },
    });
    expect((await harness.call('/orders/create', { form: { site } })).body).toEqual({ success: false, errorMsg: "Parameter 'order' is missing" });
    expect((await harness.call('/orders/create', { form: { order: {} } })).body.errorMsg).toBe("Parameter 'site' is missing");
    expect(await harness.call('/orders/424242')).toMatchObject({ status: 404, body: { success: false, errorMsg: 'Not found' } });
    expect((await harness.call('/orders?limit=30')).body).toMatchObject({ success: false, errorMsg: 'Errors in the input parameters', errors: { limit: expect.any(String) } });
  });

  it('uploads a batch, reporting the orders that failed with its 460', async () => {
    const orders = [{ externalId: 'B1' }, { externalId: 'B2', status: 'assembling' }];
    const uploaded = await harness.call('/orders/upload', { form: { site, orders } });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.uploadedOrders).toEqual([
      { id: expect.any(Number), externalId: 'B1' },
      { id: expect.any(Number), externalId: 'B2' },
    ]);
    // An externalId the store has, one repeated in the same upload, an unknown status: each refused alone.
    const partial = await harness.call('/orders/upload', {
      form: { site, orders: [{ externalId: 'B1' }, { externalId: 'B3' }, { externalId: 'B3' }, { externalId: 'B4', status: 'nope' }] },
    });
    expect(partial.status).toBe(460);
    expect(partial.body).toMatchObject({
      success: false,
      errorMsg: 'Orders are loaded with errors',
      uploadedOrders: [{ id: expect.any(Number), externalId: 'B3' }],
      failedOrders: [{ externalId: 'B1' }, { externalId: 'B3' }, { externalId: 'B4' }],
      errors: [
        'externalId: Order with externalId "B1" already exists.',
        'externalId: Order with externalId "B3" already exists.',
        'status: Status "nope" does not exist.',
      ],
    });
    expect((await harness.call(`/orders?filter[sites][]=${site}`)).body.pagination.totalCount).toBe(3);
  });

  it('takes an upload only with a writing key, for a store the key reaches, of at most 50 orders', async () => {
    const orders = [{ externalId: 'U1' }];
    expect(await harness.call('/orders/upload', { key: null, form: { site, orders } })).toMatchObject({ status: 403, body: { errorMsg: '"apiKey" is missing.' } });
    expect(await harness.call('/orders/upload', { key: SEEDED.apiKeys.readOnly, form: { site, orders } })).toMatchObject({ status: 403, body: { errorMsg: 'Access denied.' } });
    expect(await harness.call('/orders/upload', { key: SEEDED.apiKeys.websiteOnly, form: { site, orders } })).toMatchObject({ status: 403, body: { errorMsg: 'Access denied.' } });
    expect((await harness.call('/orders/upload', { form: { orders } })).body.errorMsg).toBe("Parameter 'site' is missing");
    expect((await harness.call('/orders/upload', { form: { site } })).body.errorMsg).toBe("Parameter 'orders' is missing");
    const tooMany = Array.from({ length: 51 }, (_, n) => ({ externalId: `U${n}` }));
    expect(await harness.call('/orders/upload', { form: { site, orders: tooMany } })).toMatchObject({ status: 400, body: { success: false } });
    // The website-only key writes to its one site without naming it.
    const own = await harness.call('/orders/upload', { key: SEEDED.apiKeys.websiteOnly, form: { orders } });
    expect(own).toMatchObject({ status: 201, body: { orders: [{ site: SEEDED.sites.website, externalId: 'U1' }] } });
    expect((await harness.call(`/orders?filter[sites][]=${site}`)).body.pagination.totalCount).toBe(0);
  });

  it('filters and paginates the order list with its pagination block', async () => {
    const orders = Array.from({ length: 25 }, (_, n) => ({ externalId: `P${n + 1}`, status: n % 5 === 0 ? 'complete' : 'new' }));
    await harness.call('/orders/upload', { form: { site, orders: orders.slice(0, 20) } });
    await harness.call('/orders/upload', { form: { site, orders: orders.slice(20) } });
    const first = await harness.call(`/orders?filter[sites][]=${site}`);
    expect(first.body.pagination).toEqual({ limit: 20, totalCount: 25, currentPage: 1, totalPageCount: 2 });
    const second = await harness.call(`/orders?filter[sites][]=${site}&page=2`);
    expect(second.body.orders).toHaveLength(5);
    const complete = await harness.call(`/orders?filter[extendedStatus][]=complete&limit=50`);
    expect(complete.body.orders.map((order: { externalId: string }) => order.externalId).sort()).toEqual(['P1', 'P11', 'P16', 'P21', 'P6']);
    const byIds = await harness.call('/orders?filter[externalIds][]=P3&filter[externalIds][]=web-1');
    expect(byIds.body.pagination.totalCount).toBe(2);
    // The website-only key does not see the ZZap site's orders.
    expect((await harness.call('/orders', { key: SEEDED.apiKeys.websiteOnly })).body.pagination.totalCount).toBe(2);
  });

  it('edits an order by id or externalId', async () => {
    const created = await harness.call('/orders/create', { form: { site, order: { externalId: 'E1' } } });
    const edited = await harness.call('/orders/E1/edit', { form: { by: 'externalId', site, order: { status: 'assembling', managerComment: 'packed' } } });
    expect(edited.body).toMatchObject({ success: true, id: created.body.id, order: { status: 'assembling', managerComment: 'packed' } });
    expect((await harness.call(`/orders/statuses?ids[]=${created.body.id}`)).body.orders).toEqual([{ id: created.body.id, externalId: 'E1', status: 'assembling', group: 'assembling' }]);
  });
});
