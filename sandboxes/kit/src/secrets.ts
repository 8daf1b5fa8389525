import { createHash } from 'node:crypto';

/**
 * A credential value derived from a label (`stableSecret('repairshopr/acme/full')`): the same on every start
 * and reset, so docs, demos and tests can name it, yet it looks like a real key.
 */
export function stableSecret(label: string, length = 32): string {
  let hex = '';
  for (let round = 0; hex.length < length; round++) {
    hex += createHash('sha256').update(`junction-sandbox:${label}:${round}`).digest('hex');
  }
  return hex.slice(0, length);
}
