import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { parseEvent } from '@junction/contracts';
import { Bus } from '@junction/messaging';
import { DataSource } from 'typeorm';
import { RecordLinks } from './record-links';

/** Records which vendor record each connector wrote for a source record, from record.written. */
@Injectable()
export class RecordLinksProjection implements OnApplicationBootstrap {
  constructor(
    @Inject(Bus) private readonly bus: Bus,
    @Inject(DataSource) private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const links = new RecordLinks(this.dataSource.manager);
    await this.bus.consume({
      stream: 'EVENTS',
      durable: 'mapping-record-links',
      filterSubject: 'record.written',
      parse: (raw) => parseEvent('record.written', raw),
      // An upsert of the same link: a redelivery changes nothing.
      handle: (event) => links.record(event.data, new Date(event.occurredAt)),
    });
  }
}
