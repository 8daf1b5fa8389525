import { headers } from '@nats-io/transport-node';
import { copyHeaders, headersFromRecord, headersToRecord, isServerHeader } from './headers';

describe('headers', () => {
  it('treats every Nats-* header as a server header', () => {
    expect(isServerHeader('Nats-Msg-Id')).toBe(true);
    expect(isServerHeader('nats-expected-stream')).toBe(true);
    expect(isServerHeader('traceparent')).toBe(false);
  });

  it('copies headers with all their values, minus the filtered ones', () => {
    const source = headers();
    source.set('Nats-Msg-Id', 'm1');
    source.append('x-tag', 'a');
    source.append('x-tag', 'b');
    const copy = copyHeaders(source, (name) => !isServerHeader(name));
    expect(copy.keys()).toEqual(['x-tag']);
    expect(copy.values('x-tag')).toEqual(['a', 'b']);
  });

  it('converts to and from plain records', () => {
    const record = headersToRecord(headersFromRecord({ traceparent: 'tp', 'x-tenant': 'acme' }));
    expect(record).toEqual({ traceparent: 'tp', 'x-tenant': 'acme' });
    expect(headersToRecord(undefined)).toEqual({});
  });
});
