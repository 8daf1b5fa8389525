import { createSandboxApp, Router, text, type SandboxApp } from '@junction/sandbox-kit';
import { controlRoutes } from './control';
import { createData, type ZzapData } from './data';
import { webServiceRoutes } from './routes';
import { seed, SEEDED, SeedOptions } from './seed';
import { keyAccount } from './service';

/** `npm run sandbox -- zzap` listens here unless told otherwise. */
export const DEFAULT_PORT = 4014;

/** The web service's base URL; production is `https://api.zzap.pro/webservice/datasharing.asmx`. */
export function baseUrlFor(sandboxUrl: string): string {
  return `${sandboxUrl}/webservice/datasharing.asmx`;
}

const routes = new Router<ZzapData>().group('/webservice/datasharing.asmx', webServiceRoutes);

export function createSandbox(): SandboxApp {
  return createSandboxApp({
    name: 'zzap',
    createData,
    seedOptions: SeedOptions,
    seed,
    routes,
    controlRoutes,
    credentialOf: (request, data) => {
      const account = keyAccount(request, data);
      return account ? `account:${account.id}` : undefined;
    },
    // Documented: at most one request per 3 seconds per key. Clients report plain 429s (the body is our guess).
    rateLimits: [{ name: 'api', policy: { kind: 'token-bucket', capacity: 1, refillPerSecond: 1 / 3, retryAfter: false } }],
    rateLimited: () => text(429, 'Too Many Requests', 'text/plain; charset=utf-8'),
    // ASP.NET's answer to an unknown web method.
    notFound: (request) =>
      text(500, `System.InvalidOperationException: ${request.path.split('/').pop() ?? ''} Web Service method name is not valid.\r\n`, 'text/plain; charset=utf-8'),
    describe: (url) => [
      `ZZap seller web service: ${baseUrlFor(url)}/{Method}   (production: https://api.zzap.pro/webservice/datasharing.asmx)`,
      `  seller: login ${SEEDED.seller.login}  password ${SEEDED.seller.password}`,
      `          api_key ${SEEDED.seller.api_key}`,
      `  other cabinet: login ${SEEDED.other.login}  password ${SEEDED.other.password}  api_key ${SEEDED.other.api_key}`,
      `  status change as buyer/seller: POST ${url}/__sandbox/orders/{code_order}/status {"code_track":2,"by":"seller"}`,
      `control API: ${url}/__sandbox (reset {orders, statusChanges}, seed, state, requests, faults, rate-limits, clock)`,
    ],
  });
}
