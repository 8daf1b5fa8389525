import { REDACTED, createRedactor, credentialsInHeaders, isSensitiveParam } from './redaction';

describe('createRedactor', () => {
  it('replaces a secret in every spelling it takes in URLs and JSON', () => {
    const secret = 'k3y w/"special"&chars';
    const redact = createRedactor([secret]);
    const text = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ apiKey: secret }).toString(),
      JSON.stringify({ key: secret }),
    ].join(' | ');
    expect(redact(text)).toBe(`${REDACTED} | ${REDACTED} | apiKey=${REDACTED} | {"key":"${REDACTED}"}`);
  });

  it('replaces a longer secret whole even when it contains a shorter one, then applies the extra redactor', () => {
    const redact = createRedactor(['abc', 'xxabcxx', ''], (text) => text.replace('tail', '***'));
    expect(redact('xxabcxx abc tail')).toBe(`${REDACTED} ${REDACTED} ***`);
  });
});

describe('credentialsInHeaders', () => {
  it('finds the whole value, the credential after the scheme and a Basic password', () => {
    const basic = `Basic ${Buffer.from('12345:p4ssw0rd').toString('base64')}`;
    expect(credentialsInHeaders({ authorization: 'Bearer tok', 'x-api-key': 'raw' })).toEqual(['Bearer tok', 'tok', 'raw']);
    expect(credentialsInHeaders({ authorization: basic })).toEqual([basic, basic.slice(6), 'p4ssw0rd']);
  });
});

describe('isSensitiveParam', () => {
  it('recognises the credential parameter names vendors use', () => {
    expect(['api_key', 'apiKey', 'access_token', 'token', 'password', 'client_secret'].every(isSensitiveParam)).toBe(true);
    expect(['page', 'limit', 'filter[sinceId]'].some(isSensitiveParam)).toBe(false);
  });
});
