import { REDACTED, isSecretKey } from './secret-keys';

// Base for parsing relative references such as '/v1/orders?token=…'; never shown in the output.
const RELATIVE_BASE = 'http://relative.invalid';

/**
 * Removes userinfo (user:password@) and the values of secret-looking query parameters.
 * Other parameters keep their original encoding. Text that is not a URL comes back unchanged.
 */
export function stripUrlSecrets(text: string): string {
  const absolute = parseUrl(text);
  const url = absolute ?? parseUrl(text, RELATIVE_BASE);
  if (!url) return text;
  url.username = '';
  url.password = '';
  url.search = redactQuery(url.search);
  return absolute ? url.href : `${url.pathname}${url.search}${url.hash}`;
}

function parseUrl(text: string, base?: string): URL | undefined {
  try {
    return new URL(text, base);
  } catch {
    return undefined;
  }
}

function redactQuery(search: string): string {
  if (search.length <= 1) return search;
  const pairs = search.slice(1).split('&').map((pair) => {
    const rawName = pair.split('=', 1)[0];
    return isSecretKey(decodeQueryName(rawName)) ? `${rawName}=${REDACTED}` : pair;
  });
  return `?${pairs.join('&')}`;
}

function decodeQueryName(rawName: string): string {
  try {
    return decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    return rawName;
  }
}
