export { CONSOLE_ASSETS_DIR } from './assets';
export { CONNECTION_FORMS, CONNECTOR_NAMES, connectionRequest, visibleFields } from './connection-forms';
export type { ConnectionField, ConnectionRequest } from './connection-forms';
export { deadLettersOf, integrationOf, type DeadLetter } from './dead-letters';
export {
  choicesOf,
  defaultSettings,
  integrationBodySchema,
  integrationKinds,
  scheduleStreams,
  type IntegrationKindSchema,
  type JsonSchema,
  type OpenApiDocument,
} from './integration-schema';
export { progressFraction, progressText, type Progress } from './progress';
export { consoleSecurityHeaders, contentSecurityPolicy } from './security-headers';
export * from './status-map';
export { traceLink } from './trace-link';
export type * from './api-types';
