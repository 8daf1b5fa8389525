import { BaseConfigSchema } from '@junction/service-kit';
import { z } from 'zod';

export const SchedulerConfigSchema = BaseConfigSchema.extend({
  /** How often the firing loop looks for due schedules; also the worst-case delay of a run. */
  TICK_MS: z.coerce.number().int().min(10).default(5_000),
  /** How long fired slots stay in fired_slots after they were published. */
  FIRED_SLOT_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
});
export type SchedulerConfig = z.infer<typeof SchedulerConfigSchema>;
