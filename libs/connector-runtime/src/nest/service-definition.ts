import { BaseConfigSchema, type ServiceDefinition } from '@junction/service-kit';
import { z } from 'zod';
import type { ConnectorDefinition } from '../definition';

/** What every connector service reads from its environment besides the base settings. */
export const ConnectorConfigSchema = BaseConfigSchema.extend({
  /** Seals connection credentials: 64 hex characters or base64 of 32 bytes. */
  JUNCTION_SECRET_KEY: z.string().min(1, 'is required: generate one with `openssl rand -hex 32`'),
  /** Sync run lease; a crashed worker's run blocks its stream at most this long. */
  SYNC_LEASE_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** Commands executed at once by one replica. */
  COMMAND_CONCURRENCY: z.coerce.number().int().min(1).default(1),
  /** How long a command may wait for a record another command writes (a contact's customer) before it is dead-lettered. */
  COMMAND_DEPENDENCY_WAIT_MS: z.coerce.number().int().min(1_000).default(24 * 3_600_000),
  /** How often waiting commands are checked for release or expiry, besides the release at each ID map write. */
  COMMAND_DEPENDENCY_SWEEP_MS: z.coerce.number().int().min(100).default(10_000),
});
export type ConnectorConfig = z.infer<typeof ConnectorConfigSchema>;

/**
 * The service-kit definition of a connector service: named after the connector (its schema, NATS name and config
 * prefix), with the connector config. The kit's tables and migrations are added by openServiceDataSource.
 */
export function connectorServiceDefinition<Settings, Credentials>(
  definition: ConnectorDefinition<Settings, Credentials>,
  service: Pick<ServiceDefinition, 'entities' | 'migrations'> & { configSchema?: z.ZodType<ConnectorConfig> } = {},
): ServiceDefinition {
  return { name: definition.name, configSchema: ConnectorConfigSchema, ...service };
}
