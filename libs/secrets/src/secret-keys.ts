/** What every scrubbed value or secret-looking field is replaced with. */
export const REDACTED = '[REDACTED]';

// Compared after lower-casing and dropping '-' and '_', so apiKey, api_key, API-KEY all match.
const SECRET_KEY_NAMES = new Set([
  'password',
  'passwd',
  'pass',
  'secret',
  'token',
  'apikey',
  'authorization',
  'cookie',
  'setcookie',
  'key',
  'privatekey',
  'credentials',
  'credential',
  'signature',
]);

// Compound names such as accessToken, refresh_token, client_secret, x-api-key, dbPassword.
const SECRET_KEY_SUFFIXES = ['password', 'secret', 'token', 'apikey', 'authorization'];

/** Whether a field, header or query parameter of this name usually holds a secret. */
export function isSecretKey(name: string): boolean {
  const normalized = name.toLowerCase().replace(/[-_]/g, '');
  return SECRET_KEY_NAMES.has(normalized) || SECRET_KEY_SUFFIXES.some((suffix) => normalized.endsWith(suffix));
}
