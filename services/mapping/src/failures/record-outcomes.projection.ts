import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { parseEvent } from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { CONFIG, LOGGER } from '@junction/service-kit';
import { activeTraceId } from '@junction/telemetry';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { MappingConfig } from '../config';
import { IntegrationsStore } from '../integrations/integrations.store';
import { RecordLinks } from '../links/record-links';
import { WaitingEvents } from '../waiting/waiting-events';
import { RecordFailures } from './record-failures';

/**
 * Keeps what connectors report about the commands they executed: record.written links each vendor record to its
 * source record and clears an earlier failure of the command (one statement), then releases the events that waited
 * for that link (under RecordLinks' lock, so none is left behind; a redelivery after a crash in between releases
 * them); record.failed keeps why a command was given up. Both are upserts and deletes by key, and a release publishes
 * commands with the event's ids, so a redelivery changes nothing.
 */
@Injectable()
export class RecordOutcomesProjection implements OnApplicationBootstrap {
  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(IntegrationsStore) private readonly integrations: IntegrationsStore,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONFIG) private readonly config: MappingConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const failures = new RecordFailures(this.dataSource.manager);
    await this.bus.consume({
      stream: 'EVENTS',
      durable: 'mapping-record-links',
      filterSubject: 'record.written',
      concurrency: this.config.EVENT_CONCURRENCY,
      parse: (raw) => parseEvent('record.written', raw),
      // The delivery's span continues the trace the outcome was published in: the source record's.
      handle: async (event) => {
        const written = event.data;
        // The command was written after all: an earlier failure of it is cleared with the link.
        const clearFailure = (paramOffset: number) => failures.clearStatement(written.commandId, paramOffset);
        await new RecordLinks(this.dataSource.manager).record(written, new Date(event.occurredAt), activeTraceId(), clearFailure);
        const released = (await new WaitingEvents(this.dataSource.manager).awaits(written))
          ? await this.dataSource.transaction((manager) => new WaitingEvents(manager).releaseLinked(written, this.integrations, this.bus))
          : 0;
        if (released > 0) {
          const { connector, connectionId, externalId, sourceKey } = written;
          this.logger.info({ connector, connectionId, externalId, sourceKey, released }, 'events released: the link they waited for is recorded');
        }
      },
    });
    await this.bus.consume({
      stream: 'EVENTS',
      durable: 'mapping-record-failures',
      filterSubject: 'record.failed',
      concurrency: this.config.EVENT_CONCURRENCY,
      parse: (raw) => parseEvent('record.failed', raw),
      handle: (event) => failures.failed(event, activeTraceId()),
    });
  }
}
