import { EnvelopeBase, SourceKey, messageId, sourceKey } from './envelope';

const envelope = {
  id: 'zomentum:zm-acme:document:D-1001:won',
  type: 'deal.won',
  version: 1,
  source: { connector: 'zomentum', connectionId: 'zm-acme' },
  occurredAt: '2024-09-23T15:00:00+02:00',
  data: { anything: true },
};

describe('EnvelopeBase', () => {
  it('accepts a complete envelope and keeps its optional ids', () => {
    const parsed = EnvelopeBase.parse({ ...envelope, integrationId: 'int-1', causationId: 'sync:1' });
    expect(parsed).toEqual({ ...envelope, integrationId: 'int-1', causationId: 'sync:1' });
  });

  it.each(['id', 'type', 'version', 'source', 'occurredAt'])('rejects an envelope without %s', (field) => {
    const result = EnvelopeBase.safeParse({ ...envelope, [field]: undefined });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([[field]]);
  });

  it.each([
    ['an id with whitespace', { id: 'zomentum:doc 1' }],
    ['an id longer than 512 characters', { id: 'x'.repeat(513) }],
    ['a version below 1', { version: 0 }],
    ['a fractional version', { version: 1.5 }],
    ['a timestamp without offset', { occurredAt: '2024-09-23T15:00:00' }],
    ['a source without connectionId', { source: { connector: 'zomentum' } }],
  ])('rejects %s', (_label, change) => {
    expect(EnvelopeBase.safeParse({ ...envelope, ...change }).success).toBe(false);
  });
});

describe('messageId', () => {
  it('joins the parts with colons, the same way every time', () => {
    expect(messageId('zomentum', 'zm-acme', 'document', 1001, 'won')).toBe('zomentum:zm-acme:document:1001:won');
    const first = messageId('zomentum', 'zm-acme', 'document', 1001, 'won');
    expect(messageId('zomentum', 'zm-acme', 'document', '1001', 'won')).toBe(first);
  });

  it('accepts parts that already contain colons, such as a source key', () => {
    expect(messageId('zomentum:zm-acme:document:1001', 'monthly')).toBe('zomentum:zm-acme:document:1001:monthly');
  });

  it('produces ids that EnvelopeBase accepts', () => {
    expect(EnvelopeBase.shape.id.safeParse(messageId('retailcrm', 'rc-1', 'order-history', 88231)).success).toBe(true);
  });

  it.each([
    [[], 'messageId needs at least one part'],
    [['zomentum', ''], 'messageId part 1 is empty'],
    [['zomentum', 'doc 1'], 'messageId part 1 contains whitespace: "doc 1"'],
    [['zomentum', 'doc\n1'], 'messageId part 1 contains whitespace: "doc\\n1"'],
    [['zomentum', Number.NaN], 'messageId part 1 is not a finite number: NaN'],
    [['x'.repeat(300), 'y'.repeat(300)], 'messageId is 601 characters long; the limit is 512'],
  ])('rejects %j', (parts, message) => {
    expect(() => messageId(...(parts as (string | number)[]))).toThrow(message);
  });
});

describe('sourceKey', () => {
  it('names a record by connector, connection, entity type and id', () => {
    expect(sourceKey('zomentum', 'zm-acme', 'client', 123)).toBe('zomentum:zm-acme:client:123');
    expect(SourceKey.safeParse(sourceKey('zomentum', 'zm-acme', 'client', 123)).success).toBe(true);
  });

  it('refuses parts that would make an ambiguous or header-unsafe key', () => {
    expect(() => sourceKey('zomentum', '', 'client', 123)).toThrow('messageId part 1 is empty');
    expect(() => sourceKey('zomentum', 'zm-acme', 'client', 'A 1')).toThrow('messageId part 3 contains whitespace: "A 1"');
  });
});
