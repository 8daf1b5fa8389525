import { z } from 'zod';

/** Production API hosts: `{shop}.api.myshoprenter.hu` (Basic) and `{shop}.api2.myshoprenter.hu` (OAuth2). */
const SHOP_HOST = /^([a-z0-9-]+)\.api2?\.myshoprenter\.hu$/i;

/** The shop's name in a production API URL, undefined for any other URL (the sandbox's). */
function shopOf(apiUrl: string): string | undefined {
  return SHOP_HOST.exec(new URL(apiUrl).hostname)?.[1]?.toLowerCase();
}

export const ShoprenterSettings = z
  .object({
    /**
     * The shop's API root, from Settings > API settings: `https://{shop}.api.myshoprenter.hu` for the legacy API
     * (HTTP Basic) or `https://{shop}.api2.myshoprenter.hu/api` for the OAuth2 one.
     */
    apiUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
    /** `basic`: API username + password; `oauth`: a custom API client's id + secret (client-credentials grant). */
    auth: z.enum(['basic', 'oauth']).default('basic'),
    /** OAuth token endpoint; defaults to `https://oauth.app.shoprenter.net/{shop}/app/token` for production URLs. */
    tokenUrl: z.url({ protocol: /^https?$/ }).optional(),
  })
  .superRefine((settings, ctx) => {
    if (settings.auth === 'oauth' && !settings.tokenUrl && !shopOf(settings.apiUrl)) {
      ctx.addIssue({
        code: 'custom',
        path: ['tokenUrl'],
        message: 'tokenUrl is required when apiUrl is not a {shop}.api2.myshoprenter.hu address',
      });
    }
  });
export type ShoprenterSettings = z.infer<typeof ShoprenterSettings>;

/** Legacy API access (Settings > API settings, API status enabled). */
export const BasicCredentials = z.object({
  username: z.string().trim().min(1),
  password: z.string().trim().min(1),
});
export type BasicCredentials = z.infer<typeof BasicCredentials>;

/**
 * A custom API client (Settings > API settings). The access token it last obtained is kept here too, so every
 * replica uses it until it expires; `accessTokenExpiresAt` is epoch milliseconds (a number, because every string
 * stored in credentials is registered as a secret and scrubbed from logs).
 */
export const OAuthCredentials = z.object({
  clientId: z.string().trim().min(1),
  clientSecret: z.string().trim().min(1),
  accessToken: z.string().min(1).optional(),
  accessTokenExpiresAt: z.number().int().optional(),
});
export type OAuthCredentials = z.infer<typeof OAuthCredentials>;

export const ShoprenterCredentials = z.union([BasicCredentials, OAuthCredentials]);
export type ShoprenterCredentials = z.infer<typeof ShoprenterCredentials>;

export function isOAuth(credentials: ShoprenterCredentials): credentials is OAuthCredentials {
  return 'clientId' in credentials;
}

export function tokenUrlOf(settings: ShoprenterSettings): string {
  if (settings.tokenUrl) return settings.tokenUrl;
  const shop = shopOf(settings.apiUrl);
  if (!shop) throw new Error('tokenUrl is required when apiUrl is not a {shop}.api2.myshoprenter.hu address');
  return `https://oauth.app.shoprenter.net/${shop}/app/token`;
}

/**
 * The shop a connection reaches: one connection per shop, because two would sync it in parallel, which is what
 * gets an API user locked out. Both production hosts of a shop name the same shop.
 */
export function accountOf(settings: ShoprenterSettings): string {
  const shop = shopOf(settings.apiUrl);
  return shop ? `shop:${shop}` : `url:${settings.apiUrl.toLowerCase()}`;
}
