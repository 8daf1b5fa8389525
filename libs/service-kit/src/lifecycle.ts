import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Bus } from '@junction/messaging';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { BaseConfig } from './config';
import { CONFIG, LOGGER } from './tokens';

/**
 * Shutdown order matters: stop taking messages and let in-flight handlers finish (they still need the database),
 * then close the database, then flush telemetry.
 */
@Injectable()
export class ServiceLifecycle implements BeforeApplicationShutdown, OnApplicationShutdown {
  private draining = false;
  private readonly finalizers: Array<() => Promise<void>> = [];

  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: BaseConfig,
  ) {}

  get isDraining(): boolean {
    return this.draining;
  }

  /** Runs after the database is closed, e.g. to flush telemetry. */
  onFinalShutdown(finalizer: () => Promise<void>): void {
    this.finalizers.push(finalizer);
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.draining = true;
    this.logger.info({ signal, graceMs: this.config.SHUTDOWN_GRACE_MS }, 'shutting down: draining NATS consumers');
    await this.bus.drain({ graceMs: this.config.SHUTDOWN_GRACE_MS });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    for (const finalize of this.finalizers) await finalize();
    this.logger.info('shutdown complete');
  }
}
