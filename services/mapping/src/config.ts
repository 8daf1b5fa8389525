import { BaseConfigSchema } from '@junction/service-kit';
import { z } from 'zod';

export const MappingConfigSchema = BaseConfigSchema.extend({
  /** The bearer token every control API call must carry. */
  CONTROL_API_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  /**
   * How long an event may wait for a record's link (e.g. a RetailCRM change of an order whose record.written is late)
   * before it is given up as a failure of its integration. Long enough for a dead-lettered write to be replayed.
   */
  LINK_WAIT_MS: z.coerce.number().int().min(1_000).default(24 * 3_600_000),
  /** How often every replica looks for such events to give up. */
  LINK_WAIT_SWEEP_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * Messages each of mapping's consumers (a source event subject, record.written, record.failed) handles at once per
   * replica. Above 1, two events of one subject can be routed in either order, as they can across replicas; the
   * connectors never let an older state undo a newer one.
   */
  EVENT_CONCURRENCY: z.coerce.number().int().min(1).default(1),
});
export type MappingConfig = z.infer<typeof MappingConfigSchema>;
