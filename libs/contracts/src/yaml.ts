// A minimal YAML emitter for JSON values: enough for the generated AsyncAPI document, with no dependency.
// Strings that could be misread (numbers, booleans, indicators, spaces) are written as JSON strings, which
// YAML reads as double-quoted scalars.

// As in JSON.stringify, an undefined property is left out.
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue | undefined };

const PLAIN = /^[A-Za-z$][A-Za-z0-9_.$/-]*$/;
// Words YAML 1.1 readers take for booleans or null.
const RESERVED = /^(y|n|yes|no|on|off|true|false|null)$/i;

function scalar(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return String(value);
  return PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
}

type JsonCollection = JsonValue[] | { [key: string]: JsonValue | undefined };

function definedEntries(object: { [key: string]: JsonValue | undefined }): [string, JsonValue][] {
  return Object.entries(object).filter((entry): entry is [string, JsonValue] => entry[1] !== undefined);
}

function isNonEmptyCollection(value: JsonValue): value is JsonCollection {
  if (typeof value !== 'object' || value === null) return false;
  return Array.isArray(value) ? value.length > 0 : definedEntries(value).length > 0;
}

function inline(value: JsonValue): string {
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object' && value !== null) return '{}';
  return scalar(value);
}

function block(value: JsonCollection, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (!isNonEmptyCollection(item)) return [`${indent}- ${inline(item)}`];
      // The item's first line goes right after the dash: '- key: value'.
      const lines = block(item, `${indent}  `);
      lines[0] = `${indent}- ${lines[0].slice(indent.length + 2)}`;
      return lines;
    });
  }
  return definedEntries(value).flatMap(([key, item]) =>
    isNonEmptyCollection(item)
      ? [`${indent}${scalar(key)}:`, ...block(item, `${indent}  `)]
      : [`${indent}${scalar(key)}: ${inline(item)}`],
  );
}

export function toYaml(value: JsonValue): string {
  return `${isNonEmptyCollection(value) ? block(value, '').join('\n') : inline(value)}\n`;
}
