import type { ConnectionTestResult } from '@junction/contracts';
import { VendorAuthError } from '@junction/vendor-http';
import { clientFor, type ZContext } from './context';

/** GET users is the cheapest authenticated call; an expired access token is renewed on the way. */
export async function testConnection(ctx: ZContext): Promise<ConnectionTestResult> {
  try {
    const users = await clientFor(ctx).users();
    return { ok: true, message: `Connected to Zomentum (${users} user${users === 1 ? '' : 's'} in the account)` };
  } catch (error) {
    if (!(error instanceof VendorAuthError)) throw error;
    if (error.status === 403) {
      return { ok: false, message: 'Zomentum refused the API user: the API needs the Growth plan and an API User role' };
    }
    return { ok: false, message: 'Zomentum rejected the access and refresh tokens: generate new ones for the API user' };
  }
}
