import { intParam, listParam, parseParams, stringParam } from './params';

describe('parseParams', () => {
  it('nests PHP-style brackets and appends with []', () => {
    expect(parseParams('filter[ids][]=1&filter[ids][]=2&filter[customFields][nps][min]=5&limit=20')).toEqual({
      filter: { ids: ['1', '2'], customFields: { nps: { min: '5' } } },
      limit: '20',
    });
  });

  it('reads Rails-style top-level arrays and keeps the last value of a repeated plain key', () => {
    expect(parseParams('?id[]=3&id[]=4&page=1&page=2')).toEqual({ id: ['3', '4'], page: '2' });
  });

  it('decodes percent escapes and plus signs, in keys too', () => {
    expect(parseParams('query=Acme+Ltd&filter%5Bemail%5D=a%40b.hu')).toEqual({
      query: 'Acme Ltd',
      filter: { email: 'a@b.hu' },
    });
  });

  it('takes a key with unbalanced brackets literally', () => {
    expect(parseParams('a[b=1&[c]=2')).toEqual({ 'a[b': '1', '[c]': '2' });
  });

  it('builds arrays of objects from [][field]', () => {
    expect(parseParams('items[][sku]=A&items[][sku]=B')).toEqual({ items: [{ sku: 'A' }, { sku: 'B' }] });
  });
});

describe('parameter readers', () => {
  const params = parseParams('page=3&bad=1.5&id[]=7&id[]=8&one=9&nested[a]=1');

  it('reads whole numbers only', () => {
    expect(intParam(params, 'page')).toBe(3);
    expect(intParam(params, 'bad')).toBeUndefined();
    expect(intParam(params, 'missing')).toBeUndefined();
  });

  it('reads lists from [] and from a single value', () => {
    expect(listParam(params, 'id')).toEqual(['7', '8']);
    expect(listParam(params, 'one')).toEqual(['9']);
    expect(listParam(params, 'nested')).toEqual([]);
  });

  it('reads a scalar, the last one of a list, and nothing from an object', () => {
    expect(stringParam(params, 'one')).toBe('9');
    expect(stringParam(params, 'id')).toBe('8');
    expect(stringParam(params, 'nested')).toBeUndefined();
  });
});
