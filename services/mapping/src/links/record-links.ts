import type { RecordWritten } from '@junction/contracts';
import type { EntityManager } from 'typeorm';
import { RecordLinkEntity } from './record-link.entity';

/** Links between source records and the vendor records connectors wrote for them. */
export class RecordLinks {
  constructor(private readonly manager: EntityManager) {}

  /** `traceId`: the trace record.written came in, the source record's. */
  async record(written: RecordWritten, at: Date, traceId?: string): Promise<void> {
    await this.manager.upsert(
      RecordLinkEntity,
      {
        connector: written.connector,
        connectionId: written.connectionId,
        sourceKey: written.sourceKey,
        entityType: written.entityType,
        externalId: written.externalId,
        updatedAt: at,
        traceId: traceId ?? null,
      },
      ['connector', 'connectionId', 'sourceKey'],
    );
  }

  /** Whether the connector wrote a record for this source record with this connection (record.written). */
  async isWritten(connector: string, connectionId: string, sourceKey: string): Promise<boolean> {
    return this.manager.exists(RecordLinkEntity, { where: { connector, connectionId, sourceKey } });
  }

  /**
   * The key of the source record a connector's record was written for, among keys starting with `sourceKeyPrefix`
   * (e.g. the orders of one ZZap connection), or undefined when it was not written from there.
   */
  async sourceKeyOf(
    connector: string,
    connectionId: string,
    externalId: string,
    sourceKeyPrefix: string,
  ): Promise<string | undefined> {
    const link = await this.manager
      .createQueryBuilder(RecordLinkEntity, 'link')
      .where('link.connector = :connector AND link.connectionId = :connectionId AND link.externalId = :externalId', {
        connector,
        connectionId,
        externalId,
      })
      .andWhere('starts_with(link.sourceKey, :prefix)', { prefix: sourceKeyPrefix })
      .orderBy('link.updatedAt', 'DESC')
      .getOne();
    return link?.sourceKey;
  }
}
