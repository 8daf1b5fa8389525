import { describeStatuses, unknownStatusIds, unmappedStatuses } from './status-catalog';

describe('status catalog checks', () => {
  const catalog = [
    { id: '1', name: 'Pending' },
    { id: '2', name: 'Shipped' },
    { id: '3', name: 'Cancelled' },
  ];

  it('finds ids the vendor does not have, once each', () => {
    expect(unknownStatusIds(catalog, ['1', '9', '2', '9'])).toEqual(['9']);
    expect(unknownStatusIds(catalog, ['1', '2'])).toEqual([]);
  });

  it('finds vendor statuses left out of a map', () => {
    expect(unmappedStatuses(catalog, ['1', '3'])).toEqual([{ id: '2', name: 'Shipped' }]);
    expect(unmappedStatuses(catalog, ['1', '2', '3'])).toEqual([]);
  });

  it('names statuses by name and id', () => {
    expect(describeStatuses(catalog.slice(0, 2))).toBe("'Pending' (1), 'Shipped' (2)");
  });
});
