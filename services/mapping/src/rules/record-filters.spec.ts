import { contactPassesFilter, productPassesFilter } from './record-filters';

describe('contact filter', () => {
  it('drops every contact when contact sync is off', () => {
    expect(contactPassesFilter({ contactSync: false }, '2024-05-01T00:00:00Z')).toBe(false);
  });

  it('passes every contact when no date is set', () => {
    expect(contactPassesFilter({ contactSync: true }, undefined)).toBe(true);
    expect(contactPassesFilter({ contactSync: true }, '2001-01-01T00:00:00Z')).toBe(true);
  });

  it('passes only contacts created on or after the date', () => {
    const filter = { contactSync: true, contactsCreatedAfter: '2024-05-01' };
    expect(contactPassesFilter(filter, '2024-04-30T23:59:59Z')).toBe(false);
    expect(contactPassesFilter(filter, '2024-05-01T00:00:00Z')).toBe(true);
    expect(contactPassesFilter(filter, '2024-06-10T08:00:00+02:00')).toBe(true);
  });

  it('drops a contact of unknown creation time when a date is set', () => {
    expect(contactPassesFilter({ contactSync: true, contactsCreatedAfter: '2024-05-01' }, undefined)).toBe(false);
  });
});

describe('product filter', () => {
  it('drops every product when product sync is off', () => {
    expect(productPassesFilter({ productSync: false, productCategories: [] }, 'Hardware')).toBe(false);
  });

  it('passes every product when no category is chosen', () => {
    expect(productPassesFilter({ productSync: true, productCategories: [] }, undefined)).toBe(true);
    expect(productPassesFilter({ productSync: true }, 'Labor')).toBe(true);
  });

  it('passes only products of the chosen categories, ignoring letter case', () => {
    const filter = { productSync: true, productCategories: ['Hardware', 'Labor'] };
    expect(productPassesFilter(filter, 'hardware')).toBe(true);
    expect(productPassesFilter(filter, 'Software')).toBe(false);
    expect(productPassesFilter(filter, undefined)).toBe(false);
  });
});
