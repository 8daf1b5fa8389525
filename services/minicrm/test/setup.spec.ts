import { checkSetup } from '../src/setup';

const category = (Id: string, Name: string, Type?: string) => ({ Id, Name, Type });

describe('checkSetup', () => {
  it('finds the Order and Webshop products by their type', () => {
    const result = checkSetup('12345', [category('1', 'Értékesítés', 'Sales'), category('2', 'Megrendelés', 'Order'), category('3', 'Webshop', 'Webshop')]);
    expect(result).toEqual({ ok: true, products: { order: category('2', 'Megrendelés', 'Order'), webshop: category('3', 'Webshop', 'Webshop') } });
  });

  it('says the Order product comes first, whether or not a Webshop product exists', () => {
    const message = 'MiniCRM system 12345 has no Order (Megrendelés) product: set up the Order product first, then the Webshop product';
    expect(checkSetup('12345', [category('1', 'Értékesítés', 'Sales')])).toEqual({ ok: false, message });
    expect(checkSetup('12345', [category('3', 'Webshop', 'Webshop')])).toEqual({ ok: false, message });
  });

  it('names the missing Webshop product', () => {
    const result = checkSetup('12345', [category('2', 'Megrendelés', 'Order')]);
    expect(result).toEqual({ ok: false, message: expect.stringContaining('the Webshop product is missing') });
  });

  it('goes by name only when MiniCRM gives no type, so a Sales product named "Megrendelés" is not taken', () => {
    expect(checkSetup('1', [category('2', 'Megrendelés'), category('3', 'Webshop')])).toMatchObject({ ok: true });
    expect(checkSetup('1', [category('2', 'Megrendelés', 'Sales'), category('3', 'Webshop', 'Webshop')])).toMatchObject({ ok: false });
  });
});
