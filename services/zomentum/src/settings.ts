import { z } from 'zod';

export const ZomentumSettings = z.object({
  /** API root; Zomentum's public client uses v2. Tests point it at the sandbox. */
  baseUrl: z.url().default('https://api.zomentum.com/v2'),
  /** Where a refresh token is traded for a new access token. */
  refreshUrl: z.url().default('https://api.zomentum.com/v1/oauth/access-token'),
  /**
   * What the account's plan allows. Zomentum publishes no number; 120 a minute is the conservative default, and an
   * account with a higher allowance sets it here.
   */
  requestsPerMinute: z.number().int().min(1).max(6_000).default(120),
});
export type ZomentumSettings = z.infer<typeof ZomentumSettings>;

/** Settings > Users > API User > Generate token gives both. */
export const ZomentumCredentials = z.object({
  accessToken: z.string().trim().min(1),
  refreshToken: z.string().trim().min(1),
});
export type ZomentumCredentials = z.infer<typeof ZomentumCredentials>;
