import { type Router } from '@junction/sandbox-kit';
import { guarded } from '../auth';
import type { ZomentumData } from '../data';
import { listReply } from '../listing';
import { shown } from '../present';

/** The cheapest authenticated call (`users?page=1&limit=1`): what a connection test uses. */
export function userRoutes(api: Router<ZomentumData>): void {
  api.get(
    '/users',
    guarded((request, data, { account }) => listReply(request, data.users.filter((user) => user.account_id === account.id), shown)),
  );
}
