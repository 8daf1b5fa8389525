import { BaseConfigSchema } from '@junction/service-kit';
import { z } from 'zod';

export const MappingConfigSchema = BaseConfigSchema.extend({
  /** The bearer token every control API call must carry. */
  CONTROL_API_TOKEN: z.string().min(16, 'must be at least 16 characters'),
});
export type MappingConfig = z.infer<typeof MappingConfigSchema>;
