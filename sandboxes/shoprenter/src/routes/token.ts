import { json, stableSecret, type Router } from '@junction/sandbox-kit';
import type { ShoprenterData } from '../data';

export const TOKEN_LIFETIME_SECONDS = 3600;

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The client-credentials token endpoint (`https://oauth.app.shoprenter.net/{shop}/app/token` in production). */
export function tokenRoutes(router: Router<ShoprenterData>): void {
  router.post('/oauth/:shop/app/token', (request, data) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (body.grant_type !== 'client_credentials' || typeof body.client_id !== 'string' || typeof body.client_secret !== 'string') {
      const message = 'The request is missing a required parameter, includes an invalid parameter value, or is otherwise malformed.';
      return json(400, { error: 'invalid_request', error_description: message, hint: 'Check grant_type, client_id and client_secret.', message });
    }
    const shop = data.shops.find((candidate) => candidate.name === request.params.shop);
    if (!shop || shop.clientId !== body.client_id || shop.clientSecret !== body.client_secret) {
      const message = 'Client authentication failed';
      return json(401, { error: 'invalid_client', error_description: message, message });
    }
    const nowMs = data.store.clock.nowMs();
    const expiresAt = nowMs + TOKEN_LIFETIME_SECONDS * 1000;
    const sequence = data.accessTokens.size + 1;
    // A JWT in form; the signature is a stable secret, so tokens differ per issue yet runs are repeatable.
    const header = base64url({ typ: 'JWT', alg: 'RS256' });
    const payload = base64url({ aud: shop.clientId, jti: sequence, sub: shop.name, exp: Math.floor(expiresAt / 1000) });
    const accessToken = `${header}.${payload}.${stableSecret(`shoprenter/${shop.name}/token/${sequence}`, 64)}`;
    data.accessTokens.insert({ shopId: shop.id, clientId: shop.clientId, accessToken, expiresAt });
    return json(200, { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS, access_token: accessToken });
  });
}
