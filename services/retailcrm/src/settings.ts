import { z } from 'zod';

export const RetailCrmSettings = z.object({
  /** The account URL, e.g. https://demo.retailcrm.ru (Simla.com: https://demo.simla.com). Tests use the sandbox's. */
  url: z.url({ protocol: /^https?$/, error: 'Expected the account URL, e.g. https://demo.retailcrm.ru' }).trim(),
});
export type RetailCrmSettings = z.infer<typeof RetailCrmSettings>;

export const RetailCrmCredentials = z.object({
  /** Settings > Integration > API access keys; sent as the X-API-KEY header. */
  apiKey: z.string().trim().min(1),
});
export type RetailCrmCredentials = z.infer<typeof RetailCrmCredentials>;

/**
 * `<account>/api`: the unversioned calls (`/credentials`) live there and API v5 under `v5/`. A pasted API URL
 * (`…/api/v5/`) is read as its account.
 */
export function apiRootOf(settings: RetailCrmSettings): string {
  const account = settings.url.replace(/\/+$/, '').replace(/\/api(\/v\d+)?$/, '');
  return `${account}/api`;
}
