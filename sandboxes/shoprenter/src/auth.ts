import { header, type Handler, type Reply, type SandboxRequest } from '@junction/sandbox-kit';
import type { ShoprenterData } from './data';
import { apiError, TOO_MANY_REQUESTS } from './errors';
import type { Shop } from './records';

/** Legacy API (`{shop}.api.myshoprenter.hu`, HTTP Basic) or the OAuth2 one (`{shop}.api2.myshoprenter.hu/api`, Bearer). */
export type AuthMode = 'basic' | 'oauth';

export interface Caller {
  shop: Shop;
  /** Absolute URL of the API root as the caller reached it: the prefix of every `href`. */
  baseUrl: string;
}

export type GuardedHandler = (request: SandboxRequest, data: ShoprenterData, caller: Caller) => Reply | Promise<Reply>;

function basicCredentials(request: SandboxRequest): { username: string; password: string } | undefined {
  const match = /^Basic\s+(.+)$/i.exec(header(request, 'authorization') ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function bearerToken(request: SandboxRequest): string | undefined {
  return /^Bearer\s+(.+)$/i.exec(header(request, 'authorization') ?? '')?.[1];
}

/**
 * The rate-limit key: Shoprenter counts per application and shop, so per API user (Basic) or per API client
 * (OAuth). The shop is the first path segment; a credential that does not fit the shop counts by address.
 */
export function credentialOf(request: SandboxRequest, data: ShoprenterData): string | undefined {
  const shopName = request.path.split('/')[1];
  const shop = data.shops.find((candidate) => candidate.name === shopName);
  if (!shop) return undefined;
  const basic = basicCredentials(request);
  if (basic && basic.username === shop.apiUsername && basic.password === shop.apiPassword) return `basic:${shop.name}:${basic.username}`;
  const token = bearerToken(request);
  const stored = token ? data.accessTokens.find((candidate) => candidate.accessToken === token) : undefined;
  if (stored && stored.shopId === shop.id) return `oauth:${shop.name}:${stored.clientId}`;
  return undefined;
}

const UNAUTHORIZED = () => apiError(401, 401, 'Unauthorized', { 'www-authenticate': 'Basic realm="Shoprenter API"' });

function authorized(request: SandboxRequest, data: ShoprenterData, shop: Shop, mode: AuthMode): Reply | undefined {
  if (mode === 'basic') {
    // After the OAuth migration a third-party client reports 403 for Basic; the reset option `basicAuth` turns that on.
    if (!data.basicAuthEnabled) return apiError(403, 403, 'Forbidden');
    const basic = basicCredentials(request);
    return basic && basic.username === shop.apiUsername && basic.password === shop.apiPassword ? undefined : UNAUTHORIZED();
  }
  const token = bearerToken(request);
  const stored = token ? data.accessTokens.find((candidate) => candidate.accessToken === token) : undefined;
  if (!stored || stored.shopId !== shop.id) return apiError(401, 401, 'Unauthorized');
  if (stored.expiresAt <= data.store.clock.nowMs()) return apiError(401, 401, 'The access token has expired');
  return undefined;
}

/**
 * Wraps a handler with the checks in Shoprenter's order: the shop exists, the caller is not locked out for
 * hammering, the credential of the mode is valid for this shop.
 */
export function guarded(mode: AuthMode, handler: GuardedHandler): Handler<ShoprenterData> {
  return (request, data) => {
    const shop = data.shops.find((candidate) => candidate.name === request.params.shop);
    if (!shop) return apiError(404, 40401, `Shop "${request.params.shop}" not found`);
    const credential = credentialOf(request, data);
    if (credential && data.lockout.remainingMs(credential, data.store.clock.nowMs()) > 0) return TOO_MANY_REQUESTS();
    const refusal = authorized(request, data, shop, mode);
    if (refusal) return refusal;
    const root = mode === 'basic' ? `/${shop.name}` : `/${shop.name}/api`;
    return handler(request, data, { shop, baseUrl: `http://${header(request, 'host') ?? '127.0.0.1'}${root}` });
  };
}

