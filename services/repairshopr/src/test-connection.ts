import type { ConnectionTestResult } from '@junction/contracts';
import { VendorAuthError, VendorNotFoundError } from '@junction/vendor-http';
import type { RepairShoprClient } from './client';
import { clientFor, type RsContext } from './commands/context';

/** One list call per permission the integration needs: GET /me does not tell what a token may do. */
const PERMISSION_PROBES: Array<{ permission: string; probe: (client: RepairShoprClient) => Promise<unknown> }> = [
  { permission: 'Customers - List/Search', probe: (client) => client.customers(1) },
  { permission: 'Customers - View Detail', probe: (client) => client.contacts(1) },
  { permission: 'Products - List/Search', probe: (client) => client.products(1) },
  { permission: 'Estimates - View Details', probe: (client) => client.estimateByNumber('JN-PROBE') },
];

/**
 * GET /me tells a wrong subdomain (404 page) from a wrong or expired token (401); then each needed permission is
 * probed, because RepairShopr answers a missing permission with a 401 of its own only on the endpoint that needs it.
 */
export async function testConnection(ctx: RsContext): Promise<ConnectionTestResult> {
  const client = clientFor(ctx);
  const { subdomain } = ctx.connection.settings;
  let me;
  try {
    me = await client.me();
  } catch (error) {
    if (error instanceof VendorNotFoundError) {
      return { ok: false, message: `No RepairShopr shop at subdomain "${subdomain}": check the subdomain` };
    }
    if (error instanceof VendorAuthError) {
      return { ok: false, message: `RepairShopr rejected the API token for "${subdomain}": it is wrong or expired` };
    }
    throw error;
  }
  const missing: string[] = [];
  for (const { permission, probe } of PERMISSION_PROBES) {
    try {
      await probe(client);
    } catch (error) {
      if (!(error instanceof VendorAuthError)) throw error;
      missing.push(permission);
    }
  }
  if (missing.length > 0) {
    return { ok: false, message: `The API token of ${me.user_name} lacks the permission ${missing.join(', ')}` };
  }
  return { ok: true, message: `Connected to RepairShopr shop "${me.subdomain}" as ${me.user_name} (${me.user_email})` };
}
