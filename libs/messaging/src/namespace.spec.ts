import { Namespace } from './namespace';

describe('Namespace', () => {
  it('prefixes subjects with the namespace and stream names with its upper case', () => {
    const names = new Namespace('t1a2b');
    expect(names.subject('deal.won')).toBe('t1a2b.deal.won');
    expect(names.stream('EVENTS')).toBe('T1A2B_EVENTS');
  });

  it('maps a server subject back to the logical one', () => {
    const names = new Namespace('t1a2b');
    expect(names.logicalSubject('t1a2b.deal.won')).toBe('deal.won');
    expect(names.logicalSubject('other.deal.won')).toBe('other.deal.won');
  });

  it('leaves names alone without a namespace (an empty one counts as none)', () => {
    for (const names of [new Namespace(), new Namespace('')]) {
      expect(names.prefix).toBeUndefined();
      expect(names.subject('deal.won')).toBe('deal.won');
      expect(names.stream('EVENTS')).toBe('EVENTS');
      expect(names.logicalSubject('deal.won')).toBe('deal.won');
    }
  });

  it('rejects a namespace that would break subjects or stream names', () => {
    expect(() => new Namespace('a.b')).toThrow(/invalid namespace 'a.b'/);
    expect(() => new Namespace('a*')).toThrow(/invalid namespace/);
  });
});
