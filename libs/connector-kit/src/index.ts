export { openServiceDataSource, hasPendingMigrations, POOL_IDLE_TIMEOUT_MS } from './data-source';
export type { EntityDefinition, MigrationDefinition, ServiceDataSourceOptions } from './data-source';
export { assertSchemaName, entityTable, quoteIdent, schemaOf, schemaTable } from './schema';
export * from './entities';
export {
  kitMigrations,
  ConnectorKitInitial1795478400000,
  ObservationsAndAccountKeys1795900000000,
  RateLimits1796000000000,
  IdMapClaims1796100000000,
  ParkedCommands1796300000000,
} from './migrations';
export { AdvisoryLocks } from './advisory-locks';
export type { LockedWork, LockResult } from './advisory-locks';
export { IdMap } from './id-map';
export type {
  CreatedRecord,
  EnsureManySteps,
  EnsureOutcome,
  EnsureResult,
  EnsureSteps,
  IdMapEntry,
  IdMapKey,
  IdMapRecordInput,
  IdMapScope,
  IdMapSize,
} from './id-map';
export { Cursors } from './cursors';
export { Observations } from './observations';
export type { Observation } from './observations';
export { ParkedCommands } from './parked-commands';
export type { ParkCommandInput, ParkedCommand, RecordedKeys, WaitingCommands } from './parked-commands';
export { Inbox } from './inbox';
export type { InboxResult } from './inbox';
export { SyncRuns, SyncRunLeaseLostError, EXPIRED_LEASE_ERROR } from './sync-runs';
export type {
  FinishedRunState,
  ListRunsQuery,
  ProgressUpdate,
  RecordCounts,
  RecordOutcomeInput,
  StartRunInput,
  StartRunResult,
  StreamFreshness,
  SyncRunRecordView,
  SyncRunView,
} from './sync-runs';
export { PostgresRateLimitStore, type PostgresRateLimitStoreOptions } from './rate-limit-store';
export { Connections, ConnectionNotFoundError, AccountInUseError } from './connections';
export type {
  ConnectionChanges,
  ConnectionSettings,
  ConnectionView,
  CredentialCipher,
  NewConnection,
} from './connections';
