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
          useFactory: (config: BaseConfig) =>
            openServiceDataSource({
              url: config.DATABASE_URL,
              schema: config.DB_SCHEMA ?? defaultSchemaName(definition.name),
              entities: definition.entities,
              migrations: definition.migrations,
            }),
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
