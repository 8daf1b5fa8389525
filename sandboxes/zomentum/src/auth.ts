import { header, stableSecret, stringParam, type Handler, type Reply, type SandboxRequest } from '@junction/sandbox-kit';
import type { ZomentumData } from './data';
import { apiError } from './errors';
import type { Account, ApiCredential, User } from './records';

export interface Caller {
  account: Account;
  user: User;
}

/** Access tokens follow from the refresh token and a counter, so the seeded ones are known in advance. */
export function accessTokenFor(refreshToken: string, generation: number): string {
  return stableSecret(`zomentum/${refreshToken}/access/${generation}`, 64);
}

/**
 * Issues the next access token of a credential. The previous access token is replaced, so it answers 401 from
 * now on: two workers refreshing at once leave one of them with a dead token.
 */
export function issueAccessToken(data: ZomentumData, credential: ApiCredential): string {
  const generation = credential.generation + 1;
  const accessToken = accessTokenFor(credential.refresh_token, generation);
  data.apiCredentials.update(credential.id, {
    generation,
    access_token: accessToken,
    access_token_expires_at: new Date(data.store.clock.nowMs() + data.accessTokenTtlMs).toISOString(),
  });
  return accessToken;
}

export function bearerToken(request: SandboxRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header(request, 'authorization')?.trim() ?? '');
  return match?.[1];
}

/** The refresh token, from wherever a known client sends it: JSON body, `?refresh_token=`, or the Bearer header. */
export function presentedRefreshToken(request: SandboxRequest): string | undefined {
  const body = request.body as { refresh_token?: unknown } | undefined;
  if (typeof body?.refresh_token === 'string') return body.refresh_token;
  return stringParam(request.query, 'refresh_token') ?? bearerToken(request);
}

/** A credential id for rate limiting and the request log: the API user, whichever of its tokens was sent. */
export function credentialKey(request: SandboxRequest, data: ZomentumData): string | undefined {
  const token = bearerToken(request);
  const refresh = presentedRefreshToken(request);
  const credential = data.apiCredentials.find((candidate) => candidate.access_token === token || candidate.refresh_token === refresh);
  return credential && `api-user:${credential.user_id}`;
}

/** Only accounts on the Growth plan may use the API. */
export function planRefusal(account: Account): Reply | undefined {
  return account.plan === 'growth' ? undefined : apiError(403, 'API access is available on the Growth plan only');
}

export type GuardedHandler = (request: SandboxRequest, data: ZomentumData, caller: Caller) => Reply | Promise<Reply>;

/** Wraps a handler with Zomentum's checks: a current, unexpired access token (else 401), a Growth plan (else 403). */
export function guarded(handler: GuardedHandler): Handler<ZomentumData> {
  return (request, data) => {
    const token = bearerToken(request);
    if (!token) return apiError(401, 'Missing access token');
    const credential = data.apiCredentials.find((candidate) => candidate.access_token === token);
    if (!credential) return apiError(401, 'Invalid access token');
    if (Date.parse(credential.access_token_expires_at) <= data.store.clock.nowMs()) return apiError(401, 'Access token has expired');
    const account = data.accounts.get(credential.account_id);
    const user = data.users.get(credential.user_id);
    if (!account || !user) return apiError(401, 'Invalid access token');
    return planRefusal(account) ?? handler(request, data, { account, user });
  };
}
