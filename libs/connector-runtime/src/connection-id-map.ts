import type { EnsureManySteps, EnsureResult, EnsureSteps, IdMap, IdMapEntry, IdMapOrigin, RecordedKeys } from '@junction/connector-kit';
import type { RecordWritten } from '@junction/contracts';
import type { Logger } from '@junction/telemetry';
import { MissingDependencyError } from './failures';
import type { RecordKey, WritesInProgress } from './writes-in-progress';

export interface EnsuredRecord {
  externalId: string;
  /** In `record.written` terms: an already mapped record is 'unchanged'. */
  outcome: Extract<RecordWritten['outcome'], 'created' | 'found_existing' | 'unchanged'>;
}

/** Told of every key a command maps (created, found at the vendor or recorded), e.g. to release what waits for it. */
export type RecordedListener = (keys: RecordedKeys) => Promise<void>;

/** A record of the connection, by entity type and source key. */
export type RecordRef = Omit<RecordKey, 'connectionId'>;

/** A record a command cannot run without; `missing` says so in the connector's words. */
export interface NeededRecord extends RecordRef {
  missing?: string;
}

/** How the runtime takes part in a command's look-ups and writes. */
export interface ConnectionIdMapHooks {
  onRecorded?: RecordedListener;
  /** Commands of this process writing records now: `require` waits for one of them, up to `maxWaitMs`. */
  writing?: { writes: WritesInProgress; maxWaitMs: number; logger: Logger };
  /** The entity types the connector declares its commands may wait for (`waitsFor`); `require` refuses others. */
  waitsFor?: ReadonlySet<string>;
}

/** The kit's ID map seen from one connection, so a handler cannot touch another connection's mappings. */
export class ConnectionIdMap {
  private readonly onRecorded: RecordedListener;

  constructor(
    private readonly idMap: IdMap,
    readonly connectionId: string,
    private readonly hooks: ConnectionIdMapHooks = {},
  ) {
    this.onRecorded = hooks.onRecorded ?? (async () => undefined);
  }

  find(entityType: string, sourceKey: string): Promise<IdMapEntry | undefined> {
    return this.idMap.find(this.connectionId, entityType, sourceKey);
  }

  /**
   * The mapping of a record an earlier command wrote (a contact's customer). Without one the command cannot run yet:
   * it throws a MissingDependencyError, and the runtime runs the command again once the key is recorded. A command
   * of this process that is writing the record now is waited for first. `missing` says what is missing in the
   * connector's words; by default `<entityType> <sourceKey> is not written yet`.
   */
  async require(entityType: string, sourceKey: string, missing?: string): Promise<IdMapEntry> {
    const { required } = await this.lookUp([{ entityType, sourceKey, missing }]);
    return required[0];
  }

  /**
   * The records a command needs, in one look-up: `require` of each of `required`, `find` of each of `optional`; each
   * answered in the order asked.
   */
  async lookUp(
    required: readonly NeededRecord[],
    optional: readonly RecordRef[] = [],
  ): Promise<{ required: IdMapEntry[]; optional: Array<IdMapEntry | undefined> }> {
    // A write of an undeclared type would not release a command waiting for it: only the sweep would, much later.
    const undeclared = required.find(({ entityType }) => this.hooks.waitsFor && !this.hooks.waitsFor.has(entityType));
    if (undeclared) {
      throw new Error(
        `a command needs a ${undeclared.entityType}, which is not among the entity types the connector's commands wait for (waitsFor)`,
      );
    }
    const entries = await this.idMap.findMany(this.connectionId, [...required, ...optional]);
    const unmapped = required.filter((_, index) => !entries[index]);
    if (unmapped.length > 0) {
      const written = await this.writtenMeanwhile(unmapped);
      required.forEach((needed, index) => {
        entries[index] ??= written.get(needed);
      });
      const absent = required.find((_, index) => !entries[index]);
      if (absent) {
        const { entityType, sourceKey, missing } = absent;
        throw new MissingDependencyError({ entityType, sourceKey }, missing ?? `${entityType} ${sourceKey} is not written yet`);
      }
    }
    return { required: entries.slice(0, required.length) as IdMapEntry[], optional: entries.slice(required.length) };
  }

  /** Of these unmapped records, the mappings of those a command of this process was writing, once it is done. */
  private async writtenMeanwhile(unmapped: readonly NeededRecord[]): Promise<Map<NeededRecord, IdMapEntry>> {
    const { writing } = this.hooks;
    const beingWritten = unmapped.filter(({ entityType, sourceKey }) =>
      writing?.writes.isWriting({ connectionId: this.connectionId, entityType, sourceKey }),
    );
    if (!writing || beingWritten.length === 0) return new Map();
    await Promise.all(
      beingWritten.map(({ entityType, sourceKey }) => {
        writing.logger.debug({ awaited: { entityType, sourceKey } }, 'waiting for a record a command of this process is writing');
        return writing.writes.settled({ connectionId: this.connectionId, entityType, sourceKey }, writing.maxWaitMs);
      }),
    );
    const entries = await this.idMap.findMany(this.connectionId, beingWritten);
    return new Map(beingWritten.flatMap((needed, index) => (entries[index] ? [[needed, entries[index]] as const] : [])));
  }

  findByExternalId(entityType: string, externalId: string): Promise<IdMapEntry | undefined> {
    return this.idMap.findByExternalId(this.connectionId, entityType, externalId);
  }

  async record(input: {
    entityType: string;
    sourceKey: string;
    externalId: string;
    origin?: IdMapOrigin;
    fingerprint?: string;
  }): Promise<IdMapEntry> {
    const entry = await this.idMap.record({ origin: 'written', ...input, connectionId: this.connectionId });
    await this.onRecorded({ connectionId: this.connectionId, entityType: entry.entityType, sourceKeys: [entry.sourceKey] });
    return entry;
  }

  /**
   * Look up, else find at the vendor by natural key (an earlier attempt may have created it and crashed before
   * recording), else create; the mapping is recorded at once. `create` runs at most once per key.
   */
  async ensure(entityType: string, sourceKey: string, steps: EnsureSteps): Promise<EnsuredRecord> {
    const key = { connectionId: this.connectionId, entityType, sourceKey };
    const { externalId, outcome } = await this.idMap.ensure(key, steps);
    if (outcome !== 'mapped') await this.onRecorded({ connectionId: this.connectionId, entityType, sourceKeys: [sourceKey] });
    return ensured({ externalId, outcome });
  }

  /**
   * `ensure` for many records with one batch create (see IdMap.ensureMany): each key's record, or the error that
   * refused that key alone.
   */
  async ensureMany(entityType: string, sourceKeys: readonly string[], steps: EnsureManySteps): Promise<Map<string, EnsuredRecord | Error>> {
    const results = await this.idMap.ensureMany({ connectionId: this.connectionId, entityType }, sourceKeys, steps);
    const records = new Map<string, EnsuredRecord | Error>();
    const recorded: string[] = [];
    for (const [sourceKey, result] of results) {
      if (!(result instanceof Error) && result.outcome !== 'mapped') recorded.push(sourceKey);
      records.set(sourceKey, result instanceof Error ? result : ensured(result));
    }
    if (recorded.length > 0) await this.onRecorded({ connectionId: this.connectionId, entityType, sourceKeys: recorded });
    return records;
  }
}

/** In `record.written` terms: an already mapped record is 'unchanged'. */
function ensured({ externalId, outcome }: EnsureResult): EnsuredRecord {
  return { externalId, outcome: outcome === 'mapped' ? 'unchanged' : outcome };
}
