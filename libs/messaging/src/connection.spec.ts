import { inboxPrefix } from './connection';

describe('inboxPrefix', () => {
  it('gives each connection name its own inbox prefix', () => {
    expect(inboxPrefix('mapping')).toBe('_INBOX_mapping');
    expect(inboxPrefix('e2e-zzap_1')).toBe('_INBOX_e2e-zzap_1');
  });

  it('rejects a name that is not one subject token', () => {
    for (const name of ['', 'a.b', 'a b', '*', '>']) {
      expect(() => inboxPrefix(name)).toThrow(/must hold only letters, digits/);
    }
  });
});
