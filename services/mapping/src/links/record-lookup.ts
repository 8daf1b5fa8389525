import { Inject, Injectable } from '@nestjs/common';
import type { ConnectorName } from '@junction/contracts';
import { DataSource } from 'typeorm';
import { RecordFailureEntity } from '../failures/record-failure.entity';
import type { Integration } from '../integrations/integration';
import { WaitingEventEntity } from '../waiting/waiting-event.entity';
import { RecordLinkEntity } from './record-link.entity';

/** What Junction knows about one vendor record within an integration, and the trace it happened in. */
export interface TracedRecord {
  /** Written into the target, given up on, or waiting for the integration's settings or a link. */
  state: 'written' | 'failed' | 'waiting';
  /** The connector that wrote (or failed to write) it; for a waiting record, the one it came from. */
  connector: ConnectorName;
  connectionId: string;
  entityType: string;
  sourceKey: string | null;
  externalId: string | null;
  traceId: string | null;
  at: Date;
  reason: string | null;
}

// A source key is `<connector>:<connection>:<entity type>:<source id>[:<part>]`: its fourth part is the source's id.
const SOURCE_ID = (alias: string) => `split_part(${alias}.sourceKey, ':', 4)`;
const LIMIT = 100;

/** Finds an integration's records by a vendor id on either side (the source's id or the target's). */
@Injectable()
export class RecordLookup {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  private get manager() {
    return this.dataSource.manager;
  }

  async byVendorId(integration: Integration, vendorId: string): Promise<TracedRecord[]> {
    const connections = [integration.sourceConnectionId, integration.targetConnectionId];
    const links = await this.manager
      .createQueryBuilder(RecordLinkEntity, 'link')
      .where('link.connectionId IN (:...connections)', { connections })
      .andWhere(`split_part(link.sourceKey, ':', 2) IN (:...connections)`, { connections })
      .andWhere(`(link.externalId = :vendorId OR ${SOURCE_ID('link')} = :vendorId)`, { vendorId })
      .orderBy('link.updatedAt', 'DESC')
      .take(LIMIT)
      .getMany();
    const failures = await this.manager
      .createQueryBuilder(RecordFailureEntity, 'failure')
      .where('failure.integrationId = :integrationId', { integrationId: integration.id })
      .andWhere(`${SOURCE_ID('failure')} = :vendorId`, { vendorId })
      .orderBy('failure.failedAt', 'DESC')
      .take(LIMIT)
      .getMany();
    const waiting = await this.manager
      .createQueryBuilder(WaitingEventEntity, 'waiting')
      .where('waiting.integrationId = :integrationId', { integrationId: integration.id })
      // A status change names its order as orderSourceId.
      .andWhere(`coalesce(waiting.envelope #>> '{data,sourceId}', waiting.envelope #>> '{data,orderSourceId}') = :vendorId`, {
        vendorId,
      })
      .orderBy('waiting.since', 'DESC')
      .take(LIMIT)
      .getMany();
    return [
      ...links.map((link) => ({
        state: 'written' as const,
        connector: link.connector as ConnectorName,
        connectionId: link.connectionId,
        entityType: link.entityType,
        sourceKey: link.sourceKey,
        externalId: link.externalId,
        traceId: link.traceId,
        at: link.updatedAt,
        reason: null,
      })),
      ...failures.map((failure) => ({
        state: 'failed' as const,
        connector: failure.connector as ConnectorName,
        connectionId: failure.connectionId,
        entityType: failure.entityType,
        sourceKey: failure.sourceKey,
        externalId: null,
        traceId: failure.traceId,
        at: failure.failedAt,
        reason: `${failure.code}: ${failure.message}`,
      })),
      ...waiting.map((row) => {
        const source = (row.envelope as { source: { connector: ConnectorName; connectionId: string } }).source;
        return {
          state: 'waiting' as const,
          connector: source.connector,
          connectionId: source.connectionId,
          entityType: row.subject.split('.')[0],
          sourceKey: null,
          externalId: null,
          traceId: row.traceId,
          at: row.since,
          reason: row.reason,
        };
      }),
    ].sort((a, b) => b.at.getTime() - a.at.getTime());
  }
}
