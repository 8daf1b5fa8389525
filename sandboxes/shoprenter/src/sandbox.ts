import { createSandboxApp, Router, type SandboxApp } from '@junction/sandbox-kit';
import { credentialOf, type AuthMode } from './auth';
import { createData, type ShoprenterData } from './data';
import { apiError, notFound, TOO_MANY_REQUESTS } from './errors';
import { catalogRoutes } from './routes/catalog';
import { orderRoutes } from './routes/orders';
import { tokenRoutes } from './routes/token';
import { seed, SEEDED, SeedOptions } from './seed';

/** `npm run sandbox -- shoprenter` listens here unless told otherwise. */
export const DEFAULT_PORT = 4012;

/**
 * The API base URL of a shop. Production: `https://{shop}.api.myshoprenter.hu` (Basic) and
 * `https://{shop}.api2.myshoprenter.hu/api` (OAuth2 Bearer); here the shop is the first path segment.
 */
export function baseUrlFor(sandboxUrl: string, shop: string, mode: AuthMode = 'basic'): string {
  return mode === 'basic' ? `${sandboxUrl}/${shop}` : `${sandboxUrl}/${shop}/api`;
}

/** The client-credentials token URL of a shop (production: `https://oauth.app.shoprenter.net/{shop}/app/token`). */
export function tokenUrlFor(sandboxUrl: string, shop: string): string {
  return `${sandboxUrl}/oauth/${shop}/app/token`;
}

function apiRoutes(mode: AuthMode) {
  return (api: Router<ShoprenterData>) => {
    orderRoutes(api, mode);
    catalogRoutes(api, mode);
  };
}

export function createSandbox(): SandboxApp {
  let data: ShoprenterData | undefined;
  const routes = new Router<ShoprenterData>();
  tokenRoutes(routes);
  routes.group('/:shop/api', apiRoutes('oauth')).group('/:shop', apiRoutes('basic'));
  return createSandboxApp({
    name: 'shoprenter',
    createData: (store) => (data = createData(store)),
    seedOptions: SeedOptions,
    seed,
    routes,
    credentialOf,
    // Documented: 3 requests a second per application and shop, 429 without rate-limit headers.
    rateLimits: [{ name: 'api', policy: { kind: 'token-bucket', capacity: 3, refillPerSecond: 3, retryAfter: false } }],
    rateLimited: (request) => {
      // Each refusal counts towards the block that parallel syncs run into.
      const credential = data && credentialOf(request, data);
      if (data && credential) data.lockout.recordRefusal(credential, data.store.clock.nowMs());
      return TOO_MANY_REQUESTS();
    },
    notFound: (request) => notFound(request.path),
    malformedBody: () => apiError(400, 40005, 'The request body could not be parsed'),
    describe: (url) => [
      `Shoprenter shop "${SEEDED.shop}":`,
      `  legacy API (HTTP Basic):  ${baseUrlFor(url, SEEDED.shop)}   user ${SEEDED.apiUsername}  password ${SEEDED.apiPassword}`,
      `  OAuth2 API (Bearer):      ${baseUrlFor(url, SEEDED.shop, 'oauth')}`,
      `  token URL:                ${tokenUrlFor(url, SEEDED.shop)}   client_id ${SEEDED.clientId}  client_secret ${SEEDED.clientSecret}`,
      `second shop "${SEEDED.other.shop}": ${baseUrlFor(url, SEEDED.other.shop)}  user ${SEEDED.other.apiUsername}  password ${SEEDED.other.apiPassword}`,
      `control API: ${url}/__sandbox (reset {orders, basicAuth, lockout}, seed, state, records, requests, faults, rate-limits, clock)`,
    ],
  });
}
