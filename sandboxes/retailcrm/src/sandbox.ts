import { createSandboxApp, Router, type SandboxApp } from '@junction/sandbox-kit';
import { failure, findKey } from './api';
import { controlRoutes } from './control';
import { createData, type RetailCrmData } from './data';
import { orderRoutes } from './routes/orders';
import { productRoutes } from './routes/products';
import { credentialsRoutes, referenceRoutes } from './routes/references';
import { seed, SEEDED, SeedOptions } from './seed';

/** `npm run sandbox -- retailcrm` listens here unless told otherwise. */
export const DEFAULT_PORT = 4015;

/** The API v5 base URL; production is `https://{account}.retailcrm.ru/api/v5`. */
export function baseUrlFor(sandboxUrl: string): string {
  return `${sandboxUrl}/api/v5`;
}

const routes = new Router<RetailCrmData>()
  .group('/api/v5', (api) => {
    referenceRoutes(api);
    orderRoutes(api);
    productRoutes(api);
  })
  .group('/api', credentialsRoutes);

export function createSandbox(): SandboxApp {
  return createSandboxApp({
    name: 'retailcrm',
    createData,
    seedOptions: SeedOptions,
    seed,
    routes,
    controlRoutes,
    credentialOf: (request, data) => {
      const key = findKey(request, data);
      return key ? `key:${key.id}` : undefined;
    },
    // The official SDK's limiter: 10 requests a second per key. No Retry-After was ever seen.
    rateLimits: [{ name: 'api', policy: { kind: 'token-bucket', capacity: 10, refillPerSecond: 10, retryAfter: false } }],
    rateLimited: () => failure(503, 'Rate limit exceeded'),
    // Unknown-method wording is our guess; the envelope is RetailCRM's.
    notFound: () => failure(404, 'API method not found'),
    malformedBody: () => failure(400, 'Errors in the input parameters'),
    describe: (url) => [
      `RetailCRM API v5: ${baseUrlFor(url)}   (production: https://{account}.retailcrm.ru/api/v5)`,
      `  sites: ${SEEDED.sites.zzap}, ${SEEDED.sites.website}; warehouse: ${SEEDED.warehouse}`,
      `  X-API-KEY for Junction (both sites):      ${SEEDED.apiKeys.junction}`,
      `  X-API-KEY of another API client (all):    ${SEEDED.apiKeys.warehouse}`,
      `  X-API-KEY for site "website" only:        ${SEEDED.apiKeys.websiteOnly}`,
      `  X-API-KEY reading orders only (no writes): ${SEEDED.apiKeys.readOnly}`,
      `  CRM user id ${SEEDED.userId}: POST ${url}/__sandbox/orders/{id}/status {"status":"…","user":${SEEDED.userId}} or {"status":"…","apiKey":"…"}`,
      `control API: ${url}/__sandbox (reset, seed, state, requests, faults, rate-limits, clock)`,
    ],
  });
}
