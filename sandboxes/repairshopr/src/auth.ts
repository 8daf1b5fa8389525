import { header, json, stringParam, text, type Handler, type Reply, type SandboxRequest } from '@junction/sandbox-kit';
import type { RepairShoprData } from './data';
import type { Account, ApiToken, User } from './records';

/** The permission names of RepairShopr's API token screen that the simulated endpoints check. */
export const PERMISSIONS = {
  customersList: 'Customers - List/Search',
  customersView: 'Customers - View Detail',
  customersCreate: 'Customers - Create',
  customersEdit: 'Customers - Edit',
  productsList: 'Products - List/Search',
  productsCreate: 'Products - Create',
  productsEdit: 'Products - Edit',
  estimatesList: 'Estimates - List/Search',
  estimatesView: 'Estimates - View Details',
  estimatesCreate: 'Estimates - Create',
  estimatesEdit: 'Estimates - Edit',
} as const;

export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

export interface Caller {
  account: Account;
  user: User;
  token: ApiToken;
}

/** The documented body of a 401 for a token whose permission set lacks the endpoint's permission. */
export const NOT_PERMITTED = { error: 'Not authorized. Please ask account admin to update your group permissions.' };

/** A missing, unknown or expired key: a 401 too, but its body is undocumented (our guess). */
const BAD_KEY = { error: 'Not authorized' };

/**
 * The account a request is for: the `:subdomain` of a `/<subdomain>/api/v1` path (how a connector with a base URL
 * template reaches the sandbox), else the first label of a `<subdomain>.repairshopr.com`-style Host header.
 */
export function subdomainOf(request: SandboxRequest): string | undefined {
  if (request.params.subdomain) return request.params.subdomain.toLowerCase();
  const host = (header(request, 'host') ?? '').replace(/:\d+$/, '').toLowerCase();
  const labels = host.split('.');
  if (labels.length < 2 || /^[\d.]+$/.test(host) || host.startsWith('[')) return undefined;
  return labels[0];
}

/** The key as RepairShopr takes it: `Authorization: Bearer <key>`, a bare key in Authorization, or `?api_key=`. */
export function presentedKey(request: SandboxRequest): string | undefined {
  const authorization = header(request, 'authorization')?.trim();
  if (authorization) return authorization.replace(/^Bearer\s+/i, '');
  return stringParam(request.query, 'api_key');
}

export function findToken(request: SandboxRequest, data: RepairShoprData): ApiToken | undefined {
  const key = presentedKey(request);
  return key ? data.apiTokens.find((token) => token.token === key) : undefined;
}

/** A Rails-style HTML error page: what an unknown subdomain or path gets instead of JSON (our guess). */
export function errorPage(status: number, message: string): Reply {
  return text(
    status,
    `<!DOCTYPE html>\n<html>\n<head><title>${message}</title></head>\n<body><h1>${message}</h1></body>\n</html>\n`,
    'text/html; charset=utf-8',
  );
}

export const PAGE_NOT_FOUND = () => errorPage(404, "The page you were looking for doesn't exist.");

export type GuardedHandler = (request: SandboxRequest, data: RepairShoprData, caller: Caller) => Reply | Promise<Reply>;

/**
 * Wraps a handler with RepairShopr's checks, in its order: the subdomain's account exists (else an HTML 404),
 * the key is valid for that account and not expired (else 401), the token holds the permission (else 401).
 */
export function guarded(permission: Permission | null, handler: GuardedHandler): Handler<RepairShoprData> {
  return (request, data) => {
    const subdomain = subdomainOf(request);
    const account = subdomain ? data.accounts.find((candidate) => candidate.subdomain === subdomain) : undefined;
    if (!account) return PAGE_NOT_FOUND();
    const token = findToken(request, data);
    const now = data.store.clock.nowMs();
    if (!token || token.account_id !== account.id || (token.expires_at !== null && Date.parse(token.expires_at) <= now)) {
      return json(401, BAD_KEY);
    }
    if (permission && !token.permissions.includes(permission)) return json(401, NOT_PERMITTED);
    const user = data.users.get(token.user_id);
    if (!user) return json(401, BAD_KEY);
    return handler(request, data, { account, user, token });
  };
}
