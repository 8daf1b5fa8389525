/** What stands in for an e-mail address or a phone number that was scrubbed. */
export const PERSONAL_DATA = { email: '[email]', phone: '[phone]' } as const;

// `%40` too: e-mails travel in query strings.
const EMAIL = /[\p{L}\p{N}._%+-]+(?:@|%40)[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

// Groups of digits (or an area code in parentheses) joined by one separator each (` `, `-`, ` / `...), optionally after
// `+`, standing alone: not inside a word, an id (`a1b2-...`), a decimal or a time (`09:30:11`).
const DIGIT_GROUP = String.raw`(?:\d+|\(\d{1,5}\))`;
const PHONE_CANDIDATE = new RegExp(
  String.raw`(?:(?<![\w+])\+|(?<![\w.\/+:(-]))${DIGIT_GROUP}(?:(?:\s?[.\/-]\s?|\s)${DIGIT_GROUP})*(?![\w@]|[.\/:-]\d)`,
  'g',
);
const SEPARATOR = /[ ().\/-]/;
const NOT_A_PHONE = [
  /^\d{4}([-./])\d{1,2}\1\d{1,2}$/, // 2026-01-12, 2026.01.12
  /^\d{1,2}([-./])\d{1,2}\1\d{2,4}$/, // 12.01.2026, 01/12/26
  /^\d{1,3}(\.\d{1,3}){3}$/, // an IPv4 address
  /^\d+\.\d+$/, // a decimal number
];

// Contact fields, and what their values look like when they hold the contact detail itself (an e-mail a vendor refused
// as invalid, a phone number without separators) rather than a message about it ('has already been taken').
const CONTACT_FIELDS: Array<{ field: RegExp; holds: (value: string) => boolean; replacement: string }> = [
  { field: /e-?mail/i, holds: (value) => /^\S*@\S*$/.test(value), replacement: PERSONAL_DATA.email },
  {
    field: /phone|mobile|^fax$|^tel$/i,
    holds: (value) => /^[+\d\s().\/-]+$/.test(value) && value.replace(/\D/g, '').length >= 7,
    replacement: PERSONAL_DATA.phone,
  },
];

/**
 * Replaces e-mail addresses and phone numbers in free text (a vendor's error message, a log line) by `[email]` and
 * `[phone]`. A phone number is told from an id by its shape: 7 to 15 digits after a `+`, or in groups with separators
 * (`+36 30 123 4567`, `(555) 123-4567`); a bare run of digits is left alone, as ids look the same, and so are dates,
 * IP addresses and decimals.
 */
export function scrubPersonalData(text: string): string {
  // Every span attribute and log line comes through here and most hold neither: the scans are skipped where they
  // cannot match (the e-mail pattern tries each position of every run of letters).
  const withoutEmails = text.includes('@') || text.includes('%40') ? text.replace(EMAIL, PERSONAL_DATA.email) : text;
  if (!/\d/.test(withoutEmails)) return withoutEmails;
  return withoutEmails.replace(PHONE_CANDIDATE, (candidate) => (isPhoneNumber(candidate) ? PERSONAL_DATA.phone : candidate));
}

/**
 * A copy of a parsed document (a vendor's JSON answer) without personal data: the e-mail or phone number a contact
 * field (`email`, `phone`, `mobile`...) holds is replaced whatever its shape, and every string is scrubbed like free
 * text. `field` names the value's own field.
 */
export function scrubPersonalFields(value: unknown, field?: string): unknown {
  if (typeof value === 'string' || typeof value === 'number') {
    const text = String(value);
    const contact = field === undefined ? undefined : CONTACT_FIELDS.find((candidate) => candidate.field.test(field));
    if (contact?.holds(text)) return contact.replacement;
    return typeof value === 'string' ? scrubPersonalData(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => scrubPersonalFields(item, field));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrubPersonalFields(inner, key)]));
  }
  return value;
}

function isPhoneNumber(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '').length;
  if (digits < 7 || digits > 15) return false;
  if (candidate.startsWith('+')) return true;
  return SEPARATOR.test(candidate) && !NOT_A_PHONE.some((shape) => shape.test(candidate));
}
