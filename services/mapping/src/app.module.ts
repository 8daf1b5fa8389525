import { Module } from '@nestjs/common';
import { JunctionModule, type ServiceDefinition } from '@junction/service-kit';
import { MappingConfigSchema } from './config';
import { ConnectionsService } from './connections/connections.service';
import { ConnectorControl } from './connections/connector-control';
import { ConsoleModule } from './console.module';
import { ControlApi } from './control-api';
import { IntegrationEntity } from './integrations/integration.entity';
import { IntegrationChecks } from './integrations/integration-checks';
import { IntegrationsService } from './integrations/integrations.service';
import { IntegrationsStore } from './integrations/integrations.store';
import { RecordLinkEntity } from './links/record-link.entity';
import { RecordLookup } from './links/record-lookup';
import { RecordFailureEntity } from './failures/record-failure.entity';
import { RecordOutcomesProjection } from './failures/record-outcomes.projection';
import { MappingInitial1795500000000 } from './migrations/1795500000000-mapping-initial';
import { MappingMetrics } from './metrics/mapping-metrics';
import { EventRouter } from './routing/event-router';
import { RunViews } from './runs/run-views';
import { RunViewsProjection } from './runs/run-views.projection';
import { SyncRunViewEntity } from './runs/sync-run-view.entity';
import { WaitingEvents1795950000000 } from './migrations/1795950000000-waiting-events';
import { RecordFailures1795960000000 } from './migrations/1795960000000-record-failures';
import { TraceIds1795970000000 } from './migrations/1795970000000-trace-ids';
import { RunFailedRecords1796100000000 } from './migrations/1796100000000-run-failed-records';
import { RunTraceIds1796200000000 } from './migrations/1796200000000-run-trace-ids';
import { LinkWaits1796400000000 } from './migrations/1796400000000-link-waits';
import { LinkWaitExpiry } from './waiting/link-wait-expiry';
import { WaitingEventEntity } from './waiting/waiting-event.entity';

export const definition: ServiceDefinition = {
  name: 'mapping',
  entities: [IntegrationEntity, SyncRunViewEntity, RecordLinkEntity, WaitingEventEntity, RecordFailureEntity],
  migrations: [
    MappingInitial1795500000000,
    WaitingEvents1795950000000,
    RecordFailures1795960000000,
    TraceIds1795970000000,
    RunFailedRecords1796100000000,
    RunTraceIds1796200000000,
    LinkWaits1796400000000,
  ],
  configSchema: MappingConfigSchema,
};

@Module({
  imports: [JunctionModule.forService(definition), ConsoleModule],
  providers: [
    ConnectorControl,
    ConnectionsService,
    IntegrationsStore,
    IntegrationChecks,
    IntegrationsService,
    RunViews,
    RunViewsProjection,
    RecordOutcomesProjection,
    RecordLookup,
    EventRouter,
    LinkWaitExpiry,
    MappingMetrics,
    ControlApi,
  ],
})
export class AppModule {}
