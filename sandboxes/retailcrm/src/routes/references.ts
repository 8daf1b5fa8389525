import { json, type Router } from '@junction/sandbox-kit';
import { canReach, reachableSites, withKey } from '../api';
import type { RetailCrmData } from '../data';
import { STATUS_GROUPS, STATUSES } from '../records';

export function referenceRoutes(api: Router<RetailCrmData>): void {
  // Maps keyed by code, not arrays, as RetailCRM answers them.
  api.get(
    '/reference/sites',
    withKey((_request, data, key) => {
      const sites = data.sites.filter((site) => canReach(key, site.code));
      return json(200, { success: true, sites: Object.fromEntries(sites.map((site) => [site.code, site])) });
    }),
  );
  api.get('/reference/stores', withKey((_request, data) => json(200, { success: true, stores: data.warehouses.all() })));
  api.get('/reference/statuses', withKey(() => json(200, { success: true, statuses: Object.fromEntries(STATUSES.map((status) => [status.code, status])) })));
  api.get(
    '/reference/status-groups',
    withKey(() =>
      json(200, {
        success: true,
        statusGroups: Object.fromEntries(
          STATUS_GROUPS.map((code, index) => [
            code,
            {
              code,
              name: code,
              active: true,
              ordering: (index + 1) * 10,
              process: code !== 'complete' && code !== 'cancel',
              statuses: STATUSES.filter((status) => status.group === code).map((status) => status.code),
            },
          ]),
        ),
      }),
    ),
  );
}

/** `/api/credentials` (no version prefix): a connector's cheap "test connection" call. */
export function credentialsRoutes(api: Router<RetailCrmData>): void {
  api.get(
    '/credentials',
    withKey((_request, data, key) =>
      json(200, {
        success: true,
        scopes: ['order_read', 'order_write', 'store_read', 'reference_read'],
        credentials: [],
        siteAccess: key.sites === null ? 'access_full' : 'access_selective',
        sitesAvailable: reachableSites(key, data),
      }),
    ),
  );
}
