import { SEEDED } from '../src';
import { useSandbox } from './harness';

const harness = useSandbox();

describe('ZZap authentication and envelope', () => {
  it('answers a JSON envelope inside an XML string, by POST form or GET query', async () => {
    const posted = await harness.call('GetRegionsV2');
    expect(posted.status).toBe(200);
    expect(posted.contentType).toBe('text/xml; charset=utf-8');
    expect(posted.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(posted.result).toMatchObject({ error: '', row_count: 2, table: [{ code_region: 1, class_region: 'Москва и область' }, { code_region: 2 }] });
    expect((await harness.call('GetCodesTrack', {}, { via: 'GET' })).result).toMatchObject({ error: '', table: expect.arrayContaining([{ code_track: 1, descr_track: 'Новый' }]) });
  });

  it('refuses a bad key or a bad login with HTTP 200 and an error text', async () => {
    expect(await harness.call('GetCodesTrack', { api_key: 'zzap1_wrong' })).toMatchObject({ status: 200, result: { error: 'Неверный api_key' } });
    expect((await harness.call('GetCodesTrack', { password: 'wrong' })).result).toEqual({ error: 'Неверный логин или пароль' });
    // The key of another cabinet with this cabinet's login is refused too.
    expect((await harness.call('GetCodesTrack', { api_key: SEEDED.other.api_key })).result.error).toBe('Неверный логин или пароль');
  });

  it('answers a missing parameter or an unknown method as ASP.NET does: 500 with plain text', async () => {
    const missing = await harness.call('GetCodesTrack', { login: SEEDED.seller.login }, { anonymous: true });
    expect([missing.status, missing.text]).toEqual([500, 'System.InvalidOperationException: Missing parameter: password.\r\n']);
    const unknown = await harness.call('GetNothing');
    expect(unknown.status).toBe(500);
    expect(unknown.text).toContain('Web Service method name is not valid');
  });
});
