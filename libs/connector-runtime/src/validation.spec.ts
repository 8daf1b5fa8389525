import { z } from 'zod';
import { InvalidRequestError, parseRequest } from './validation';

const Settings = z.object({ subdomain: z.string(), store: z.object({ code: z.string().min(2) }) });

describe('parseRequest', () => {
  it('returns the parsed value', () => {
    expect(parseRequest(Settings, { subdomain: 'acme', store: { code: 'eu' } }, 'settings')).toEqual({
      subdomain: 'acme',
      store: { code: 'eu' },
    });
  });

  it('names every failing field under the prefix', () => {
    const parse = () => parseRequest(Settings, { store: { code: 'x' } }, 'settings');
    expect(parse).toThrow(InvalidRequestError);
    expect(parse).toThrow(/^settings\.subdomain: .+; settings\.store\.code: .+$/);
  });

  it('lists at most five problems', () => {
    const Wide = z.object(Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((key) => [key, z.string()])));
    expect(() => parseRequest(Wide, {})).toThrow(/; and 2 more$/);
  });
});
