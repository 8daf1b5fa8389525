import { isSecretKey } from './secret-keys';

describe('isSecretKey', () => {
  it.each([
    'password',
    'PASSWORD',
    'pass',
    'passwd',
    'secret',
    'token',
    'apiKey',
    'api_key',
    'API-KEY',
    'x-api-key',
    'authorization',
    'Proxy-Authorization',
    'cookie',
    'set-cookie',
    'key',
    'credentials',
    'accessToken',
    'refresh_token',
    'client_secret',
    'dbPassword',
    'privateKey',
  ])('treats %s as secret', (name) => {
    expect(isSecretKey(name)).toBe(true);
  });

  it.each(['subdomain', 'login', 'username', 'keyword', 'monkey', 'idempotencyKey', 'tokens', 'passengers', 'author'])(
    'treats %s as ordinary',
    (name) => {
      expect(isSecretKey(name)).toBe(false);
    },
  );
});
