import {
  CONNECTION_CONTROL,
  ConnectionTestResult,
  ConnectionUpsertRequest,
  ConnectionView,
  ControlReply,
  controlSubject,
} from './control';

const view = {
  id: 'sr-1',
  connector: 'shoprenter',
  name: 'Webshop',
  settings: { apiUrl: 'https://shop.api.example' },
  hasCredentials: true,
  createdAt: '2024-09-23T18:00:00Z',
  updatedAt: '2024-09-23T18:00:00Z',
} as const;

describe('controlSubject', () => {
  it('addresses one connection operation of one connector', () => {
    expect(controlSubject('shoprenter', 'test')).toBe('ctl.shoprenter.connection.test');
    expect(controlSubject('zzap', 'upsert')).toBe('ctl.zzap.connection.upsert');
  });
});

describe('ControlReply', () => {
  const reply = ControlReply(ConnectionView);

  it('carries data on success', () => {
    expect(reply.parse({ ok: true, data: view })).toEqual({ ok: true, data: view });
  });

  it('carries a code and message on failure', () => {
    const failure = { ok: false, error: { code: 'not_found', message: 'No connection sr-2' } };
    expect(reply.parse(failure)).toEqual(failure);
  });

  it('validates the data of a success and rejects mixed shapes', () => {
    expect(reply.safeParse({ ok: true, data: { ...view, hasCredentials: 'yes' } }).success).toBe(false);
    expect(reply.safeParse({ ok: false, data: view }).success).toBe(false);
    expect(reply.safeParse({ ok: true, error: { code: 'x', message: 'y' } }).success).toBe(false);
  });
});

describe('connection schemas', () => {
  it('accepts an update that keeps the stored credentials', () => {
    const update = { connectionId: 'sr-1', name: 'Webshop', settings: { apiUrl: 'https://shop.api.example' } };
    expect(ConnectionUpsertRequest.parse(update)).toEqual(update);
  });

  it('only takes string credentials', () => {
    const request = { name: 'Webshop', settings: {}, credentials: { password: 1234 } };
    expect(ConnectionUpsertRequest.safeParse(request).success).toBe(false);
  });

  it('never shows credentials in a view', () => {
    expect(ConnectionView.parse({ ...view, credentials: { password: 'secret' } })).toEqual(view);
  });

  it('returns the order statuses a connection test fetched', () => {
    const result = { ok: true, message: 'Connected', orderStatuses: [{ id: '1', name: 'Függőben' }] };
    expect(ConnectionTestResult.parse(result)).toEqual(result);
  });

  it('describes every operation', () => {
    expect(Object.keys(CONNECTION_CONTROL).sort()).toEqual(['delete', 'get', 'list', 'test', 'upsert']);
    expect(CONNECTION_CONTROL.test.request.parse({ connectionId: 'sr-1' })).toEqual({ connectionId: 'sr-1' });
    expect(CONNECTION_CONTROL.list.data.parse([view])).toEqual([view]);
  });
});
