import { assertSchemaName, quoteIdent } from './schema';

describe('assertSchemaName', () => {
  it.each(['zomentum', 'repair_shopr2', '_private', 'a'.repeat(63)])('accepts %j', (name) => {
    expect(assertSchemaName(name)).toBe(name);
  });

  it.each(['', 'Upper', 'with-dash', 'with space', '9starts_with_digit', 'a'.repeat(64), 'pg_catalog', 'x"; DROP'])(
    'rejects %j',
    (name) => {
      expect(() => assertSchemaName(name)).toThrow(/invalid schema name/);
    },
  );
});

describe('quoteIdent', () => {
  it('quotes and doubles embedded quotes', () => {
    expect(quoteIdent('id_map')).toBe('"id_map"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });
});
