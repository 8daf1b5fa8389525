import { z } from 'zod';

export const PRODUCTION_URL = 'https://r3.minicrm.hu';

export const MiniCrmSettings = z.object({
  /** The number after r3.minicrm.hu/ in the address bar; the Basic user name. */
  systemId: z.coerce
    .string()
    .trim()
    .regex(/^\d+$/, 'Expected the SystemId: the number after r3.minicrm.hu/ in the MiniCRM address'),
  /** Host of the R3 and Order APIs; defaults to https://r3.minicrm.hu (tests point it at the sandbox). */
  baseUrl: z.url().optional(),
  /**
   * API name of the Order card's text field that receives the coupon codes (e.g. Text1301). Custom field names
   * differ per system; without it the codes travel only on the order's discount lines.
   */
  couponCodesField: z
    .string()
    .trim()
    .regex(/^[A-Z][A-Za-z]*\d+$/, 'Expected the API name of a custom field, e.g. Text1301')
    .optional(),
  /**
   * Requests a minute the system allows: MiniCRM documents 60 on R3; a system with a raised allowance sets it here.
   * Requests are spaced evenly, so MiniCRM's minute window is never exceeded.
   */
  requestsPerMinute: z.number().int().min(1).max(60_000).default(60),
});
export type MiniCrmSettings = z.infer<typeof MiniCrmSettings>;

export const MiniCrmCredentials = z.object({
  /** Settings > System > New API key (admin only, shown once). */
  apiKey: z.string().trim().min(1),
});
export type MiniCrmCredentials = z.infer<typeof MiniCrmCredentials>;

export function baseUrlOf(settings: MiniCrmSettings): string {
  return settings.baseUrl ?? PRODUCTION_URL;
}
