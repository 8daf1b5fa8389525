import { EVENTS } from '@junction/contracts';
import { accountTimeToIso } from '../src/account-time';
import type { RcHistoryEntry } from '../src/client';
import { changedByOf, statusRecords } from '../src/status-change';

const names = new Map([
  ['new', 'Новый'],
  ['assembling', 'Комплектуется'],
]);

const entry = (fields: Partial<RcHistoryEntry>): RcHistoryEntry => ({
  id: 7044,
  createdAt: '2024-09-23 18:00:00',
  source: 'user',
  field: 'status',
  oldValue: { code: 'new' },
  newValue: { code: 'assembling' },
  order: { id: 2034 },
  ...fields,
});

describe('accountTimeToIso', () => {
  it("reads RetailCRM's offset-less DateTime in the account's time zone", () => {
    expect(accountTimeToIso('2024-09-23 18:00:00', 'Europe/Moscow')).toBe('2024-09-23T15:00:00.000Z');
    expect(accountTimeToIso('2024-09-23 18:00:00', 'UTC')).toBe('2024-09-23T18:00:00.000Z');
  });

  it('follows daylight saving time', () => {
    expect(accountTimeToIso('2024-07-01 12:00:00', 'Europe/Berlin')).toBe('2024-07-01T10:00:00.000Z');
    expect(accountTimeToIso('2024-12-01 12:00:00', 'Europe/Berlin')).toBe('2024-12-01T11:00:00.000Z');
    // 02:30 does not exist on 31 March in Berlin; the hour after the jump is read on the new offset.
    expect(accountTimeToIso('2024-03-31 03:30:00', 'Europe/Berlin')).toBe('2024-03-31T01:30:00.000Z');
  });

  it('refuses anything else', () => {
    expect(() => accountTimeToIso('2024-09-23T18:00:00Z', 'UTC')).toThrow('not a RetailCRM DateTime');
  });
});

describe('changedByOf', () => {
  it("tells Junction's own key from another API client, a CRM user and automation", () => {
    expect(changedByOf({ source: 'api', apiKey: { current: true } })).toEqual({ kind: 'junction' });
    expect(changedByOf({ source: 'api', apiKey: { current: false } })).toEqual({ kind: 'api_client' });
    expect(changedByOf({ source: 'api' })).toEqual({ kind: 'api_client' });
    expect(changedByOf({ source: 'user' })).toEqual({ kind: 'user' });
    for (const source of ['rule', 'code', 'auto', 'missing']) expect(changedByOf({ source })).toEqual({ kind: 'system' });
  });
});

describe('statusRecords', () => {
  it('turns a status entry into an order.status.changed keyed by the order and the entry', () => {
    const { records, failed } = statusRecords([entry({})], names, 'Europe/Moscow');
    expect(failed).toEqual([]);
    expect(records).toEqual([
      {
        key: '2034',
        changeKey: '7044',
        occurredAt: '2024-09-23T15:00:00.000Z',
        data: {
          orderSourceId: '2034',
          changeSourceId: '7044',
          from: { id: 'new', name: 'Новый' },
          to: { id: 'assembling', name: 'Комплектуется' },
          changedAt: '2024-09-23T15:00:00.000Z',
          changedBy: { kind: 'user' },
        },
      },
    ]);
    expect(() => EVENTS['order.status.changed'].data.parse(records[0].data)).not.toThrow();
  });

  it("tells an order's first status without a from, with its number, and a status it does not know by its code", () => {
    const created = entry({ source: 'api', apiKey: { current: true }, oldValue: null, newValue: { code: 'gone' }, order: { id: 5, number: '5A' } });
    const [record] = statusRecords([created], names, 'UTC').records;
    expect(record.data).toEqual(expect.objectContaining({ orderNumber: '5A', to: { id: 'gone', name: 'gone' }, changedBy: { kind: 'junction' } }));
    expect(record.data).not.toHaveProperty('from');
  });

  it('names the order Junction created the order from, by its externalId, and no origin for any other externalId', () => {
    const fromZzap = entry({ order: { id: 2034, externalId: 'zzap-1042' } });
    const [linked, own, website] = statusRecords(
      [fromZzap, entry({ order: { id: 2035, externalId: null } }), entry({ order: { id: 2036, externalId: 'A-1' } })],
      names,
      'UTC',
    ).records;
    expect(linked.data).toEqual(expect.objectContaining({ orderSourceId: '2034', orderOrigin: { connector: 'zzap', sourceId: '1042' } }));
    expect(() => EVENTS['order.status.changed'].data.parse(linked.data)).not.toThrow();
    expect(own.data).not.toHaveProperty('orderOrigin');
    expect(website.data).not.toHaveProperty('orderOrigin');
  });

  it('skips entries of other fields and fails an entry it cannot read, alone', () => {
    const entries = [
      entry({ id: 1, field: 'manager_comment', oldValue: null, newValue: 'call back' }),
      entry({ id: 2, newValue: null }),
      entry({ id: 3, order: null }),
      entry({ id: 4, createdAt: 'yesterday' }),
      entry({ id: 5 }),
    ];
    const { records, failed } = statusRecords(entries, names, 'UTC');
    expect(records.map((record) => record.changeKey)).toEqual(['5']);
    expect(failed).toEqual([
      { key: '2034', error: 'history entry 2 of order 2034 has no new status code' },
      { key: 'history-3', error: 'history entry 3 names no order' },
      { key: '2034', error: "'yesterday' is not a RetailCRM DateTime (Y-m-d H:i:s)" },
    ]);
  });
});
