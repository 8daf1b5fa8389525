import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';
import { secretRegistry } from './secret-registry';

const HEX_KEY = 'a1'.repeat(32);

function errorOf(action: () => unknown): Error {
  try {
    action();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the action to throw');
}

/** Flips one bit of the base64url part at `index` of a sealed value. */
function flipBit(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index], 'base64url');
  bytes[0] ^= 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('SecretBox', () => {
  const box = new SecretBox(HEX_KEY);

  describe('seal and open', () => {
    it('round-trips text, including unicode and the empty string', () => {
      for (const plaintext of ['rs-api-token-123', 'jelszó: ключ 🔑', '', JSON.stringify({ apiKey: 'k', login: 'l' })]) {
        expect(box.open(box.seal(plaintext))).toBe(plaintext);
      }
    });

    it('writes v1.<iv>.<tag>.<ciphertext> with a 12-byte IV and a 16-byte tag in base64url', () => {
      const sealed = box.seal('hello world');
      const [version, iv, tag, ciphertext] = sealed.split('.');
      expect(version).toBe('v1');
      expect(Buffer.from(iv, 'base64url')).toHaveLength(12);
      expect(Buffer.from(tag, 'base64url')).toHaveLength(16);
      expect(Buffer.from(ciphertext, 'base64url')).toHaveLength('hello world'.length);
      expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(sealed).not.toContain('hello');
    });

    it('uses a fresh IV for every seal', () => {
      const first = box.seal('same text');
      const second = box.seal('same text');
      expect(first).not.toBe(second);
      expect(first.split('.')[1]).not.toBe(second.split('.')[1]);
    });

    it('opens with the associated data it was sealed with', () => {
      const sealed = box.seal('token', 'connection-1');
      expect(box.open(sealed, 'connection-1')).toBe('token');
    });
  });

  describe('refusing to open', () => {
    const refusal = /wrong key, wrong associated data, or the value was altered/;

    it.each([
      ['IV', 1],
      ['tag', 2],
      ['ciphertext', 3],
    ])('rejects a tampered %s', (_part, index) => {
      const sealed = box.seal('top secret payload');
      expect(() => box.open(flipBit(sealed, index))).toThrow(refusal);
    });

    it('rejects a value sealed with another key', () => {
      const other = new SecretBox(SecretBox.generateKey());
      expect(() => box.open(other.seal('token'))).toThrow(refusal);
    });

    it('rejects a value sealed for another connection (associated data mismatch)', () => {
      const sealed = box.seal('token', 'connection-1');
      expect(() => box.open(sealed, 'connection-2')).toThrow(refusal);
      expect(() => box.open(sealed)).toThrow(refusal);
    });

    it('rejects associated data given only when opening', () => {
      expect(() => box.open(box.seal('token'), 'connection-1')).toThrow(refusal);
    });

    it.each([
      ['too few parts', 'v1.abc.def'],
      ['too many parts', 'v1.a.b.c.d'],
      ['characters outside base64url', 'v1.a+b.c.d'],
      ['an empty string', ''],
    ])('rejects a malformed value: %s', (_case, sealed) => {
      expect(() => box.open(sealed)).toThrow(/Malformed sealed secret/);
    });

    it('rejects a truncated tag instead of accepting a weaker one', () => {
      const parts = box.seal('token').split('.');
      parts[2] = Buffer.from(parts[2], 'base64url').subarray(0, 4).toString('base64url');
      expect(() => box.open(parts.join('.'))).toThrow(/wrong IV or tag length/);
    });

    it('rejects an unknown format version', () => {
      const sealed = box.seal('token').replace(/^v1\./, 'v9.');
      expect(() => box.open(sealed)).toThrow(/Unsupported sealed secret version/);
    });

    it('throws SecretBoxError without the plaintext or the sealed value in the message', () => {
      const sealed = box.seal('plaintext-that-must-not-leak', 'connection-1');
      const error = errorOf(() => box.open(sealed, 'connection-2'));
      expect(error).toBeInstanceOf(SecretBoxError);
      expect(error.name).toBe('SecretBoxError');
      expect(error.message).not.toContain('plaintext-that-must-not-leak');
      expect(error.message).not.toContain(sealed.split('.')[3]);
    });
  });

  describe('keys', () => {
    const keyBytes = randomBytes(32);

    it('accepts the same key as hex, base64, base64url, unpadded base64 or bytes', () => {
      const sealed = new SecretBox(keyBytes).seal('token');
      const encodings = [
        keyBytes.toString('hex'),
        keyBytes.toString('hex').toUpperCase(),
        keyBytes.toString('base64'),
        keyBytes.toString('base64url'),
        keyBytes.toString('base64').replace(/=$/, ''),
        `  ${keyBytes.toString('hex')}\n`,
      ];
      for (const encoded of encodings) {
        expect(new SecretBox(encoded).open(sealed)).toBe('token');
      }
    });

    it('reads JUNCTION_SECRET_KEY from the given environment', () => {
      const sealed = new SecretBox(keyBytes).seal('token');
      const fromHex = SecretBox.fromEnv({ JUNCTION_SECRET_KEY: keyBytes.toString('hex') });
      const fromBase64 = SecretBox.fromEnv({ JUNCTION_SECRET_KEY: keyBytes.toString('base64') });
      expect(fromHex.open(sealed)).toBe('token');
      expect(fromBase64.open(sealed)).toBe('token');
    });

    it('explains a missing JUNCTION_SECRET_KEY', () => {
      expect(() => SecretBox.fromEnv({})).toThrow(/JUNCTION_SECRET_KEY is not set/);
      expect(() => SecretBox.fromEnv({ JUNCTION_SECRET_KEY: '  ' })).toThrow(/JUNCTION_SECRET_KEY is not set/);
    });

    it.each([
      ['63 hex characters', 'b'.repeat(63)],
      ['65 hex characters', 'c'.repeat(65)],
      ['non-hex characters', 'zz'.repeat(32)],
      ['base64 of 16 bytes', randomBytes(16).toString('base64')],
      ['base64 of 48 bytes', randomBytes(48).toString('base64')],
      ['a passphrase', 'correct horse battery staple, really'],
    ])('rejects %s without echoing the value', (_case, value) => {
      const error = errorOf(() => SecretBox.fromEnv({ JUNCTION_SECRET_KEY: value }));
      expect(error).toBeInstanceOf(SecretBoxError);
      expect(error.message).toMatch(/JUNCTION_SECRET_KEY must be 64 hex characters or the base64 encoding of 32 bytes/);
      expect(error.message).not.toContain(value);
      expect(error.message).not.toContain(value.slice(0, 8));
    });

    it('rejects raw key bytes of the wrong length', () => {
      expect(() => new SecretBox(randomBytes(31))).toThrow('The SecretBox key must be 32 bytes (got 31)');
    });

    it('generates distinct 64-character hex keys that SecretBox accepts', () => {
      const first = SecretBox.generateKey();
      const second = SecretBox.generateKey();
      expect(first).toMatch(/^[0-9a-f]{64}$/);
      expect(first).not.toBe(second);
      const box = new SecretBox(first);
      expect(box.open(box.seal('x'))).toBe('x');
    });

    it('registers the key so that logs scrub it in its usual encodings', () => {
      const key = randomBytes(32);
      new SecretBox(key);
      const text = `hex=${key.toString('hex')} b64=${key.toString('base64')}`;
      expect(secretRegistry.scrub(text)).toBe('hex=[REDACTED] b64=[REDACTED]');
    });
  });
});
