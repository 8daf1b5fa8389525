import { json, type Handler, type Router } from '@junction/sandbox-kit';
import { issueAccessToken, planRefusal, presentedRefreshToken } from '../auth';
import type { ZomentumData } from '../data';
import { apiError } from '../errors';

/** Trades the refresh token for a new access token, which invalidates the previous one. */
const refresh: Handler<ZomentumData> = (request, data) => {
  const grantType = (request.body as { grant_type?: unknown } | undefined)?.grant_type;
  if (grantType !== undefined && grantType !== 'refresh_token') return apiError(400, 'grant_type must be refresh_token');
  const refreshToken = presentedRefreshToken(request);
  if (!refreshToken) return apiError(400, 'refresh_token is required');
  const credential = data.apiCredentials.find((candidate) => candidate.refresh_token === refreshToken);
  if (!credential) return apiError(401, 'Invalid refresh token');
  const account = data.accounts.get(credential.account_id);
  if (!account) return apiError(401, 'Invalid refresh token');
  return planRefusal(account) ?? json(200, { access_token: issueAccessToken(data, credential) });
};

export function tokenRoutes(api: Router<ZomentumData>): void {
  // The newer endpoint (JSON body with grant_type) and the older one (refresh token in the query) both work.
  api.post('/oauth/access-token', refresh);
  api.get('/auth0/access_token', refresh);
}
