import { DEFAULT_CATEGORY_MAP, repairShoprCategoryFor, zomentumCategoryFor, type CategoryRules } from './category-map';

describe('category map (Zomentum category -> RepairShopr inventory category)', () => {
  const rules: CategoryRules = {
    categoryMap: { ...DEFAULT_CATEGORY_MAP, Networking: 'Network gear' },
    unmappedCategories: 'default',
    defaultCategory: 'Default',
  };
  const skipping: CategoryRules = { ...rules, unmappedCategories: 'skip' };

  it('maps the default categories', () => {
    const defaults = { ...rules, categoryMap: DEFAULT_CATEGORY_MAP };
    expect(repairShoprCategoryFor(defaults, 'Hardware')).toBe('Hardware');
    expect(repairShoprCategoryFor(defaults, 'Labor')).toBe('Labor');
    expect(repairShoprCategoryFor(defaults, 'Service')).toBe('Labor');
  });

  it('maps user-added categories', () => {
    expect(repairShoprCategoryFor(rules, 'Networking')).toBe('Network gear');
  });

  it('puts an unmapped category under the default category, or skips it, as the user chose', () => {
    expect(repairShoprCategoryFor(rules, 'Cloud')).toBe('Default');
    expect(repairShoprCategoryFor({ ...rules, defaultCategory: 'Misc' }, 'Cloud')).toBe('Misc');
    expect(repairShoprCategoryFor(skipping, 'Cloud')).toBeUndefined();
    expect(repairShoprCategoryFor(skipping, 'Networking')).toBe('Network gear');
  });

  it('maps pulled RepairShopr categories back to the first Zomentum category that targets them', () => {
    expect(zomentumCategoryFor(rules, 'Labor')).toBe('Service');
    expect(zomentumCategoryFor(rules, 'Network gear')).toBe('Networking');
  });

  it('keeps an unmapped RepairShopr category under its own name, or skips it', () => {
    expect(zomentumCategoryFor(rules, 'Phone parts')).toBe('Phone parts');
    expect(zomentumCategoryFor(skipping, 'Phone parts')).toBeUndefined();
  });
});
