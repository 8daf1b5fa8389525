import type { EntityDefinition, MigrationDefinition } from '@junction/connector-kit';
import type { z } from 'zod';
import type { BaseConfig } from './config';

/** What a service tells the kit about itself. */
export interface ServiceDefinition {
  /** Service name: also its default Postgres schema, its NATS connection name and its config prefix. */
  name: string;
  /** TypeORM entities of the service's own tables (the connector kit's are added by the kit). */
  entities?: EntityDefinition[];
  /** The service's own migrations, run after the kit's at start. */
  migrations?: MigrationDefinition[];
  /** The service's config schema; must extend BaseConfigSchema. */
  configSchema?: z.ZodType<BaseConfig>;
}
