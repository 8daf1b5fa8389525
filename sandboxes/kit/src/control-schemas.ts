import { z } from 'zod';

/** Which API requests a fault rule applies to, and how often it fires. */
const FaultScope = {
  /** Only paths starting with this, e.g. `/acme/api/v1/customers`; every API path when absent. */
  pathPrefix: z.string().optional(),
  /** Only these methods (any case); every method when absent. */
  methods: z.array(z.string()).optional(),
  /** Probability per matching request, drawn from the seeded generator; 1 (always) by default. */
  rate: z.number().min(0).max(1).default(1),
  /** Fires at most this many times (e.g. a burst of 3); unlimited when absent. */
  count: z.number().int().min(0).optional(),
  /** Once it fires, it also fires on the next `burst - 1` matching requests without a draw: bursts at `rate`. */
  burst: z.number().int().min(1).default(1),
};

export const FaultRule = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('latency'),
    ms: z.number().int().min(0),
    /** Handle the request first, then hold the answer: the write is committed, a caller with a shorter timeout sees none. */
    afterHandling: z.boolean().default(false),
    ...FaultScope,
  }),
  z.object({
    kind: z.literal('error'),
    status: z.number().int().min(500).max(599).default(500),
    /** An HTML error page (as a proxy or framework would send) or a small JSON body. */
    body: z.enum(['html', 'json']).default('html'),
    ...FaultScope,
  }),
  z.object({
    kind: z.literal('rate-limit'),
    /** Seconds in the Retry-After header; null sends no header (some vendors send none). */
    retryAfterSeconds: z.number().int().min(0).nullable().default(1),
    ...FaultScope,
  }),
  /** The request is handled and committed, then the connection is destroyed without an answer. */
  z.object({ kind: z.literal('lose-response'), ...FaultScope }),
  /**
   * An answer that breaks the vendor's documented schema. `html`: an HTML page with `status` instead of handling the
   * request (nothing is written). `truncated`: the real answer cut off halfway. `missing-field` / `wrong-type`: the real
   * answer with the JSON value at `field` removed or replaced by one of another type. These three handle and commit the
   * request first, as a vendor whose answer broke on the way would have.
   */
  z
    .object({
      kind: z.literal('malformed'),
      variant: z.enum(['html', 'truncated', 'missing-field', 'wrong-type']),
      /** Of the HTML page: 200 (a proxy's or a maintenance page) by default, or e.g. 502. */
      status: z.number().int().min(200).max(599).default(200),
      /** Dotted path into the JSON answer, array indexes included: `orders.1.email`. */
      field: z.string().min(1).optional(),
      ...FaultScope,
    })
    .refine((rule) => rule.field !== undefined || rule.variant === 'html' || rule.variant === 'truncated', {
      message: 'missing-field and wrong-type need the field to break',
      path: ['field'],
    }),
]);
export type FaultRule = z.infer<typeof FaultRule>;
export type FaultRuleInput = z.input<typeof FaultRule>;

export const FaultConfig = z.object({
  /** Seed of the generator behind `rate`; the same seed and requests give the same faults. Random when absent. */
  seed: z.number().int().optional(),
  rules: z.array(FaultRule),
});
export type FaultConfig = z.infer<typeof FaultConfig>;
export type FaultConfigInput = z.input<typeof FaultConfig>;

export const RateLimitPolicy = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('off') }),
  z.object({
    kind: z.literal('fixed-window'),
    limit: z.number().int().min(1),
    windowMs: z.number().int().min(1),
    /** Send Retry-After with the 429 (true by default); false for vendors known to send none. */
    retryAfter: z.boolean().default(true),
  }),
  z.object({
    kind: z.literal('token-bucket'),
    capacity: z.number().int().min(1),
    refillPerSecond: z.number().positive(),
    retryAfter: z.boolean().default(true),
  }),
]);
export type RateLimitPolicy = z.infer<typeof RateLimitPolicy>;
export type RateLimitPolicyInput = z.input<typeof RateLimitPolicy>;

export const RateLimitUpdate = z.object({
  /** The rule to change; every rule of the sandbox when absent. */
  name: z.string().optional(),
  policy: RateLimitPolicy,
});
export type RateLimitUpdate = z.infer<typeof RateLimitUpdate>;
export type RateLimitUpdateInput = z.input<typeof RateLimitUpdate>;

export const ClockUpdate = z.object({ advanceMs: z.number().int().min(0) });

/** POST /__sandbox/seed: records per collection name, appended (ids given are kept). */
export const SeedRecords = z.record(z.string(), z.array(z.record(z.string(), z.unknown())));
export type SeedRecords = z.infer<typeof SeedRecords>;

export interface RequestLogEntry {
  seq: number;
  /** Sandbox clock time the request arrived. */
  at: string;
  method: string;
  path: string;
  /** The query string with credential-like parameters (`api_key`, `apiKey`, `refresh_token`…) redacted. */
  query: string;
  status: number;
  /** The sandbox's non-secret id of the caller's credential, or `ip:<address>` for anonymous calls. */
  credential: string;
  durationMs: number;
  /** Injected faults that shaped this exchange. */
  faults?: FaultRule['kind'][];
  /** Set when the sandbox's rate limiter (not an injected fault) refused the call. */
  rateLimited?: true;
}
