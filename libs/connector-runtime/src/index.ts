export {
  defineConnector,
  type BatchCommandHandler,
  type BatchCommandHandlers,
  type BatchedCommand,
  type CommandContext,
  type CommandData,
  type CommandHandler,
  type CommandHandlers,
  type CommandResult,
  type ConnectionInfo,
  type ConnectorContext,
  type ConnectorDefinition,
  type EventData,
  type FailedRecord,
  type PulledRecord,
  type PullStream,
  type StreamPage,
} from './definition';
export { ConnectionIdMap, type EnsuredRecord, type NeededRecord, type RecordRef } from './connection-id-map';
export { ConnectionObservations } from './connection-observations';
export { ConnectorRuntime, type ConnectorRuntimeOptions } from './connector-runtime';
export { MissingDependencyError, type AwaitedRecord } from './failures';
export { ConnectorModule } from './nest/connector.module';
export { ConnectorConfigSchema, connectorServiceDefinition, type ConnectorConfig } from './nest/service-definition';
export {
  changedFields,
  classifyChanges,
  detectChanges,
  fingerprint,
  observeCreated,
  stableJson,
  updateChanged,
  type DetectedChanges,
  type KnownRecords,
  type ReadRecord,
  type SyncedEntity,
  type WrittenFields,
} from './record-changes';
