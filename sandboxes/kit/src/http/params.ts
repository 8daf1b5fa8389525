/** A parsed query or form value: brackets in keys nest (`filter[ids][]=1`), as PHP and Rails read them. */
export type ParamValue = string | ParamValue[] | ParamObject;
export interface ParamObject {
  [key: string]: ParamValue;
}

/**
 * Parses `a=1&filter[ids][]=1&filter[ids][]=2&filter[customFields][nps]=5` into nested objects and arrays.
 * `[]` appends to an array; a repeated plain key keeps its last value (both PHP's and Rails' rule).
 */
export function parseParams(search: string): ParamObject {
  const root: ParamObject = {};
  for (const [key, value] of new URLSearchParams(search)) assign(root, keyPath(key), value);
  return root;
}

/** `filter[ids][]` → ['filter', 'ids', '']; a key whose brackets don't close is taken literally. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const path = [key.slice(0, open)];
  const brackets = key.slice(open);
  const segment = /\[([^\]]*)\]/g;
  let consumed = 0;
  for (let match = segment.exec(brackets); match; match = segment.exec(brackets)) {
    if (match.index !== consumed) return [key];
    path.push(match[1]);
    consumed = match.index + match[0].length;
  }
  return consumed === brackets.length ? path : [key];
}

function assign(root: ParamObject, path: string[], value: string): void {
  let container: ParamObject | ParamValue[] = root;
  for (let i = 0; i < path.length; i++) {
    const last = i === path.length - 1;
    const childIsArray = !last && path[i + 1] === '';
    if (Array.isArray(container)) {
      // Only an `[]` segment reaches an array: every occurrence appends a new element.
      if (last) {
        container.push(value);
        return;
      }
      const child: ParamObject | ParamValue[] = childIsArray ? [] : {};
      container.push(child);
      container = child;
      continue;
    }
    const key = path[i];
    if (last) {
      container[key] = value;
      return;
    }
    const existing: ParamValue | undefined = container[key];
    const fits: boolean = childIsArray ? Array.isArray(existing) : isParamObject(existing);
    const child: ParamObject | ParamValue[] = fits ? (existing as ParamObject | ParamValue[]) : childIsArray ? [] : {};
    container[key] = child;
    container = child;
  }
}

export function isParamObject(value: ParamValue | undefined): value is ParamObject {
  return typeof value === 'object' && !Array.isArray(value);
}

/** A scalar parameter; for a repeated `key[]` the last value. */
export function stringParam(params: ParamObject, key: string): string | undefined {
  const value = params[key];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const last = value[value.length - 1];
    return typeof last === 'string' ? last : undefined;
  }
  return undefined;
}

/** A whole number parameter; anything else (missing, `abc`, `1.5`) is undefined. */
export function intParam(params: ParamObject, key: string): number | undefined {
  const value = stringParam(params, key);
  return value !== undefined && /^-?\d+$/.test(value.trim()) ? Number(value) : undefined;
}

/** A list parameter: `id[]=1&id[]=2` and a single `id=1` alike. */
export function listParam(params: ParamObject, key: string): string[] {
  const value = params[key];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}
