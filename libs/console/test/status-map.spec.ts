import { pairsFromRecord, recordFromPairs, statusTable, withPartner, zzapMapFromPairs, pairsFromZzapMap } from '../src/status-map';

const shop = [
  { id: 's1', name: 'Függőben lévő' },
  { id: 's2', name: 'Teljesítve' },
  { id: 's3', name: 'Törölve' },
];
const crm = [
  { id: 'c1', name: 'Új megrendelés' },
  { id: 'c2', name: 'Teljesítve' },
];

describe('statusTable', () => {
  it('lists every tested source status with its partner and names the unmapped ones', () => {
    const pairs = pairsFromRecord({ s1: crm[0], s2: crm[1] }, shop);
    const table = statusTable({ sourceStatuses: shop, targetStatuses: crm, pairs, oneToOne: false });
    expect(table.rows.map((row) => [row.source.name, row.target?.name, row.problems])).toEqual([
      ['Függőben lévő', 'Új megrendelés', []],
      ['Teljesítve', 'Teljesítve', []],
      ['Törölve', undefined, ['unmapped']],
    ]);
    expect(table.unmapped).toEqual([shop[2]]);
    expect(table.unusedTargets).toEqual([]);
  });

  it('lets several shop statuses share a MiniCRM status, but marks a target paired twice under the 1:1 rule', () => {
    const pairs = [
      { source: shop[0], target: crm[0] },
      { source: shop[1], target: crm[0] },
    ];
    expect(statusTable({ sourceStatuses: shop, targetStatuses: crm, pairs, oneToOne: false }).rows[1].problems).toEqual([]);
    const strict = statusTable({ sourceStatuses: shop, targetStatuses: crm, pairs, oneToOne: true });
    expect(strict.rows.map((row) => row.problems)).toEqual([['duplicate'], ['duplicate'], ['unmapped']]);
    expect(strict.unusedTargets).toEqual([crm[1]]);
  });

  it('tells statuses the vendors no longer report: a stale source pair and an unknown target', () => {
    const pairs = [
      { source: { id: 'gone', name: 'Régi' }, target: crm[0] },
      { source: shop[0], target: { id: 'c9', name: 'Archivált' } },
    ];
    const table = statusTable({ sourceStatuses: shop, targetStatuses: crm, pairs, oneToOne: false });
    expect(table.stale).toEqual([pairs[0]]);
    expect(table.rows[0].problems).toEqual(['unknown_target']);
  });
});

describe('status map storage', () => {
  it('sets and clears one partner, keeping the others', () => {
    const pairs = [{ source: shop[0], target: crm[0] }];
    expect(withPartner(pairs, shop[1], crm[1])).toEqual([...pairs, { source: shop[1], target: crm[1] }]);
    expect(withPartner(pairs, shop[0], undefined)).toEqual([]);
  });

  it('reads and writes the Shoprenter map (shop status id -> MiniCRM status) and the ZZap pairs', () => {
    const record = { s1: crm[0] };
    expect(recordFromPairs(pairsFromRecord(record, shop))).toEqual(record);
    expect(pairsFromRecord({ unknown: crm[0] }, shop)[0].source).toEqual({ id: 'unknown', name: 'unknown' });
    const zzap = [{ retailcrm: { id: 'new', name: 'Новый' }, zzap: { id: '1', name: 'Принят' } }];
    expect(pairsFromZzapMap(zzap)).toEqual([{ source: zzap[0].zzap, target: zzap[0].retailcrm }]);
    expect(zzapMapFromPairs(pairsFromZzapMap(zzap))).toEqual(zzap);
  });
});
