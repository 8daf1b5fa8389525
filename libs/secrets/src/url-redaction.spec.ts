import { REDACTED } from './secret-keys';
import { redactUrl, secretRegistry } from './secret-registry';
import { stripUrlSecrets } from './url-redaction';

describe('stripUrlSecrets / redactUrl', () => {
  it('strips userinfo', () => {
    expect(stripUrlSecrets('postgres://junction:pg-pass@db:5432/junction')).toBe('postgres://db:5432/junction');
    expect(stripUrlSecrets('nats://token-only@nats:4222')).toBe('nats://nats:4222');
  });

  it('redacts secret-looking query parameters and keeps the others as written', () => {
    expect(stripUrlSecrets('https://zzap.test/api?api_key=abc&login=me&Token=t&access_token=a&q=a%20b')).toBe(
      `https://zzap.test/api?api_key=${REDACTED}&login=me&Token=${REDACTED}&access_token=${REDACTED}&q=a%20b`,
    );
  });

  it('recognises percent-encoded parameter names', () => {
    expect(stripUrlSecrets('https://a.test/?api%5Fkey=1')).toBe(`https://a.test/?api%5Fkey=${REDACTED}`);
  });

  it('handles a parameter without a value and keeps the fragment', () => {
    expect(stripUrlSecrets('https://a.test/p?password&x=1#frag')).toBe(`https://a.test/p?password=${REDACTED}&x=1#frag`);
  });

  it('redacts relative references such as request paths', () => {
    expect(stripUrlSecrets('/api/v1/customers?api_key=abc&page=2')).toBe(`/api/v1/customers?api_key=${REDACTED}&page=2`);
  });

  it('leaves URLs without secrets unchanged', () => {
    expect(stripUrlSecrets('https://shop.repairshopr.test/api/v1/estimates?page=2')).toBe(
      'https://shop.repairshopr.test/api/v1/estimates?page=2',
    );
  });

  it('returns text that is not a URL unchanged', () => {
    expect(stripUrlSecrets('http://[broken')).toBe('http://[broken');
  });

  it('also scrubs registered secrets that appear in the path', () => {
    secretRegistry.register('tenant-secret-path');
    expect(redactUrl('https://u:p@api.test/hooks/tenant-secret-path?key=1')).toBe(
      `https://api.test/hooks/${REDACTED}?key=${REDACTED}`,
    );
  });
});
