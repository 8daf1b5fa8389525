import { createSandboxApp, Router, type SandboxApp } from '@junction/sandbox-kit';
import { credentialKey } from './auth';
import { createData, type ZomentumData } from './data';
import { apiError } from './errors';
import { clientRoutes } from './routes/clients';
import { contactRoutes } from './routes/contacts';
import { documentRoutes } from './routes/documents';
import { itemRoutes } from './routes/items';
import { tokenRoutes } from './routes/tokens';
import { userRoutes } from './routes/users';
import { seed, SEEDED, SeedOptions } from './seed';

/** `npm run sandbox -- zomentum` listens here unless told otherwise. */
export const DEFAULT_PORT = 4011;

/**
 * The base URL a connector uses; production is `https://api.zomentum.com/v2` (some newer calls use `/v1`, so
 * the sandbox serves every route under both).
 */
export function baseUrlFor(sandboxUrl: string, version: 'v1' | 'v2' = 'v2'): string {
  return `${sandboxUrl}/${version}`;
}

function apiRoutes(api: Router<ZomentumData>): void {
  tokenRoutes(api);
  userRoutes(api);
  clientRoutes(api);
  contactRoutes(api);
  itemRoutes(api);
  documentRoutes(api);
}

const routes = new Router<ZomentumData>().group('/v2', apiRoutes).group('/v1', apiRoutes);

export function createSandbox(): SandboxApp {
  return createSandboxApp({
    name: 'zomentum',
    createData,
    seedOptions: SeedOptions,
    seed,
    routes,
    credentialOf: credentialKey,
    // Zomentum publishes no number; 120 a minute per API user is our guess (tighten or turn off over /__sandbox).
    rateLimits: [{ name: 'api', policy: { kind: 'fixed-window', limit: 120, windowMs: 60_000, retryAfter: true } }],
    rateLimited: () => apiError(429, 'Rate limit exceeded'),
    notFound: (request) => apiError(404, `Cannot ${request.method} ${request.path}`),
    malformedBody: () => apiError(400, 'Request body is not valid JSON'),
    describe: (url) => [
      `Zomentum API base URL: ${baseUrlFor(url)}   (also ${baseUrlFor(url, 'v1')}; production: https://api.zomentum.com/v2)`,
      `  access token (24 h; a refresh replaces it): ${SEEDED.accessToken}`,
      `  refresh token: ${SEEDED.refreshToken}`,
      `  refresh: POST ${baseUrlFor(url, 'v1')}/oauth/access-token {"grant_type":"refresh_token","refresh_token":"…"}`,
      `  access token of a Starter-plan account (403): ${SEEDED.starterPlan.accessToken}`,
      `control API: ${url}/__sandbox (reset, seed, state, records, requests, faults, rate-limits, clock)`,
    ],
  });
}
