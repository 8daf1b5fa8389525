import type { EnsureSteps, IdMap, IdMapEntry, IdMapOrigin } from '@junction/connector-kit';
import type { RecordWritten } from '@junction/contracts';

export interface EnsuredRecord {
  externalId: string;
  /** In `record.written` terms: an already mapped record is 'unchanged'. */
  outcome: Extract<RecordWritten['outcome'], 'created' | 'found_existing' | 'unchanged'>;
}

/** The kit's ID map seen from one connection, so a handler cannot touch another connection's mappings. */
export class ConnectionIdMap {
  constructor(
    private readonly idMap: IdMap,
    readonly connectionId: string,
  ) {}

  find(entityType: string, sourceKey: string): Promise<IdMapEntry | undefined> {
    return this.idMap.find(this.connectionId, entityType, sourceKey);
  }

  findByExternalId(entityType: string, externalId: string): Promise<IdMapEntry | undefined> {
    return this.idMap.findByExternalId(this.connectionId, entityType, externalId);
  }

  record(input: {
    entityType: string;
    sourceKey: string;
    externalId: string;
    origin?: IdMapOrigin;
    fingerprint?: string;
  }): Promise<IdMapEntry> {
    return this.idMap.record({ origin: 'written', ...input, connectionId: this.connectionId });
  }

  /**
   * Look up, else find at the vendor by natural key (an earlier attempt may have created it and crashed before
   * recording), else create; the mapping is recorded at once. `create` runs at most once per key.
   */
  async ensure(entityType: string, sourceKey: string, steps: EnsureSteps): Promise<EnsuredRecord> {
    const key = { connectionId: this.connectionId, entityType, sourceKey };
    const { externalId, outcome } = await this.idMap.ensure(key, steps);
    return { externalId, outcome: outcome === 'mapped' ? 'unchanged' : outcome };
  }
}
