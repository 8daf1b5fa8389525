import type { DataSource, EntityManager } from 'typeorm';
import { InboxMessageEntity } from './entities';
import { entityTable } from './schema';
import { runSql } from './sql';

export type InboxResult<T> = { status: 'processed'; result: T } | { status: 'duplicate' };

/** Message ids each consumer has processed, so a redelivered or replayed message does nothing. */
export class Inbox {
  private readonly dataSource: DataSource;
  private readonly table: string;

  constructor(dataSource: DataSource) {
    this.dataSource = dataSource;
    this.table = entityTable(dataSource.manager, InboxMessageEntity);
  }

  /**
   * Runs `work` unless `consumer` already processed `messageId`. The claim and the work share one
   * transaction: if `work` throws, both roll back and a redelivery processes the message again. A
   * concurrent delivery of the same message waits on the claim and then reports a duplicate.
   */
  runOnce<T>(
    consumer: string,
    messageId: string,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<InboxResult<T>> {
    return this.dataSource.transaction(async (manager): Promise<InboxResult<T>> => {
      if (!(await this.insert(manager, consumer, messageId))) return { status: 'duplicate' };
      return { status: 'processed', result: await work(manager) };
    });
  }

  /**
   * Notes that `consumer` processed `messageId`, for work that ran outside a transaction (a command's vendor calls);
   * false when it was noted already.
   */
  record(consumer: string, messageId: string): Promise<boolean> {
    return this.insert(this.dataSource.manager, consumer, messageId);
  }

  /** Whether `consumer` has processed `messageId`: a command looks before it runs. */
  async has(consumer: string, messageId: string): Promise<boolean> {
    const { rows } = await runSql(this.dataSource.manager, `SELECT 1 FROM ${this.table} WHERE consumer = $1 AND message_id = $2`, [
      consumer,
      messageId,
    ]);
    return rows.length > 0;
  }

  /** Forgets messages processed before `olderThan` (keep longer than any redelivery or replay window). */
  async prune(olderThan: Date): Promise<number> {
    const { affected } = await runSql(this.dataSource.manager, `DELETE FROM ${this.table} WHERE processed_at < $1`, [
      olderThan,
    ]);
    return affected;
  }

  private async insert(manager: EntityManager, consumer: string, messageId: string): Promise<boolean> {
    const { rows } = await runSql(
      manager,
      `INSERT INTO ${this.table} (consumer, message_id) VALUES ($1, $2)
       ON CONFLICT (consumer, message_id) DO NOTHING
       RETURNING message_id`,
      [consumer, messageId],
    );
    return rows.length > 0;
  }
}
