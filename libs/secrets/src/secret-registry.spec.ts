import { REDACTED } from './secret-keys';
import { SecretRegistry, redactUrl, scrubDeep, secretRegistry } from './secret-registry';

describe('SecretRegistry', () => {
  let registry: SecretRegistry;

  beforeEach(() => {
    registry = new SecretRegistry();
  });

  describe('scrub', () => {
    it('leaves text alone while nothing is registered', () => {
      expect(registry.scrub('nothing to hide')).toBe('nothing to hide');
    });

    it('replaces every occurrence of a registered value', () => {
      registry.register('s3cr3t-token');
      expect(registry.scrub('a s3cr3t-token b s3cr3t-token')).toBe(`a ${REDACTED} b ${REDACTED}`);
    });

    it('replaces the URL-encoded forms', () => {
      const secret = 'p@ss w/rd&x=1!';
      registry.register(secret);
      const componentEncoded = encodeURIComponent(secret);
      const formEncoded = new URLSearchParams({ password: secret }).toString();
      expect(registry.scrub(`https://api.test/login?password=${componentEncoded}`)).toBe(
        `https://api.test/login?password=${REDACTED}`,
      );
      expect(registry.scrub(formEncoded)).toBe(`password=${REDACTED}`);
    });

    it('replaces the base64 and base64url forms', () => {
      const secret = 'api-key>>>???';
      registry.register(secret);
      const base64 = Buffer.from(secret).toString('base64');
      const base64url = Buffer.from(secret).toString('base64url');
      expect(base64).not.toBe(base64url);
      expect(registry.scrub(`Basic ${base64}`)).toBe(`Basic ${REDACTED}`);
      expect(registry.scrub(`token=${base64url}`)).toBe(`token=${REDACTED}`);
    });

    it('treats regular-expression characters in a secret literally', () => {
      registry.register('a.b*c(d)');
      expect(registry.scrub('aXbbbcd a.b*c(d)')).toBe(`aXbbbcd ${REDACTED}`);
    });

    it('replaces a longer secret whole when it contains a shorter one', () => {
      registry.register('abcd');
      registry.register('abcd-efgh');
      expect(registry.scrub('x abcd-efgh y abcd')).toBe(`x ${REDACTED} y ${REDACTED}`);
    });

    it('ignores values shorter than 4 characters, blank values and non-strings', () => {
      registry.register('abc');
      registry.register('      ');
      registry.register(' ab ');
      registry.register(undefined as unknown as string);
      expect(registry.scrub('abc abcabc      x')).toBe('abc abcabc      x');
    });

    it('accepts a value of exactly 4 characters', () => {
      registry.register('abcd');
      expect(registry.scrub('abcd')).toBe(REDACTED);
    });

    it('picks up values registered after earlier scrubs', () => {
      registry.register('first-secret');
      expect(registry.scrub('second-secret')).toBe('second-secret');
      registry.register('second-secret');
      expect(registry.scrub('first-secret second-secret')).toBe(`${REDACTED} ${REDACTED}`);
    });
  });

  describe('scrubDeep', () => {
    beforeEach(() => {
      registry.register('hunter22');
    });

    it('returns primitives other than strings unchanged', () => {
      for (const value of [42, true, null, undefined, 10n]) {
        expect(registry.scrubDeep(value)).toBe(value);
      }
      expect(registry.scrubDeep('pw=hunter22')).toBe(`pw=${REDACTED}`);
    });

    it('scrubs strings in nested objects and arrays without touching the original', () => {
      const original = { note: 'uses hunter22', nested: { list: ['ok', 'hunter22'], count: 2 } };
      const copy = registry.scrubDeep(original);
      expect(copy).toEqual({ note: `uses ${REDACTED}`, nested: { list: ['ok', REDACTED], count: 2 } });
      expect(original.nested.list[1]).toBe('hunter22');
      expect(copy.nested).not.toBe(original.nested);
    });

    it('replaces values under secret-looking keys, case-insensitively and at any depth', () => {
      const copy = registry.scrubDeep({
        Password: 'unregistered-1',
        pass: 'x',
        connection: {
          SECRET: 'unregistered-2',
          token: { nested: 'object' },
          apiKey: 'k1',
          api_key: 'k2',
          'X-Api-Key': 'k3',
          headers: { Authorization: 'Bearer abc', Cookie: 'sid=1', accept: 'json' },
          key: 'k4',
          credentials: { login: 'me', password: 'pw' },
          accessToken: 'at',
          client_secret: 'cs',
        },
        subdomain: 'shop',
      });
      expect(copy).toEqual({
        Password: REDACTED,
        pass: REDACTED,
        connection: {
          SECRET: REDACTED,
          token: REDACTED,
          apiKey: REDACTED,
          api_key: REDACTED,
          'X-Api-Key': REDACTED,
          headers: { Authorization: REDACTED, Cookie: REDACTED, accept: 'json' },
          key: REDACTED,
          credentials: REDACTED,
          accessToken: REDACTED,
          client_secret: REDACTED,
        },
        subdomain: 'shop',
      });
    });

    it('keeps a missing credential visible', () => {
      expect(registry.scrubDeep({ token: null, password: undefined })).toEqual({ token: null, password: undefined });
    });

    it('copies errors with their prototype, scrubbed message, stack, cause and own fields', () => {
      class VendorError extends Error {
        constructor(
          message: string,
          readonly status: number,
          readonly authorization: string,
        ) {
          super(message);
        }
      }
      VendorError.prototype.name = 'VendorError';
      const cause = new Error('socket closed while sending hunter22');
      const error = new VendorError('login failed for hunter22', 401, 'Basic abc');
      Object.defineProperty(error, 'cause', { value: cause, enumerable: false });

      const copy = registry.scrubDeep(error);

      expect(copy).not.toBe(error);
      expect(copy).toBeInstanceOf(VendorError);
      expect(copy.name).toBe('VendorError');
      expect(copy.message).toBe(`login failed for ${REDACTED}`);
      expect(copy.stack).toContain(`login failed for ${REDACTED}`);
      expect(copy.stack).not.toContain('hunter22');
      expect(copy.status).toBe(401);
      expect(copy.authorization).toBe(REDACTED);
      expect((copy.cause as Error).message).toBe(`socket closed while sending ${REDACTED}`);
      expect(Object.keys(copy)).toEqual(Object.keys(error));
      expect(error.message).toBe('login failed for hunter22');
    });

    it('scrubs errors nested inside objects and arrays', () => {
      const copy = registry.scrubDeep({ failures: [new TypeError('bad hunter22')] });
      expect(copy.failures[0]).toBeInstanceOf(TypeError);
      expect(copy.failures[0].message).toBe(`bad ${REDACTED}`);
    });

    it('copies cyclic structures without looping', () => {
      const node: { name: string; self?: unknown } = { name: 'hunter22' };
      node.self = node;
      const copy = registry.scrubDeep(node) as { name: string; self: unknown };
      expect(copy.name).toBe(REDACTED);
      expect(copy.self).toBe(copy);
    });

    it('keeps dates, redacts URL objects and turns class instances into their JSON fields', () => {
      class Connection {
        host = 'db.local';
        password = 'pw';
        describe(): string {
          return this.host;
        }
      }
      const when = new Date('2024-09-23T18:00:00Z');
      const copy = registry.scrubDeep({
        when,
        url: new URL('https://user:hunter22@api.test/x?token=abc&page=2'),
        connection: new Connection(),
        amount: { toJSON: () => '12.50 hunter22' },
      });
      expect(copy.when).toEqual(when);
      expect(copy.when).not.toBe(when);
      expect(copy.url).toBe(`https://api.test/x?token=${REDACTED}&page=2`);
      expect(copy.connection).toEqual({ host: 'db.local', password: REDACTED });
      expect(copy.amount).toBe(`12.50 ${REDACTED}`);
    });

    it('stops descending at a depth limit instead of walking huge graphs', () => {
      let deep: Record<string, unknown> = { leaf: true };
      for (let level = 0; level < 20; level += 1) deep = { child: deep };
      const copy = JSON.stringify(registry.scrubDeep(deep));
      expect(copy).toContain('"[Truncated]"');
      expect(copy).not.toContain('leaf');
    });
  });

  describe('the process-wide registry', () => {
    it('is what scrubDeep and redactUrl use', () => {
      secretRegistry.register('process-wide-secret');
      expect(scrubDeep({ message: 'got process-wide-secret' })).toEqual({ message: `got ${REDACTED}` });
      expect(redactUrl('https://api.test/p/process-wide-secret')).toBe(`https://api.test/p/${REDACTED}`);
    });
  });
});
