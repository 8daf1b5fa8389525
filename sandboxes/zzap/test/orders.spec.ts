import { moscowTime, SEEDED, type SellerOrder } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();
const list = (parameters: Record<string, string> = {}) => harness.call('GetSellerOrdersV3', { row_count: '100', call_data: '', ...parameters });

describe('ZZap seller orders', () => {
  it('lists the cabinet\'s buyer orders, one part each, oldest event first, without scoping fields', async () => {
    const { result } = await list();
    expect(result.error).toBe('');
    expect(result.row_count).toBe(5);
    const rows = result.table as SellerOrder[];
    expect(rows[0]).toEqual({
      code_order: expect.any(Number),
      create_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
      class_man: 'Bosch',
      logopath: '',
      partnumber: 'ART-1',
      comment: '',
      class_cat: 'Колодки тормозные',
      imagepath: '',
      imagepathV2: [],
      qty_order: '2',
      qty: 'В наличии',
      price: 1010,
      code_cur: 'руб.',
      code_track: 1,
      descr_track: 'Новый',
      date_track: rows[0].create_date,
      code_doc_b: 9001,
      client_name: 'Покупатель 1',
      phone: '+79000000001',
      email: 'buyer1@example.com',
    });
    const dates = rows.map((row) => row.date_track);
    expect([...dates].sort()).toEqual(dates);
    expect(rows.map((row) => row.code_track)).toEqual([1, 2, 4, 2, 1]);
  });

  it('caps at row_count and filters by last-event window and status codes', async () => {
    await harness.sandbox.control.reset({ orders: 12 });
    await harness.sandbox.control.setRateLimit({ kind: 'off' });
    const capped = await list({ row_count: '4' });
    expect(capped.result.row_count).toBe(4);
    const last = capped.result.table[3] as SellerOrder;
    // A poller resumes from the last event it saw (inclusive, so it de-duplicates by code_order and status).
    const next = await list({ date_from: last.date_track });
    expect((next.result.table as SellerOrder[])[0].code_order).toBe(last.code_order);
    const ready = await list({ codes_track: '4;6' });
    expect((ready.result.table as SellerOrder[]).every((row) => row.code_track === 4)).toBe(true);
    expect(ready.result.row_count).toBe(4);
    expect((await list({ row_count: '0' })).result.error).toBe('Неверное значение row_count');
    expect((await list({ date_from: 'yesterday' })).result.error).toBe('Неверный формат даты');
  });

  it('answers one row per part of a multi-part order, and a full answer may end inside an order', async () => {
    const [seeded] = (
      await harness.sandbox.control.seed({
        orders: [{ partnumber: 'ART-1', class_man: 'Bosch', price: 1010, extra_parts: [{ partnumber: 'OC90', class_man: 'Mahle', price: 640, qty_order: '2' }] }],
      })
    ).orders as unknown as SellerOrder[];
    const rows = (await list()).result.table as SellerOrder[];
    const parts = rows.filter((row) => row.code_order === seeded.code_order);
    expect(parts.map((row) => [row.partnumber, row.class_man, row.price, row.qty_order, row.client_name])).toEqual([
      ['ART-1', 'Bosch', 1010, '1', ''],
      ['OC90', 'Mahle', 640, '2', ''],
    ]);
    expect(rows.at(-1)).not.toHaveProperty('extra_parts');
    const cut = (await list({ row_count: '6' })).result.table as SellerOrder[];
    expect(cut.map((row) => row.code_order).filter((code) => code === seeded.code_order)).toHaveLength(1);
  });

  it('reads date_from in Moscow time, or as an instant when it has a zone', async () => {
    const now = await harness.sandbox.control.advanceClock(0);
    const inOneMinute = new Date(Date.parse(now) + 60_000);
    expect((await list({ date_from: inOneMinute.toISOString() })).result.row_count).toBe(0);
    expect((await list({ date_from: moscowTime(new Date(Date.parse(now) - 3_600_000)) })).result.row_count).toBe(5);
  });

  it('changes a status with SetOrderStatusV3; the change shows as a new last event', async () => {
    const before = (await list()).result.table as SellerOrder[];
    await harness.sandbox.control.advanceClock(60_000);
    const target = before[0];
    expect((await harness.call('SetOrderStatusV3', { code_order: String(target.code_order), code_track: '5', response: 'Выдан', call_data: '' })).result).toEqual({ error: '' });
    const after = (await list({ date_from: moscowTime(new Date(Date.parse(await harness.sandbox.control.advanceClock(0)) - 1000)) })).result.table as SellerOrder[];
    expect(after.map((row) => [row.code_order, row.code_track, row.descr_track])).toEqual([[target.code_order, 5, 'Выдан']]);
    expect((await harness.sandbox.control.records<{ changed_by: string }>('orders'))[0].changed_by).toBe('api');
    const refusals = [
      await harness.call('SetOrderStatusV3', { code_order: '1', code_track: '2', call_data: '' }),
      await harness.call('SetOrderStatusV3', { code_order: String(target.code_order), code_track: '99', call_data: '' }),
    ];
    expect(refusals.map((refusal) => refusal.result.error)).toEqual(['Заказ не найден', 'Неверный код статуса']);
  });

  it('changes a status as the buyer or seller through the control API, and keeps cabinets apart', async () => {
    const [first] = (await list()).result.table as SellerOrder[];
    const changed = await harness.changeStatusAs(first.code_order, { code_track: 6, by: 'buyer' });
    expect(changed.body.order).toMatchObject({ code_order: first.code_order, code_track: 6, descr_track: 'Отказ' });
    expect((await harness.changeStatusAs(first.code_order, { code_track: 42, by: 'seller' })).status).toBe(400);
    const other = await harness.call('GetSellerOrdersV3', { ...SEEDED.other, row_count: '100', call_data: '' });
    expect((other.result.table as SellerOrder[]).map((row) => row.client_name)).toEqual(['Чужой покупатель']);
    const foreign = await harness.call('SetOrderStatusV3', { code_order: String(other.result.table[0].code_order), code_track: '2', call_data: '' });
    expect(foreign.result.error).toBe('Заказ не найден');
  });
});
