import { EVENTS } from '@junction/contracts';
import { changedFields, classifyChanges, fingerprint, stableJson, type ReadRecord } from './record-changes';

const customer = (phone: string, updatedAt = '2026-01-02T00:00:00.000Z') => ({
  sourceId: '7',
  businessName: 'Acme',
  phone,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt,
});

const read = (phone: string, extra: Partial<ReadRecord> = {}): ReadRecord => ({
  key: '7',
  data: customer(phone),
  createdAt: '2026-01-01T00:00:00.000Z',
  changedAt: '2026-01-02T00:00:00.000Z',
  ...extra,
});

const known = (seen: Record<string, string> = {}, createdAs: Record<string, string> = {}) => ({
  seen: new Map(Object.entries(seen)),
  createdAs: new Map(Object.entries(createdAs)),
});

describe('fingerprint', () => {
  it('hashes the synced fields whatever their order, ignoring timestamps', () => {
    const { businessName, ...rest } = customer('+1 555');
    expect(fingerprint({ ...rest, businessName })).toBe(fingerprint(customer('+1 555')));
    expect(fingerprint(customer('+1 555', '2027-05-05T00:00:00.000Z'))).toBe(fingerprint(customer('+1 555')));
    expect(fingerprint(customer('+1 556'))).not.toBe(fingerprint(customer('+1 555')));
    expect(fingerprint(customer('+1 555'))).toMatch(/^[0-9a-f]{24}$/);
  });

  it('serialises objects with sorted keys at every depth', () => {
    expect(stableJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });
});

describe('classifyChanges', () => {
  const seenAs = (phone: string, revision = 0) => `${revision}:${fingerprint(customer(phone))}`;

  it('publishes a record never seen as a creation and observes it', () => {
    const { records, observations } = classifyChanges('customer', [read('+1 555')], known());
    expect(records).toEqual([{ key: '7', data: customer('+1 555'), occurredAt: '2026-01-01T00:00:00.000Z' }]);
    expect(observations).toEqual([{ kind: 'customer_fields', key: '7', value: seenAs('+1 555') }]);
  });

  it('only observes a record announced before observations were kept', () => {
    const { records, observations } = classifyChanges('customer', [read('+1 555', { announced: true })], known());
    expect(records).toEqual([]);
    expect(observations).toHaveLength(1);
  });

  it('publishes nothing for an unchanged record', () => {
    expect(classifyChanges('customer', [read('+1 555')], known({ 7: seenAs('+1 555', 3) }))).toEqual({ records: [], observations: [] });
  });

  it('turns a changed record into customer.updated with a change key counting its revisions', () => {
    const first = classifyChanges('customer', [read('+1 556')], known({ 7: seenAs('+1 555') }));
    const current = fingerprint(customer('+1 556'));
    expect(first.records).toEqual([
      { key: '7', data: customer('+1 556'), occurredAt: '2026-01-02T00:00:00.000Z', changeKey: `1-${current}`, subject: 'customer.updated' },
    ]);
    expect(first.observations).toEqual([{ kind: 'customer_fields', key: '7', value: `1:${current}` }]);
    expect(() => EVENTS['customer.updated'].data.parse(first.records[0].data)).not.toThrow();

    // Changed back, then again to the same value: every change has its own event id.
    const back = classifyChanges('customer', [read('+1 555')], known({ 7: `1:${current}` }));
    const again = classifyChanges('customer', [read('+1 556')], known({ 7: back.observations[0].value }));
    expect([back.records[0].changeKey, again.records[0].changeKey]).toEqual([`2-${fingerprint(customer('+1 555'))}`, `3-${current}`]);
  });

  it('tells a record Junction created and someone changed before the first pull from one left as created', () => {
    const createdAs = { 7: fingerprint(customer('+1 555')) };
    const untouched = classifyChanges('customer', [read('+1 555')], known({}, createdAs));
    // A creation without change key: the runtime skips it as Junction's own write.
    expect(untouched.records).toEqual([{ key: '7', data: customer('+1 555'), occurredAt: '2026-01-01T00:00:00.000Z' }]);
    const changed = classifyChanges('customer', [read('+1 556')], known({}, createdAs));
    expect(changed.records).toEqual([expect.objectContaining({ subject: 'customer.updated', changeKey: `1-${fingerprint(customer('+1 556'))}` })]);
  });
});

describe('changedFields', () => {
  const desired = { name: 'Ann Lee', email: 'ann@example.com', phone: null, mobile: undefined };

  it('sends every field with a value when nothing was written before, clearing nothing', () => {
    expect(changedFields(undefined, desired)).toEqual({ name: 'Ann Lee', email: 'ann@example.com' });
  });

  it('sends only what changed since the last write, null to clear a field, and nothing when equal', () => {
    const written = { name: 'Ann Lee', email: 'old@example.com', phone: '+1 555' };
    expect(changedFields(written, desired)).toEqual({ email: 'ann@example.com', phone: null });
    expect(changedFields({ name: 'Ann Lee', email: 'ann@example.com' }, desired)).toEqual({});
    expect(changedFields({ pricing: { b: 1, a: 2 } }, { pricing: { a: 2, b: 1 } })).toEqual({});
  });
});
