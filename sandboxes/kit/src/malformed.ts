import { STATUS_CODES } from 'node:http';
import type { MalformedRule } from './faults';
import { text, type Reply } from './http/reply';

/** The error page a proxy or web framework sends, whatever the API's own format. */
export function htmlPage(status: number): Reply {
  const title = `${status} ${STATUS_CODES[status] ?? 'Server Error'}`;
  return text(status, `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`, 'text/html; charset=utf-8');
}

/** The handled answer broken as the rule says: cut off halfway, or with one JSON value removed or of another type. */
export function malformedReply(reply: Reply, rule: MalformedRule): Reply {
  if (rule.variant === 'html') return htmlPage(rule.status);
  if (rule.variant === 'truncated') return { ...reply, body: reply.body.slice(0, Math.ceil(reply.body.length / 2)) };
  const body: unknown = JSON.parse(reply.body);
  const path = rule.field?.split('.') ?? [];
  const key = path.at(-1)!;
  const parent = path.slice(0, -1).reduce<unknown>((node, step) => (isContainer(node) ? node[step] : undefined), body);
  if (!isContainer(parent) || !(key in parent)) throw new Error(`the answer has no field ${rule.field}`);
  if (rule.variant === 'missing-field') delete parent[key];
  else parent[key] = ofAnotherType(parent[key]);
  return { ...reply, body: JSON.stringify(body) };
}

function isContainer(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Text where an object or array belongs, an object where a scalar does: no schema takes both. */
function ofAnotherType(value: unknown): unknown {
  return isContainer(value) ? 'unexpected text' : { unexpected: 'object' };
}
