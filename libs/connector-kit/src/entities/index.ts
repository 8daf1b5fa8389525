import { ConnectionEntity } from './connection.entity';
import { CursorEntity } from './cursor.entity';
import { IdMapClaimEntity } from './id-map-claim.entity';
import { IdMapEntity } from './id-map.entity';
import { InboxMessageEntity } from './inbox-message.entity';
import { ObservationEntity } from './observation.entity';
import { ParkedCommandEntity } from './parked-command.entity';
import { RateLimitEntity } from './rate-limit.entity';
import { SyncRunRecordEntity } from './sync-run-record.entity';
import { SyncRunEntity } from './sync-run.entity';

export {
  ConnectionEntity,
  CursorEntity,
  IdMapClaimEntity,
  IdMapEntity,
  InboxMessageEntity,
  ObservationEntity,
  ParkedCommandEntity,
  RateLimitEntity,
  SyncRunEntity,
  SyncRunRecordEntity,
};
export type { IdMapOrigin } from './id-map.entity';
export type { SyncRunState } from './sync-run.entity';
export type { RecordOutcome } from './sync-run-record.entity';

/** The kit's tables, for a service's DataSource (openServiceDataSource adds them itself). */
export const kitEntities = [
  IdMapEntity,
  CursorEntity,
  InboxMessageEntity,
  SyncRunEntity,
  SyncRunRecordEntity,
  ConnectionEntity,
  ObservationEntity,
  RateLimitEntity,
  IdMapClaimEntity,
  ParkedCommandEntity,
];
