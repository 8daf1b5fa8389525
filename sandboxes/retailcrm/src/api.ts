import { header, intParam, json, stringParam, type Handler, type ParamObject, type Reply, type SandboxRequest } from '@junction/sandbox-kit';
import type { RetailCrmData } from './data';
import type { ApiKey, Scope } from './records';

/** RetailCRM's error envelope; `errors` is an object keyed by field or a list of strings. */
export function failure(status: number, errorMsg: string, errors?: Record<string, string> | string[]): Reply {
  return json(status, { success: false, errorMsg, ...(errors ? { errors } : {}) });
}

export const NOT_FOUND = () => failure(404, 'Not found');

/** The key as RetailCRM takes it: `X-API-KEY`, else `apiKey` in the query or the form body. */
export function presentedKey(request: SandboxRequest): string | undefined {
  return header(request, 'x-api-key') ?? stringParam(request.query, 'apiKey') ?? stringParam(formBody(request), 'apiKey');
}

/** The parsed form body of a POST (RetailCRM takes no JSON bodies); empty for anything else. */
export function formBody(request: SandboxRequest): ParamObject {
  const body = request.body;
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as ParamObject) : {};
}

export function findKey(request: SandboxRequest, data: RetailCrmData): ApiKey | undefined {
  const key = presentedKey(request);
  return key ? data.apiKeys.find((candidate) => candidate.key === key) : undefined;
}

export function canReach(key: ApiKey, site: string): boolean {
  return key.sites === null || key.sites.includes(site);
}

/** Site codes the key reaches, in the account's order. */
export function reachableSites(key: ApiKey, data: RetailCrmData): string[] {
  return data.sites.all().map((site) => site.code).filter((code) => canReach(key, code));
}

export type KeyedHandler = (request: SandboxRequest, data: RetailCrmData, key: ApiKey) => Reply | Promise<Reply>;

/**
 * Wraps a handler with RetailCRM's key check and, when the method needs one, the key's scope; the status codes of
 * these refusals are our guess (403), and so is `Access denied.` for a missing scope.
 */
export function withKey(handler: KeyedHandler, scope?: Scope): Handler<RetailCrmData> {
  return (request, data) => {
    if (!presentedKey(request)) return failure(403, '"apiKey" is missing.');
    const key = findKey(request, data);
    if (!key) return failure(403, 'Wrong "apiKey" value.');
    if (scope !== undefined && !key.scopes.includes(scope)) return failure(403, 'Access denied.');
    return handler(request, data, key);
  };
}

/** Documented page sizes; anything else is refused (the message is our guess). */
const LIMITS = [20, 50, 100];

export function pageRequest(request: SandboxRequest): { page: number; limit: number } | Reply {
  const limit = intParam(request.query, 'limit') ?? 20;
  const page = intParam(request.query, 'page') ?? 1;
  const errors: Record<string, string> = {};
  if (!LIMITS.includes(limit)) errors.limit = `The value you selected is not a valid choice (${LIMITS.join(', ')}).`;
  if (page < 1) errors.page = 'This value should be greater than or equal to 1.';
  return Object.keys(errors).length > 0 ? failure(400, 'Errors in the input parameters', errors) : { page, limit };
}

export function pagination(page: number, limit: number, totalCount: number) {
  return { limit, totalCount, currentPage: page, totalPageCount: Math.ceil(totalCount / limit) };
}

/** A form field holding JSON (`order={...}`): the parsed value, or undefined when absent or not JSON. */
export function jsonField(request: SandboxRequest, name: string): unknown {
  const raw = stringParam(formBody(request), name);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** A scalar parameter (`site`, `by`) from the form body or, as RetailCRM also takes it, the query. */
export function scalarParam(request: SandboxRequest, name: string): string | undefined {
  return stringParam(formBody(request), name) ?? stringParam(request.query, name);
}
