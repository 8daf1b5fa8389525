import { DynamicModule, Global, Module } from '@nestjs/common';
import { openServiceDataSource } from '@junction/connector-kit';
import { Bus } from '@junction/messaging';
import { createLogger } from '@junction/telemetry';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { BaseConfig, BaseConfigSchema, loadConfig } from './config';
import { HealthController } from './health.controller';
import { ServiceLifecycle } from './lifecycle';
import type { ServiceDefinition } from './service-definition';
import { CONFIG, LOGGER, SERVICE_DEFINITION } from './tokens';

/** A service's Postgres schema defaults to its name, made a valid identifier. */
export function defaultSchemaName(serviceName: string): string {
  return serviceName.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** The service's own schema, opened and migrated (under the kit's advisory lock, so replicas take turns). */
export function openDataSourceOf(definition: ServiceDefinition, config: BaseConfig): Promise<DataSource> {
  return openServiceDataSource({
    url: config.DATABASE_URL,
    schema: config.DB_SCHEMA ?? defaultSchemaName(definition.name),
    entities: definition.entities,
    migrations: definition.migrations,
    preparedStatements: config.DB_PREPARED_STATEMENTS,
  });
}

/** The definition a module was built with by `JunctionModule.forService`, read from its imports. */
export function serviceDefinitionOf(appModule: unknown): ServiceDefinition {
  const imports: unknown[] = Reflect.getMetadata('imports', appModule as object) ?? [];
  for (const imported of imports) {
    const dynamic = imported as Partial<DynamicModule>;
    if (dynamic.module !== JunctionModule) continue;
    const provider = dynamic.providers?.find(
      (candidate) => typeof candidate === 'object' && 'provide' in candidate && candidate.provide === SERVICE_DEFINITION,
    );
    if (provider && 'useValue' in provider) return provider.useValue as ServiceDefinition;
  }
  throw new Error('the module does not import JunctionModule.forService(definition)');
}

/**
 * The runtime every Junction service shares: config, logger, its own database schema (migrated at start),
 * the NATS bus with Junction's streams declared, health endpoints and graceful shutdown.
 */
@Global()
@Module({})
export class JunctionModule {
  static forService(definition: ServiceDefinition): DynamicModule {
    return {
      module: JunctionModule,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_DEFINITION, useValue: definition },
        {
          provide: CONFIG,
          useFactory: () => loadConfig(definition.name, definition.configSchema ?? BaseConfigSchema),
        },
        {
          provide: LOGGER,
          inject: [CONFIG],
          useFactory: (config: BaseConfig) => createLogger({ service: definition.name, level: config.LOG_LEVEL }),
        },
        {
          provide: DataSource,
          inject: [CONFIG],
          useFactory: (config: BaseConfig) => openDataSourceOf(definition, config),
        },
        {
          provide: Bus,
          inject: [CONFIG, LOGGER],
          useFactory: async (config: BaseConfig, logger: Logger) => {
            const bus = await Bus.connect({
              servers: config.NATS_URL,
              name: definition.name,
              namespace: config.JUNCTION_NAMESPACE,
              user: config.NATS_USER,
              pass: config.NATS_PASS,
              token: config.NATS_TOKEN,
              logger,
            });
            await bus.ensureStreams();
            return bus;
          },
        },
        ServiceLifecycle,
      ],
      exports: [SERVICE_DEFINITION, CONFIG, LOGGER, DataSource, Bus, ServiceLifecycle],
    };
  }
}
