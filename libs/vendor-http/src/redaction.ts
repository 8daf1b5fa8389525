export type Redact = (text: string) => string;

export const REDACTED = '[REDACTED]';

// Query parameter names whose values are credentials whatever the vendor (RepairShopr api_key, RetailCRM apiKey...).
const SENSITIVE_PARAM = /^(api[_-]?key|access[_-]?token|refresh[_-]?token|token|password|secret|client[_-]?secret)$/i;

export function isSensitiveParam(name: string): boolean {
  return SENSITIVE_PARAM.test(name);
}

/**
 * Builds a function that replaces every occurrence of the given secrets, in the raw, URL-encoded,
 * form-encoded and JSON-escaped spellings in which they show up in URLs and echoed bodies, then applies
 * `extra` (e.g. the process-wide secret registry's scrub).
 */
export function createRedactor(secrets: Iterable<string>, extra?: Redact): Redact {
  // Spelled out at the first use: most calls succeed and redact nothing.
  let ordered: string[] | undefined;
  return (text) => {
    ordered ??= spellingsOf(secrets);
    let result = text;
    for (const spelling of ordered) result = result.split(spelling).join(REDACTED);
    return extra ? extra(result) : result;
  };
}

/** Every spelling of the secrets, longest first, so a secret that contains another is replaced whole. */
function spellingsOf(secrets: Iterable<string>): string[] {
  const spellings = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    spellings.add(secret);
    spellings.add(encodeURIComponent(secret));
    spellings.add(new URLSearchParams({ v: secret }).toString().slice(2));
    spellings.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...spellings].sort((a, b) => b.length - a.length);
}

/** The credential values inside auth headers: the whole value and the part after a scheme ('Bearer x', 'Basic x'). */
export function credentialsInHeaders(headers: Record<string, string>): string[] {
  const values: string[] = [];
  for (const value of Object.values(headers)) {
    values.push(value);
    const schemed = /^(\w+)\s+(.+)$/.exec(value);
    if (!schemed) continue;
    values.push(schemed[2]);
    if (schemed[1].toLowerCase() === 'basic') {
      const decoded = Buffer.from(schemed[2], 'base64').toString('utf8');
      const password = decoded.slice(decoded.indexOf(':') + 1);
      if (decoded.includes(':') && password) values.push(password);
    }
  }
  return values;
}
