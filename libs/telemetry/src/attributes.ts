/**
 * Span attribute names Junction adds to its spans (the messaging and HTTP ones follow OpenTelemetry's conventions).
 * Values are ids only: never credentials, names, e-mails or phone numbers.
 */
export const JUNCTION_ATTRIBUTES = {
  integration: 'junction.integration.id',
  connector: 'junction.connector',
  connection: 'junction.connection.id',
  stream: 'junction.stream',
  entityType: 'junction.entity.type',
  runId: 'junction.sync.run.id',
  /** The record's id in the source vendor, as its pull stream keys it. */
  recordKey: 'junction.record.key',
  /** `<connector>:<connection>:<entity>:<source id>`: the source record a command writes for. */
  sourceKey: 'junction.source.key',
  /** The record's id in the target vendor. */
  externalId: 'junction.external.id',
  outcome: 'junction.outcome',
} as const;
