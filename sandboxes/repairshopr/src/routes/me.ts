import { json, type Router } from '@junction/sandbox-kit';
import { guarded } from '../auth';
import type { RepairShoprData } from '../data';

const ALL = { read: true, write: true, delete: true };

/**
 * GET /me needs no particular permission: the cheap "test connection" call. Its `permissions` are the user's
 * group permissions, not the token's, so a connector must probe each endpoint to learn what a token may do.
 */
export function meRoutes(api: Router<RepairShoprData>): void {
  api.get(
    '/me',
    guarded(null, (_request, _data, { account, user }) =>
      json(200, {
        user_token: user.user_token,
        user_email: user.email,
        user_name: user.full_name,
        user_id: user.id,
        admin: user.admin,
        can_use_app: true,
        two_factor_required: false,
        subdomain: account.subdomain,
        default_location: null,
        enable_multi_locations: false,
        locations_allowed: [],
        permissions: {
          asset: ALL,
          customer: ALL,
          ticket: ALL,
          invoice: ALL,
          payment: ALL,
          worksheet: { add: true, manage: true, delete: true },
          script: { execute: true },
        },
      }),
    ),
  );
}
