import { DEFAULT_CATEGORY_MAP, repairShoprCategoryFor, zomentumCategoryFor } from './category-map';

describe('category map (Zomentum category -> RepairShopr inventory category)', () => {
  const map = { ...DEFAULT_CATEGORY_MAP, Networking: 'Network gear' };

  it('maps the default categories', () => {
    expect(repairShoprCategoryFor(DEFAULT_CATEGORY_MAP, 'Hardware')).toBe('Hardware');
    expect(repairShoprCategoryFor(DEFAULT_CATEGORY_MAP, 'Labor')).toBe('Labor');
    expect(repairShoprCategoryFor(DEFAULT_CATEGORY_MAP, 'Service')).toBe('Labor');
  });

  it('maps user-added categories', () => {
    expect(repairShoprCategoryFor(map, 'Networking')).toBe('Network gear');
  });

  it("falls back to RepairShopr's Default category for an unmapped category", () => {
    expect(repairShoprCategoryFor(map, 'Cloud')).toBe('Default');
  });

  it('maps pulled RepairShopr categories back to the first Zomentum category that targets them', () => {
    expect(zomentumCategoryFor(map, 'Labor')).toBe('Service');
    expect(zomentumCategoryFor(map, 'Network gear')).toBe('Networking');
  });

  it('keeps an unmapped RepairShopr category under its own name', () => {
    expect(zomentumCategoryFor(map, 'Phone parts')).toBe('Phone parts');
  });
});
