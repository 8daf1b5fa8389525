import { z } from 'zod';

export const RepairShoprSettings = z.object({
  /** The shop's subdomain: `acme` for https://acme.repairshopr.com. */
  subdomain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'Expected the subdomain only, e.g. acme for acme.repairshopr.com'),
  /** API root; defaults to https://<subdomain>.repairshopr.com/api/v1 (tests point it at the sandbox). */
  baseUrl: z.url().optional(),
});
export type RepairShoprSettings = z.infer<typeof RepairShoprSettings>;

export const RepairShoprCredentials = z.object({
  /** Admin > API Tokens; needs the Customers, Products and Estimates permissions. */
  apiToken: z.string().trim().min(1),
});
export type RepairShoprCredentials = z.infer<typeof RepairShoprCredentials>;

export function baseUrlOf(settings: RepairShoprSettings): string {
  return settings.baseUrl ?? `https://${settings.subdomain}.repairshopr.com/api/v1`;
}
