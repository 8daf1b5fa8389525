import { useSandbox } from './harness';

const harness = useSandbox();

/** A webshop order as a connector writes it: the coupon as a discount line and its code on the order card. */
function webshopOrder(customerId: number, reference: string) {
  return {
    CustomerId: customerId,
    ReferenceId: reference,
    Number: `Webshop #${reference}`,
    CurrencyCode: 'HUF',
    Subject: `Shoprenter rendelés ${reference}`,
    Customer: { Name: 'Kovács Péter', Country: 'Magyarország', PostalCode: '1052', City: 'Budapest', Address: 'Petőfi utca 1.' },
    Items: [
      { SKU: 'MUG-001', Name: 'Kerámia bögre', PriceNet: '2362.00', Quantity: '2', Unit: 'db', VAT: '27' },
      { SKU: 'WELCOME10', Name: 'Kupon: WELCOME10', PriceNet: '-472.40', Quantity: '1', Unit: 'db', VAT: '27' },
    ],
    Project: { StatusId: 'Feldolgozás alatt', Text1301: 'WELCOME10' },
  };
}

describe('MiniCRM orders (/Api/Order)', () => {
  it('creates a Draft order with items, a coupon line and its card in the Order product; reads it back', async () => {
    const { order: orderCategory } = await harness.categories();
    const created = await harness.call('/Api/Order', { method: 'POST', body: webshopOrder(1, 'SR-172') });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ Id: expect.any(String), CustomerId: '1', Status: 'Draft', AmountNet: '4251.6000', Amount: '5399.5320' });
    const read = (await harness.call(`/Api/Order/${created.body.Id}`)).body;
    expect(read.Items).toEqual([
      expect.objectContaining({ SKU: 'MUG-001', PriceNet: '2362.000000', Quantity: '2.0000', VAT: '27%', PriceNetTotal: '4724.0000' }),
      expect.objectContaining({ SKU: 'WELCOME10', PriceNet: '-472.400000' }),
    ]);
    expect(read.Project).toEqual({ Name: 'Shoprenter rendelés SR-172', StatusId: 'Feldolgozás alatt', Text1301: 'WELCOME10' });
    // The natural-key lookup: the card by the shop's order id, then the order from the card.
    const cards = await harness.call(`/Api/R3/Project?CategoryId=${orderCategory}&ReferenceId=SR-172`);
    expect(cards.body.Count).toBe(1);
    const card = (await harness.call(`/Api/R3/Project/${Object.keys(cards.body.Results)[0]}`)).body;
    expect(card).toMatchObject({ CategoryId: orderCategory, ContactId: 1, OrderId: Number(created.body.Id), Text1301: 'WELCOME10' });
    const stored = await harness.sandbox.control.records<{ ReferenceId: string; Items: unknown[] }>('orders');
    expect(stored).toEqual([expect.objectContaining({ ReferenceId: 'SR-172', Items: expect.any(Array) })]);
  });

  it('updates a Draft only, moves status through the documented actions and answers 405 to an illegal one', async () => {
    const id = (await harness.call('/Api/Order', { method: 'POST', body: webshopOrder(1, 'SR-9') })).body.Id;
    const withoutCustomer = await harness.call(`/Api/Order/${id}`, { method: 'POST', body: { Subject: 'x' } });
    expect(withoutCustomer.status).toBe(400);
    const updated = await harness.call(`/Api/Order/${id}`, { method: 'POST', body: { CustomerId: 1, Items: [{ Name: 'Tollkészlet', PriceNet: 2755, Quantity: 1 }] } });
    expect(updated.body.Items).toHaveLength(3);
    const status = async (action: string) => (await harness.call(`/Api/Order/${id}/${action}`, { method: 'POST' }));
    expect((await status('Complete')).status).toBe(405);
    expect((await status('Finalize')).body).toMatchObject({ Status: 'In progress', Issued: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const locked = await harness.call(`/Api/Order/${id}`, { method: 'POST', body: { CustomerId: 1, Subject: 'late' } });
    expect([locked.status, locked.headers.get('content-type')]).toEqual([405, expect.stringContaining('text/plain')]);
    expect((await status('Complete')).body.Status).toBe('Completed');
    expect((await status('Paid')).body.Status).toBe('Paid');
    expect((await status('Edit')).status).toBe(405);
  });

  it('changes the order card’s status and coupon field through /Api/Order/{Id}/Project', async () => {
    const id = (await harness.call('/Api/Order', { method: 'POST', body: webshopOrder(1, 'SR-11') })).body.Id;
    const moved = await harness.call(`/Api/Order/${id}/Project`, { method: 'POST', body: { StatusId: 'Teljesítve', Text1301: 'WELCOME10, SAVE2000' } });
    expect(moved.status).toBe(200);
    expect((await harness.call(`/Api/Order/${id}`)).body.Project).toMatchObject({ StatusId: 'Teljesítve', Text1301: 'WELCOME10, SAVE2000' });
    const invalid = await harness.call(`/Api/Order/${id}/Project`, { method: 'POST', body: { StatusId: 'Vásárló' } });
    expect([invalid.status, invalid.text]).toEqual([400, "Order: Invalid value 'Vásárló' for the Status field."]);
  });

  it('lists issued orders only, with their status group', async () => {
    const ids = [];
    for (const reference of ['SR-1', 'SR-2', 'SR-3']) ids.push((await harness.call('/Api/Order', { method: 'POST', body: webshopOrder(1, reference) })).body.Id);
    await harness.call(`/Api/Order/${ids[0]}/Finalize`, { method: 'POST' });
    await harness.sandbox.control.advanceClock(5_000);
    await harness.call(`/Api/Order/${ids[2]}/Finalize`, { method: 'POST' });
    const list = await harness.call('/Api/Order/List');
    expect(list.body.Count).toBe(2);
    expect(Object.values(list.body.Results).map((order) => (order as { Id: string }).Id)).toEqual(expect.arrayContaining([ids[0], ids[2]]));
    expect(list.body.Results[ids[2]]).toMatchObject({ Type: 'Order', Status: 'In progress', StatusGroup: 'Open' });
  });

  it('refuses an unknown customer and a bad item with plain-text 400', async () => {
    const unknown = await harness.call('/Api/Order', { method: 'POST', body: { ...webshopOrder(9999, 'SR-X') } });
    expect([unknown.status, unknown.text]).toEqual([400, "Order: Invalid value '9999' for the CustomerId field."]);
    const badPrice = await harness.call('/Api/Order', { method: 'POST', body: { CustomerId: 1, Items: [{ Name: 'x', PriceNet: 'free' }] } });
    expect([badPrice.status, badPrice.text]).toEqual([400, "Order: Invalid value 'free' for the PriceNet field."]);
    expect(await harness.sandbox.control.records('orders')).toEqual([]);
  });
});
