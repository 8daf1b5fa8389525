import { createHash, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ConnectionEntity } from './entities';
import { entityTable } from './schema';
import { firstRow, isUuid, runSql } from './sql';

/**
 * Authenticated encryption of credentials (e.g. @junction/secrets' SecretBox). `aad` is bound to the
 * ciphertext: open() must fail when it differs from the one given to seal().
 */
export interface CredentialCipher {
  seal(plain: string, aad?: string): string;
  open(sealed: string, aad?: string): string;
}

export type ConnectionSettings = Record<string, unknown>;

/** A connection as anyone may see it: whether it has credentials, never the credentials. */
export interface ConnectionView {
  id: string;
  connector: string;
  name: string;
  settings: ConnectionSettings;
  hasCredentials: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewConnection {
  connector: string;
  name: string;
  settings: ConnectionSettings;
  credentials?: object;
  /**
   * The vendor account the connection reaches (a MiniCRM system id, a ZZap login), for connectors that allow one
   * connection per account; stored only as a hash.
   */
  account?: string;
}

export interface ConnectionChanges {
  name?: string;
  settings?: ConnectionSettings;
  /** undefined keeps the stored credentials, null removes them. */
  credentials?: object | null;
  /** undefined keeps the stored account key. */
  account?: string;
}

export class ConnectionNotFoundError extends Error {
  constructor(readonly connectionId: string) {
    super(`connection ${connectionId} not found`);
    this.name = 'ConnectionNotFoundError';
  }
}

/** A second connection to a vendor account that allows only one. */
export class AccountInUseError extends Error {
  constructor(readonly existing: ConnectionView) {
    super(`this account is already connected as '${existing.name}' (${existing.id}); remove that connection first`);
    this.name = 'AccountInUseError';
  }
}

const ACCOUNT_KEY_INDEX = 'connections_account_key_idx';

const VIEW_COLUMNS = `
  id, connector, name, settings, sealed_credentials IS NOT NULL AS "hasCredentials",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** A service's connections to its vendor; credentials are stored only sealed. */
export class Connections {
  private readonly manager: EntityManager;
  private readonly table: string;

  constructor(
    dataSource: DataSource,
    private readonly cipher: CredentialCipher,
  ) {
    this.manager = dataSource.manager;
    this.table = entityTable(this.manager, ConnectionEntity);
  }

  async create(input: NewConnection): Promise<ConnectionView> {
    // The id is chosen here because the credentials are sealed to it before the row exists.
    const id = randomUUID();
    const accountKey = accountKeyOf(input.connector, input.account);
    const row = await this.guardAccount(input.connector, accountKey, () =>
      firstRow<ConnectionView>(
        this.manager,
        `INSERT INTO ${this.table} (id, connector, name, settings, sealed_credentials, account_key)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6)
         RETURNING ${VIEW_COLUMNS}`,
        [id, input.connector, input.name, JSON.stringify(input.settings), this.seal(id, input.credentials), accountKey],
      ),
    );
    if (!row) throw new Error(`connection ${id} was not created`);
    return row;
  }

  async update(id: string, changes: ConnectionChanges): Promise<ConnectionView> {
    const keepCredentials = changes.credentials === undefined;
    const connector = isUuid(id) ? (await this.get(id))?.connector : undefined;
    if (connector === undefined) throw new ConnectionNotFoundError(id);
    const accountKey = accountKeyOf(connector, changes.account);
    const row = await this.guardAccount(connector, accountKey, () =>
      firstRow<ConnectionView>(
        this.manager,
        `UPDATE ${this.table} SET
           name = COALESCE($2, name),
           settings = COALESCE($3::jsonb, settings),
           sealed_credentials = CASE WHEN $4 THEN sealed_credentials ELSE $5 END,
           account_key = COALESCE($6, account_key),
           updated_at = now()
         WHERE id = $1
         RETURNING ${VIEW_COLUMNS}`,
        [
          id,
          changes.name ?? null,
          changes.settings === undefined ? null : JSON.stringify(changes.settings),
          keepCredentials,
          keepCredentials ? null : this.seal(id, changes.credentials ?? undefined),
          accountKey,
        ],
      ),
    );
    if (!row) throw new ConnectionNotFoundError(id);
    return row;
  }

  async get(id: string): Promise<ConnectionView | undefined> {
    if (!isUuid(id)) return undefined;
    return firstRow<ConnectionView>(this.manager, `SELECT ${VIEW_COLUMNS} FROM ${this.table} WHERE id = $1`, [id]);
  }

  /** The decrypted credentials, or undefined when the connection has none. */
  async credentials<T>(id: string): Promise<T | undefined> {
    const row = isUuid(id)
      ? await firstRow<{ sealed: string | null }>(
          this.manager,
          `SELECT sealed_credentials AS sealed FROM ${this.table} WHERE id = $1`,
          [id],
        )
      : undefined;
    if (!row) throw new ConnectionNotFoundError(id);
    if (row.sealed === null) return undefined;
    let plain: string;
    try {
      plain = this.cipher.open(row.sealed, id);
    } catch (cause) {
      throw new Error(`credentials of connection ${id} could not be opened (wrong key, or sealed for another row)`, {
        cause,
      });
    }
    return JSON.parse(plain) as T;
  }

  async list(connector?: string): Promise<ConnectionView[]> {
    const { rows } = await runSql<ConnectionView>(
      this.manager,
      `SELECT ${VIEW_COLUMNS} FROM ${this.table}
       WHERE $1::text IS NULL OR connector = $1
       ORDER BY created_at, id`,
      [connector ?? null],
    );
    return rows;
  }

  /** Deletes the connection; false when there was none. */
  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { affected } = await runSql(this.manager, `DELETE FROM ${this.table} WHERE id = $1`, [id]);
    return affected > 0;
  }

  /** Runs the write; a clash on the account key becomes an AccountInUseError naming the connection that has it. */
  private async guardAccount<T>(connector: string, accountKey: string | null, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (accountKey === null || (error as { constraint?: string }).constraint !== ACCOUNT_KEY_INDEX) throw error;
      const existing = await firstRow<ConnectionView>(
        this.manager,
        `SELECT ${VIEW_COLUMNS} FROM ${this.table} WHERE connector = $1 AND account_key = $2`,
        [connector, accountKey],
      );
      if (!existing) throw error;
      throw new AccountInUseError(existing);
    }
  }

  // The row id is the associated data, so a sealed value only opens on the row it was sealed for.
  private seal(id: string, credentials: object | undefined): string | null {
    return credentials === undefined ? null : this.cipher.seal(JSON.stringify(credentials), id);
  }
}

/** The vendor account as a hash: enough to refuse a duplicate, nothing to read a login or system id from. */
function accountKeyOf(connector: string, account: string | undefined): string | null {
  if (account === undefined) return null;
  return createHash('sha256').update(`${connector}\u0000${account.trim().toLowerCase()}`).digest('hex');
}
