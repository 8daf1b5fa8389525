import { entityTable } from '@junction/connector-kit';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { IntegrationEntity } from './integration.entity';
import { INTEGRATION_KINDS, type IntegrationKind, type Side } from './integration-kinds';
import { connectorOn, type Integration } from './integration';

/** What a client decides about an integration; the rest (id, timestamps, revision) is the store's. */
export type IntegrationDraft = DraftOf<Integration>;
// Distributes over the kinds, so a draft's settings stay tied to its kind.
type DraftOf<I> = I extends Integration ? Omit<I, 'id' | 'revision' | 'createdAt' | 'updatedAt'> : never;

/** A save refused by one of the uniqueness rules the schema enforces (see the migration). */
export class IntegrationConflictError extends Error {
  override name = 'IntegrationConflictError';
}

const CONFLICTS: Record<string, (draft: IntegrationDraft) => string> = {
  integrations_one_shop_per_minicrm: () =>
    'this MiniCRM system already has a Shoprenter integration, and a second one would overwrite its customers and ' +
    'orders; remove the old integration first to connect another shop',
  integrations_one_store_per_zzap: () =>
    'this ZZap account already feeds a RetailCRM store (one store = one ZZap account); remove that integration first',
  integrations_one_zzap_per_store: (draft) =>
    `RetailCRM store '${'storeCode' in draft.settings ? draft.settings.storeCode : ''}' already has a ZZap integration ` +
    '(one store = one ZZap account); remove that integration first',
};

const UNIQUE_VIOLATION = '23505';

function conflictOf(error: unknown, draft: IntegrationDraft): IntegrationConflictError | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const { code, constraint } = error.driverError as { code?: string; constraint?: string };
  const describe = code === UNIQUE_VIOLATION && constraint ? CONFLICTS[constraint] : undefined;
  return describe && new IntegrationConflictError(describe(draft));
}

/** An integrations row as Postgres returns it. */
interface IntegrationRow {
  id: string;
  kind: string;
  name: string;
  source_connection_id: string;
  target_connection_id: string;
  settings: Record<string, unknown>;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
  revision: number;
}

/** Parses a stored row; settings go through the kind's schema so fields added later get their defaults. */
function toIntegration(entity: IntegrationEntity): Integration {
  const kind = INTEGRATION_KINDS[entity.kind as IntegrationKind];
  if (!kind) throw new Error(`integration ${entity.id} has unknown kind '${entity.kind}'`);
  return {
    id: entity.id,
    kind: entity.kind,
    name: entity.name,
    sourceConnectionId: entity.sourceConnectionId,
    targetConnectionId: entity.targetConnectionId,
    enabled: entity.enabled,
    settings: kind.settings.parse(entity.settings),
    revision: entity.revision,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  } as Integration;
}

@Injectable()
export class IntegrationsStore {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async list(): Promise<Integration[]> {
    const rows = await this.dataSource.manager.find(IntegrationEntity, { order: { createdAt: 'ASC' } });
    return rows.map(toIntegration);
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<Integration | undefined> {
    const row = await manager.findOne(IntegrationEntity, {
      where: { id },
      // Inside a transaction, hold the row so concurrent saves of one integration take turns.
      ...(manager.queryRunner?.isTransactionActive && { lock: { mode: 'pessimistic_write' as const } }),
    });
    return row ? toIntegration(row) : undefined;
  }

  insert(manager: EntityManager, draft: IntegrationDraft): Promise<Integration> {
    return this.save(manager, manager.create(IntegrationEntity, { id: randomUUID(), ...draft }), draft);
  }

  async update(manager: EntityManager, id: string, draft: IntegrationDraft): Promise<Integration> {
    const row = await manager.findOneOrFail(IntegrationEntity, { where: { id } });
    return this.save(manager, manager.merge(IntegrationEntity, row, draft), draft);
  }

  /** Saves the row, turning a violated uniqueness rule into an IntegrationConflictError. */
  private async save(manager: EntityManager, row: IntegrationEntity, draft: IntegrationDraft): Promise<Integration> {
    try {
      return toIntegration(await manager.save(row));
    } catch (error) {
      throw conflictOf(error, draft) ?? error;
    }
  }

  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(IntegrationEntity, { id });
  }

  /** Integrations that use a connection, on either side. */
  async usingConnection(
    connector: string,
    connectionId: string,
    options: { enabledOnly: boolean },
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Integration[]> {
    const sides: Array<{ kind: IntegrationKind; side: Side }> = [];
    for (const kind of Object.keys(INTEGRATION_KINDS) as IntegrationKind[]) {
      for (const side of ['source', 'target'] as const) {
        if (connectorOn(kind, side) === connector) sides.push({ kind, side });
      }
    }
    if (sides.length === 0) return [];
    const kindsOn = (side: Side) => sides.filter((candidate) => candidate.side === side).map(({ kind }) => kind);
    // Read for every routed event: one fixed statement (prepared once), not a query built by TypeORM each time.
    const rows: IntegrationRow[] = await manager.query(
      `SELECT id, kind, name, source_connection_id, target_connection_id, settings, enabled, created_at, updated_at, revision
       FROM ${entityTable(manager, IntegrationEntity)}
       WHERE ((kind = ANY($2::text[]) AND source_connection_id = $1) OR (kind = ANY($3::text[]) AND target_connection_id = $1))
         AND (enabled OR NOT $4::boolean)
       ORDER BY created_at`,
      [connectionId, kindsOn('source'), kindsOn('target'), options.enabledOnly],
    );
    return rows.map((row) =>
      toIntegration({
        id: row.id,
        kind: row.kind,
        name: row.name,
        sourceConnectionId: row.source_connection_id,
        targetConnectionId: row.target_connection_id,
        settings: row.settings,
        enabled: row.enabled,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        revision: row.revision,
      }),
    );
  }
}
