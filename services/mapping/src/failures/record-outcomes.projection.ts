import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { parseEvent } from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { activeTraceId } from '@junction/telemetry';
import { DataSource } from 'typeorm';
import { RecordLinks } from '../links/record-links';
import { RecordFailures } from './record-failures';

/**
 * Keeps what connectors report about the commands they executed: record.written links each vendor record to its
 * source record (and clears an earlier failure of the command); record.failed keeps why a command was given up.
 * Both are upserts and deletes by key, so a redelivery changes nothing.
 */
@Injectable()
export class RecordOutcomesProjection implements OnApplicationBootstrap {
  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const links = new RecordLinks(this.dataSource.manager);
    const failures = new RecordFailures(this.dataSource);
    await this.bus.consume({
      stream: 'EVENTS',
      durable: 'mapping-record-links',
      filterSubject: 'record.written',
      parse: (raw) => parseEvent('record.written', raw),
      // The delivery's span continues the trace the outcome was published in: the source record's.
      handle: async (event) => {
        await links.record(event.data, new Date(event.occurredAt), activeTraceId());
        await failures.written(event.data.commandId);
      },
    });
    await this.bus.consume({
      stream: 'EVENTS',
      durable: 'mapping-record-failures',
      filterSubject: 'record.failed',
      parse: (raw) => parseEvent('record.failed', raw),
      handle: (event) => failures.failed(event, activeTraceId()),
    });
  }
}
