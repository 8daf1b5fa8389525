import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { secretRegistry } from './secret-registry';

const ALGORITHM = 'aes-256-gcm';
const FORMAT_VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEX_KEY = /^[0-9a-f]{64}$/i;
// 32 bytes are 43 base64 characters plus one '=' of padding; both alphabets are accepted.
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;
const BASE64URL_PART = /^[A-Za-z0-9_-]*$/;
const HOW_TO_GENERATE = 'generate one with SecretBox.generateKey() or `openssl rand -hex 32`';

/** Raised for an unusable key or a sealed value that cannot be opened. Never carries key or plaintext. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/**
 * AES-256-GCM encryption of credentials at rest.
 * Sealed form: 'v1.<iv>.<tag>.<ciphertext>' (base64url parts, random 12-byte IV, 16-byte tag).
 * Associated data (e.g. the connection id) is authenticated but not stored: a value sealed for one
 * connection cannot be opened as another's, so database rows cannot be swapped.
 */
export class SecretBox {
  private readonly key: Buffer;

  /** @param key 32 bytes, or their hex (64 characters) or base64 encoding. */
  constructor(key: Uint8Array | string) {
    const bytes = typeof key === 'string' ? parseKey(key, 'The SecretBox key') : Buffer.from(key);
    if (bytes.length !== KEY_BYTES) {
      throw new SecretBoxError(`The SecretBox key must be ${KEY_BYTES} bytes (got ${bytes.length})`);
    }
    this.key = bytes;
    for (const encoding of ['hex', 'base64', 'base64url'] as const) {
      secretRegistry.register(bytes.toString(encoding));
    }
  }

  /** Reads the key from JUNCTION_SECRET_KEY: 64 hex characters or base64 of 32 bytes. */
  static fromEnv(env: Record<string, string | undefined> = process.env): SecretBox {
    const value = env.JUNCTION_SECRET_KEY;
    if (value === undefined || value.trim() === '') {
      throw new SecretBoxError(`JUNCTION_SECRET_KEY is not set; ${HOW_TO_GENERATE}`);
    }
    return new SecretBox(parseKey(value, 'JUNCTION_SECRET_KEY'));
  }

  /** A new random key as 64 hex characters, suitable for JUNCTION_SECRET_KEY. */
  static generateKey(): string {
    return randomBytes(KEY_BYTES).toString('hex');
  }

  seal(plaintext: string, associatedData?: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT_VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Decrypts a value from `seal`; the associated data must equal the one it was sealed with. */
  open(sealed: string, associatedData?: string): string {
    const { iv, tag, ciphertext } = parseSealed(sealed);
    const decipher = createDecipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'Cannot open the sealed secret: wrong key, wrong associated data, or the value was altered',
      );
    }
  }
}

function parseKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  if (HEX_KEY.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (BASE64_KEY.test(trimmed)) return Buffer.from(trimmed, 'base64');
  // The length helps spot a truncated copy-paste; the value itself is never repeated.
  throw new SecretBoxError(
    `${source} must be 64 hex characters or the base64 encoding of ${KEY_BYTES} bytes ` +
      `(got ${trimmed.length} characters); ${HOW_TO_GENERATE}`,
  );
}

function parseSealed(sealed: string): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  if (parts.length !== 4 || !parts.slice(1).every((part) => BASE64URL_PART.test(part))) {
    throw new SecretBoxError('Malformed sealed secret: expected v1.<iv>.<tag>.<ciphertext>');
  }
  if (parts[0] !== FORMAT_VERSION) {
    throw new SecretBoxError(`Unsupported sealed secret version; this build reads ${FORMAT_VERSION}`);
  }
  const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new SecretBoxError('Malformed sealed secret: wrong IV or tag length');
  }
  return { iv, tag, ciphertext };
}
