import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Bus } from '@junction/messaging';
import { LOGGER } from '@junction/service-kit';
import { junctionMetrics } from '@junction/telemetry';
import type { BatchObservableCallback } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { WaitingEventEntity } from '../waiting/waiting-event.entity';

/**
 * What mapping observes on every metrics collection: records waiting per integration (and for how long), and the
 * dead letters stored per subject (mapping serves the dead-letter API). Replicas report the same values: use max.
 */
@Injectable()
export class MappingMetrics implements OnApplicationBootstrap, OnModuleDestroy {
  private stops: Array<() => void> = [];

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Bus) private readonly bus: Bus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const { meter, syncWaiting, syncWaitingAge } = junctionMetrics();
    // The SDK repeats the last values of an integration nobody observes any more: once an integration had waiting
    // records, it is observed for good, so that it reads 0 when they are released.
    const integrations = new Set<string>();
    const observeWaiting: BatchObservableCallback = async (result) => {
      try {
        const now = Date.now();
        const waiting = new Map((await this.waitingByIntegration()).map((row) => [row.integrationId, row]));
        for (const integrationId of waiting.keys()) integrations.add(integrationId);
        for (const integrationId of integrations) {
          const row = waiting.get(integrationId);
          const attributes = { integration: integrationId };
          result.observe(syncWaiting, row?.records ?? 0, attributes);
          result.observe(syncWaitingAge, row ? Math.max(0, (now - new Date(row.oldest).getTime()) / 1000) : 0, attributes);
        }
      } catch (err) {
        this.logger.warn({ err }, 'could not count waiting records for metrics');
      }
    };
    meter.addBatchObservableCallback(observeWaiting, [syncWaiting, syncWaitingAge]);
    this.stops = [
      () => meter.removeBatchObservableCallback(observeWaiting, [syncWaiting, syncWaitingAge]),
      this.bus.observeDeadLetters(),
    ];
  }

  onModuleDestroy(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  private async waitingByIntegration(): Promise<Array<{ integrationId: string; records: number; oldest: Date | string }>> {
    return this.dataSource.manager
      .createQueryBuilder(WaitingEventEntity, 'waiting')
      .select('waiting.integrationId', 'integrationId')
      .addSelect('count(*)::int', 'records')
      .addSelect('min(waiting.since)', 'oldest')
      .groupBy('waiting.integrationId')
      .getRawMany();
  }
}
