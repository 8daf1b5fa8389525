import type { ConnectorContext } from '@junction/connector-runtime';
import { PermanentError } from '@junction/messaging';
import type { RetryPolicy } from '@junction/vendor-http';
import { requestAccessToken, ShoprenterClient, type ShoprenterAuth } from './client';
import { isOAuth, tokenUrlOf, type OAuthCredentials, type ShoprenterCredentials, type ShoprenterSettings } from './settings';

export type SrContext = ConnectorContext<ShoprenterSettings, ShoprenterCredentials>;

/** A token this close to its expiry is renewed before use rather than sent to earn a 401. */
const EXPIRY_MARGIN_MS = 60_000;

function usableToken(credentials: OAuthCredentials, nowMs: number): string | undefined {
  const expiresAt = credentials.accessTokenExpiresAt ?? 0;
  return credentials.accessToken && expiresAt - EXPIRY_MARGIN_MS > nowMs ? credentials.accessToken : undefined;
}

/** Whether the stored credentials are of the kind the settings' `auth` asks for. */
export function credentialsFitSettings(ctx: SrContext): boolean {
  return isOAuth(ctx.credentials) === (ctx.connection.settings.auth === 'oauth');
}

/**
 * The bearer token of an OAuth connection. A missing, expiring or refused token is renewed under the runtime's
 * per-connection credentials lock, and a caller that finds a different valid token stored than the one it had
 * takes that one: however many replicas hit the same expiry, the token endpoint is asked once.
 */
function oauthAuth(ctx: SrContext, credentials: OAuthCredentials): ShoprenterAuth {
  let current = usableToken(credentials, Date.now());
  let pending: Promise<void> | undefined;
  const renewOnce = async () => {
    const refused = current;
    const stored = await ctx.updateCredentials(async (latest) => {
      if (!isOAuth(latest)) throw new PermanentError('the connection no longer holds OAuth credentials');
      const fresh = usableToken(latest, Date.now());
      if (fresh && fresh !== refused) return latest;
      ctx.logger.info('requesting a Shoprenter access token');
      const { accessToken, expiresInSeconds } = await requestAccessToken(
        tokenUrlOf(ctx.connection.settings),
        latest.clientId,
        latest.clientSecret,
      );
      return { ...latest, accessToken, accessTokenExpiresAt: Date.now() + expiresInSeconds * 1000 };
    });
    current = (stored as OAuthCredentials).accessToken;
  };
  const renew = () => (pending ??= renewOnce().finally(() => (pending = undefined)));
  return {
    kind: 'bearer',
    clientId: credentials.clientId,
    async token() {
      if (!current) await renew();
      return current ?? '';
    },
    renew,
  };
}

/** A client for the connection, authenticated the way its settings say. */
export function clientFor(ctx: SrContext, retry?: Partial<RetryPolicy>): ShoprenterClient {
  if (!credentialsFitSettings(ctx)) {
    const expected = ctx.connection.settings.auth === 'oauth' ? 'an API client id and secret' : 'an API username and password';
    throw new PermanentError(`the connection's auth is '${ctx.connection.settings.auth}', which needs ${expected} as credentials`);
  }
  const { credentials } = ctx;
  const auth: ShoprenterAuth = isOAuth(credentials)
    ? oauthAuth(ctx, credentials)
    : { kind: 'basic', username: credentials.username, password: credentials.password };
  return new ShoprenterClient(ctx.connection.settings, auth, retry);
}
