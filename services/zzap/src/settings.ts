import { z } from 'zod';

/** GetSellerOrdersV3's documented cap on rows per call. */
export const MAX_ROW_COUNT = 10_000;

export const ZzapSettings = z.object({
  /** The legacy seller web service; tests point it at the sandbox. */
  baseUrl: z.url().default('https://api.zzap.pro/webservice/datasharing.asmx'),
  /**
   * Rows (order parts) asked per GetSellerOrdersV3 call. ZZap has no paging, so a poll that fits takes one call; a
   * bigger backlog (the first sync of a busy cabinet) takes one call per this many rows.
   */
  rowCount: z.number().int().min(1).max(MAX_ROW_COUNT).default(1_000),
});
export type ZzapSettings = z.infer<typeof ZzapSettings>;

/** The key comes from ZZap support; login and password are the cabinet's own. All three travel with every call. */
export const ZzapCredentials = z.object({
  apiKey: z.string().trim().min(1),
  login: z.string().trim().min(1),
  password: z.string().min(1),
});
export type ZzapCredentials = z.infer<typeof ZzapCredentials>;
