import { bearerTokenMatches } from './bearer-token';

describe('bearer token check', () => {
  const token = 'a-long-enough-control-token';

  it('accepts the configured token', () => {
    expect(bearerTokenMatches(`Bearer ${token}`, token)).toBe(true);
    expect(bearerTokenMatches(`bearer ${token}`, token)).toBe(true);
  });

  it('refuses a missing, empty, wrong or differently shaped credential', () => {
    expect(bearerTokenMatches(undefined, token)).toBe(false);
    expect(bearerTokenMatches('Bearer ', token)).toBe(false);
    expect(bearerTokenMatches('Bearer wrong', token)).toBe(false);
    expect(bearerTokenMatches(`Bearer ${token}x`, token)).toBe(false);
    expect(bearerTokenMatches(token, token)).toBe(false);
    expect(bearerTokenMatches(`Basic ${token}`, token)).toBe(false);
  });
});
