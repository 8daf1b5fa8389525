import type { ConnectionTestResult } from '@junction/contracts';
import { VendorAuthError, VendorHttpError, VendorNotFoundError, VendorSchemaError } from '@junction/vendor-http';
import type { RcCredentials } from './client';
import { clientFor, reachableSites, type RcContext } from './context';

/** Order reads and writes, status and site references, and the catalogue for product matching. */
export const REQUIRED_SCOPES = ['order_read', 'order_write', 'reference_read', 'store_read'] as const;

/** Why `/api/credentials` failed, in words the user can act on; undefined for errors that are not about the setup. */
function setupProblem(error: unknown, url: string): string | undefined {
  if (error instanceof VendorAuthError) {
    if (/access denied/i.test(error.message)) return `The RetailCRM API key has no access to the account at ${url} (${error.message})`;
    return `RetailCRM rejected the API key: it is wrong or was deleted (${error.message})`;
  }
  // A 404 or a page that is not RetailCRM's JSON: there is no account (or no RetailCRM) at this URL.
  if (error instanceof VendorNotFoundError || error instanceof VendorSchemaError) {
    return `No RetailCRM account at ${url}: check the account URL, e.g. https://demo.retailcrm.ru`;
  }
  if (error instanceof VendorHttpError && error.code === 'connection_failed') return `Could not reach ${url}: check the account URL`;
  return undefined;
}

function missingScopes(credentials: RcCredentials): string[] {
  // Keys of accounts that predate per-key scopes list none and may do everything.
  if (!credentials.scopes) return [];
  return REQUIRED_SCOPES.filter((scope) => !credentials.scopes!.includes(scope));
}

/**
 * `/api/credentials` (unversioned, cheap) tells a wrong URL from a wrong key, what the key may do and which stores it
 * reaches; then the order statuses (for the status map) and the account's time zone are read. Nothing is cached.
 */
export async function testConnection(ctx: RcContext): Promise<ConnectionTestResult> {
  const client = clientFor(ctx);
  const { url } = ctx.connection.settings;
  let credentials: RcCredentials;
  try {
    credentials = await client.credentials();
  } catch (error) {
    const problem = setupProblem(error, url);
    if (problem) return { ok: false, message: problem };
    throw error;
  }
  const missing = missingScopes(credentials);
  if (missing.length > 0) {
    return { ok: false, message: `The RetailCRM API key lacks access to ${missing.join(', ')}: allow it in Settings > Integration > API access keys` };
  }
  const sites = await reachableSites(client, credentials);
  if (sites.length === 0) return { ok: false, message: 'The RetailCRM API key reaches no store: give it access to the store ZZap orders go to' };
  const [statuses, timeZone] = await Promise.all([client.statuses(), client.timeZone()]);
  return {
    ok: true,
    message: `Connected to RetailCRM at ${url} (stores: ${sites.join(', ')}; time zone ${timeZone})`,
    orderStatuses: statuses.filter((status) => status.active !== false).map((status) => ({ id: status.code, name: status.name })),
    details: { sites, timeZone },
  };
}
