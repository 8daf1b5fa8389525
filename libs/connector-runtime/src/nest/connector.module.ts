import { BeforeApplicationShutdown, DynamicModule, Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { Bus } from '@junction/messaging';
import { SecretBox } from '@junction/secrets';
import { CONFIG, LOGGER } from '@junction/service-kit';
import type { Logger } from '@junction/telemetry';
import { DataSource } from 'typeorm';
import { ConnectorRuntime } from '../connector-runtime';
import type { ConnectorDefinition } from '../definition';
import type { ConnectorConfig } from './service-definition';

/**
 * Runs a connector inside a service built with JunctionModule.forService(connectorServiceDefinition(definition)):
 * consumers and control servers start once the app has bootstrapped and stop before the bus drains.
 */
@Module({})
export class ConnectorModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(ConnectorRuntime) private readonly runtime: ConnectorRuntime) {}

  static forConnector<Settings, Credentials>(definition: ConnectorDefinition<Settings, Credentials>): DynamicModule {
    return {
      module: ConnectorModule,
      providers: [
        {
          provide: ConnectorRuntime,
          inject: [CONFIG, DataSource, Bus, LOGGER],
          useFactory: (config: ConnectorConfig, dataSource: DataSource, bus: Bus, logger: Logger) =>
            new ConnectorRuntime(definition, {
              dataSource,
              bus,
              logger,
              cipher: SecretBox.fromEnv({ JUNCTION_SECRET_KEY: config.JUNCTION_SECRET_KEY }),
              leaseMs: config.SYNC_LEASE_MS,
              commandConcurrency: config.COMMAND_CONCURRENCY,
              dependencyWaitMs: config.COMMAND_DEPENDENCY_WAIT_MS,
              dependencySweepMs: config.COMMAND_DEPENDENCY_SWEEP_MS,
              shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
            }),
        },
      ],
      exports: [ConnectorRuntime],
    };
  }

  onApplicationBootstrap(): Promise<void> {
    return this.runtime.start();
  }

  // Nest runs this before the global JunctionModule's drain, so runs can still publish their last page.
  beforeApplicationShutdown(): Promise<void> {
    return this.runtime.stop();
  }
}
