import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Whether an Authorization header carries the expected bearer token. Both sides are hashed first so the
 * comparison takes the same time whatever the length or content of the guess.
 */
export function bearerTokenMatches(authorization: string | undefined, expectedToken: string): boolean {
  const match = /^Bearer (.+)$/i.exec(authorization ?? '');
  const presented = match?.[1]?.trim() ?? '';
  const equal = timingSafeEqual(digest(presented), digest(expectedToken));
  return equal && presented.length > 0;
}
