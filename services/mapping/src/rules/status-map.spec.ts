import { describeStatusMapDuplicates, findStatusMapDuplicates, retailcrmStatusFor, zzapStatusFor } from './status-map';

const pair = (retailcrm: string, zzap: string) => ({ retailcrm: { id: retailcrm }, zzap: { id: zzap } });

describe('status map (RetailCRM <-> ZZap, strictly 1 to 1)', () => {
  const pairs = [pair('new', '1'), pair('assembling', '2'), pair('complete', '5')];

  it('accepts a 1 to 1 map', () => {
    expect(findStatusMapDuplicates(pairs)).toEqual({ retailcrm: [], zzap: [] });
    expect(describeStatusMapDuplicates(pairs)).toBeUndefined();
  });

  it('names a RetailCRM status mapped twice', () => {
    const message = describeStatusMapDuplicates([...pairs, pair('new', '7')]);
    expect(message).toBe("status map must be 1 to 1; mapped more than once: RetailCRM status 'new'");
  });

  it('names duplicates on both sides at once', () => {
    expect(findStatusMapDuplicates([...pairs, pair('new', '2'), pair('new', '9')])).toEqual({ retailcrm: ['new'], zzap: ['2'] });
    expect(describeStatusMapDuplicates([...pairs, pair('new', '2')])).toBe(
      "status map must be 1 to 1; mapped more than once: RetailCRM status 'new'; ZZap status '2'",
    );
  });

  it('translates in both directions', () => {
    expect(zzapStatusFor(pairs, 'assembling')).toEqual({ id: '2' });
    expect(retailcrmStatusFor(pairs, '5')).toEqual({ id: 'complete' });
    expect(zzapStatusFor(pairs, 'cancelled')).toBeUndefined();
    expect(retailcrmStatusFor(pairs, '42')).toBeUndefined();
  });
});
