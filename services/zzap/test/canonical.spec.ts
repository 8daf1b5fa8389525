import { EVENTS } from '@junction/contracts';
import {
  completeOrders,
  currencyOf,
  groupByOrder,
  moscowToIso,
  shiftMoscowTime,
  statusChangeKey,
  statusOf,
  toOrder,
  toStatusChange,
} from '../src/canonical';
import { SellerOrderRow, unwrapXmlString } from '../src/client';

/** A row as GetSellerOrdersV3 sends it (numbers partly as text), checked by the client's schema. */
function row(fields: Partial<Record<keyof SellerOrderRow, unknown>> = {}): SellerOrderRow {
  return SellerOrderRow.parse({
    code_order: 500001,
    create_date: '2024-05-01T11:33:21',
    class_man: 'Bosch',
    logopath: '',
    partnumber: 'ART-1',
    comment: '',
    class_cat: 'Колодки тормозные',
    qty_order: '2',
    qty: 'В наличии',
    price: 1010,
    code_cur: 'руб.',
    code_track: 2,
    descr_track: 'Принят в работу',
    date_track: '2024-05-01T11:38:21',
    code_doc_b: 9001,
    client_name: 'Иванов Иван',
    phone: '+79000000001',
    email: 'buyer1@example.com',
    ...fields,
  });
}

describe('Moscow times', () => {
  it('reads ZZap times as Moscow time (UTC+3) and writes them with the offset', () => {
    expect(moscowToIso('2024-05-01T11:33:21')).toBe('2024-05-01T11:33:21+03:00');
    expect(new Date(moscowToIso('2024-05-01 01:00:00')).toISOString()).toBe('2024-04-30T22:00:00.000Z');
    expect(moscowToIso('2024-05-01')).toBe('2024-05-01T00:00:00+03:00');
    expect(moscowToIso('2024-05-01T08:33:21Z')).toBe('2024-05-01T08:33:21Z');
    expect(() => moscowToIso('yesterday')).toThrow('unreadable ZZap time "yesterday"');
  });

  it('moves a time and writes it back as ZZap does, across midnight', () => {
    expect(shiftMoscowTime('2024-05-01T00:03:00', -5 * 60_000)).toBe('2024-04-30T23:58:00');
  });
});

describe('currencyOf', () => {
  it('maps ZZap abbreviations to ISO 4217 and refuses what it cannot name', () => {
    expect(['руб.', 'Руб', 'RUR', '', 'USD', 'eur', 'грн.'].map(currencyOf)).toEqual(['RUB', 'RUB', 'RUB', 'RUB', 'USD', 'EUR', 'UAH']);
    expect(() => currencyOf('у.е.')).toThrow('unknown ZZap currency "у.е."');
  });
});

describe('toOrder', () => {
  it('groups an order\'s parts into one canonical order with totals, buyer and status', () => {
    const rows = [
      row({ comment: 'Позвоните перед отправкой' }),
      row({ partnumber: 'OC90', class_man: 'Mahle', class_cat: 'Фильтр масляный', qty_order: 1, price: '1 640,50', comment: 'Позвоните перед отправкой', code_doc_b: null }),
    ];
    const order = EVENTS['order.created'].data.parse(toOrder(rows));
    expect(order).toEqual({
      sourceId: '500001',
      number: '500001',
      status: { id: '2', name: 'Принят в работу' },
      customer: { firstName: 'Иванов Иван', phone: '+79000000001', email: 'buyer1@example.com' },
      items: [
        { name: 'Колодки тормозные', article: 'ART-1', productSourceId: '9001', brand: 'Bosch', quantity: 2, unitPrice: 1010, total: 2020 },
        { name: 'Фильтр масляный', article: 'OC90', brand: 'Mahle', quantity: 1, unitPrice: 1640.5, total: 1640.5 },
      ],
      totals: { currency: 'RUB', subtotal: 3660.5, total: 3660.5 },
      coupons: [],
      comment: 'Позвоните перед отправкой',
      createdAt: '2024-05-01T11:33:21+03:00',
      updatedAt: '2024-05-01T11:38:21+03:00',
    });
  });

  it('names a part by brand and number when it has no name, and refuses what cannot be published', () => {
    expect(toOrder([row({ class_cat: '' })]).items[0].name).toBe('Bosch ART-1');
    expect(() => toOrder([row({ qty_order: '0' })])).toThrow('has quantity 0');
    expect(() => toOrder([row(), row({ code_cur: 'USD' })])).toThrow('mixes currencies RUB, USD');
  });
});

describe('completeOrders', () => {
  const at = (minute: number) => `2024-05-01T12:${String(minute).padStart(2, '0')}:00`;
  const rows = [
    row({ code_order: 1, date_track: at(1) }),
    row({ code_order: 2, date_track: at(2) }),
    row({ code_order: 2, date_track: at(2), partnumber: 'ART-2' }),
    row({ code_order: 3, date_track: at(3) }),
    // Order 3's second part did not fit into the answer.
  ];

  it('keeps every order of an answer that was not full', () => {
    const { orders, cutAt } = completeOrders(rows, false);
    expect(orders.map((parts) => [parts[0].code_order, parts.length])).toEqual([[1, 1], [2, 2], [3, 1]]);
    expect(cutAt).toBeUndefined();
  });

  it('holds back the last instant of a full answer, which may end inside an order, to ask again from it', () => {
    const { orders, cutAt } = completeOrders(rows, true);
    expect(orders.map((parts) => [parts[0].code_order, parts.length])).toEqual([[1, 1], [2, 2]]);
    expect(cutAt).toBe(at(3));
  });

  it('holds back everything when a full answer is one instant: only a bigger answer gets past it', () => {
    expect(completeOrders(rows.slice(1, 3), true)).toEqual({ orders: [], cutAt: at(2) });
  });

  it('groups parts by order even when another order\'s rows come between them', () => {
    expect(groupByOrder([rows[0], rows[1], rows[3], rows[2]]).map((parts) => parts.length)).toEqual([1, 2, 1]);
  });
});

describe('status changes', () => {
  it('are canonical changes made by a user, keyed by from, to and time without whitespace', () => {
    const order = toOrder([row({ code_track: 6, descr_track: 'Отказ', date_track: '2024-05-02T09:00:00' })]);
    const change = EVENTS['order.status.changed'].data.parse(toStatusChange(order, statusOf(2, 'Принят в работу')));
    expect(change).toEqual({
      orderSourceId: '500001',
      orderNumber: '500001',
      from: { id: '2', name: 'Принят в работу' },
      to: { id: '6', name: 'Отказ' },
      changedAt: '2024-05-02T09:00:00+03:00',
      changedBy: { kind: 'user' },
    });
    expect(statusChangeKey(change)).toBe('status-2-6-20240502T0900000300');
    expect(statusOf(7, ' ')).toEqual({ id: '7', name: '#7' });
  });
});

describe('unwrapXmlString', () => {
  it('takes the JSON out of ASP.NET\'s XML string, unescaped', () => {
    const xml = '<?xml version="1.0" encoding="utf-8"?>\n<string xmlns="http://tempuri.org/">{"error":"","q":"a &lt;b&gt; &amp; &#1046;"}</string>';
    expect(JSON.parse(unwrapXmlString(xml) as string)).toEqual({ error: '', q: 'a <b> & Ж' });
    expect(unwrapXmlString('<string xmlns="http://tempuri.org/" />')).toBe('');
    expect(unwrapXmlString('<html>Bad gateway</html>')).toBeUndefined();
  });
});
