import { createSandboxApp, Router, text, type SandboxApp } from '@junction/sandbox-kit';
import { systemOf } from './auth';
import { createData, type MiniCrmData } from './data';
import { notFound } from './replies';
import { categoryRoutes } from './routes/categories';
import { contactRoutes } from './routes/contacts';
import { orderRoutes } from './routes/orders';
import { projectRoutes } from './routes/projects';
import { seed, SEEDED, SeedOptions } from './seed';

/** `npm run sandbox -- minicrm` listens here unless told otherwise. */
export const DEFAULT_PORT = 4013;

/** The R3 base URL (production: `https://r3.minicrm.hu/Api/R3`); the system is chosen by the Basic user name. */
export function baseUrlFor(sandboxUrl: string): string {
  return `${sandboxUrl}/Api/R3`;
}

/** The Order module API base URL (production: `https://r3.minicrm.hu/Api/Order`). */
export function orderUrlFor(sandboxUrl: string): string {
  return `${sandboxUrl}/Api/Order`;
}

const routes = new Router<MiniCrmData>().group('/Api/R3', (api) => {
  categoryRoutes(api);
  contactRoutes(api);
  projectRoutes(api);
});
orderRoutes(routes);

export function createSandbox(): SandboxApp {
  return createSandboxApp({
    name: 'minicrm',
    createData,
    seedOptions: SeedOptions,
    seed,
    routes,
    credentialOf: (request, data) => {
      const system = systemOf(request, data);
      return system ? `system:${system.Id}` : undefined;
    },
    // Documented: 60 requests a minute on R3; the Order API is counted with it (our guess). 429, no headers.
    rateLimits: [
      {
        name: 'r3',
        policy: { kind: 'fixed-window', limit: 60, windowMs: 60_000, retryAfter: false },
        appliesTo: (request) => request.path.startsWith('/Api/R3/') || request.path.startsWith('/Api/Order'),
      },
    ],
    rateLimited: () => text(429, 'Too Many Requests'),
    notFound,
    malformedBody: () => text(400, 'Invalid JSON in the request body.'),
    describe: (url) => [
      `MiniCRM R3 API: ${baseUrlFor(url)}   Order API: ${orderUrlFor(url)}`,
      `  HTTP Basic: SystemId ${SEEDED.systemId}, API key ${SEEDED.apiKey}`,
      `  second system: ${SEEDED.other.systemId}, API key ${SEEDED.other.apiKey}`,
      `control API: ${url}/__sandbox (reset {products, unauthorizedStatus}, seed, state, records, requests, faults, rate-limits, clock)`,
    ],
  });
}
