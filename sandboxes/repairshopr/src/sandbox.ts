import { createSandboxApp, Router, text, type SandboxApp } from '@junction/sandbox-kit';
import { errorPage, findToken, PAGE_NOT_FOUND } from './auth';
import { createData, type RepairShoprData } from './data';
import { contactRoutes } from './routes/contacts';
import { customerRoutes } from './routes/customers';
import { estimateRoutes } from './routes/estimates';
import { meRoutes } from './routes/me';
import { productRoutes } from './routes/products';
import { seed, SEEDED, SeedOptions } from './seed';

/** `npm run sandbox -- repairshopr` listens here unless told otherwise. */
export const DEFAULT_PORT = 4010;

/**
 * The base URL a connector uses for a subdomain. In production the same template is
 * `https://{subdomain}.repairshopr.com/api/v1`, so a connector configured with a base URL template works unchanged.
 */
export function baseUrlFor(sandboxUrl: string, subdomain: string): string {
  return `${sandboxUrl}/${subdomain}/api/v1`;
}

function apiRoutes(api: Router<RepairShoprData>): void {
  meRoutes(api);
  customerRoutes(api);
  contactRoutes(api);
  productRoutes(api);
  estimateRoutes(api);
}

const routes = new Router<RepairShoprData>()
  // Reached through a subdomain in the path (any client) or in the Host header (`acme.repairshopr.com`, proxies).
  .group('/:subdomain/api/v1', apiRoutes)
  .group('/api/v1', apiRoutes);

export function createSandbox(): SandboxApp {
  return createSandboxApp({
    name: 'repairshopr',
    createData,
    seedOptions: SeedOptions,
    seed,
    routes,
    credentialOf: (request, data) => {
      const token = findToken(request, data);
      return token ? `token:${token.id}` : undefined;
    },
    // Documented as 180 requests per minute (per IP in the docs; per token here, which is what one connection spends).
    rateLimits: [{ name: 'api', policy: { kind: 'fixed-window', limit: 180, windowMs: 60_000, retryAfter: true } }],
    // The live 429 body is undocumented; Rails' Rack::Attack default answer.
    rateLimited: () => text(429, 'Retry later\n'),
    notFound: PAGE_NOT_FOUND,
    malformedBody: () => errorPage(400, 'Bad Request'),
    describe: (url) => [
      `RepairShopr API v1 for subdomain "${SEEDED.subdomain}": ${baseUrlFor(url, SEEDED.subdomain)}`,
      `  base URL template: ${url}/{subdomain}/api/v1   (production: https://{subdomain}.repairshopr.com/api/v1)`,
      `  API token, all needed permissions: ${SEEDED.tokens.full}`,
      `  API token without Estimates:       ${SEEDED.tokens.noEstimates}`,
      `  API token, expired:                ${SEEDED.tokens.expired}`,
      `second shop "${SEEDED.other.subdomain}": ${baseUrlFor(url, SEEDED.other.subdomain)}  token ${SEEDED.other.token}`,
      `control API: ${url}/__sandbox (reset, seed, state, requests, faults, rate-limits, clock)`,
    ],
  });
}
