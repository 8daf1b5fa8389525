export { BaseConfigSchema, ConfigError, loadConfig, type BaseConfig } from './config';
export { HealthController } from './health.controller';
export { defaultSchemaName, JunctionModule, openDataSourceOf, serviceDefinitionOf } from './junction.module';
export { ServiceLifecycle } from './lifecycle';
export { PinoNestLogger } from './nest-logger';
export { listeningPort, migrateService, runService, startService, type RunServiceOptions } from './run-service';
export type { ServiceDefinition } from './service-definition';
export { CONFIG, LOGGER, SERVICE_DEFINITION } from './tokens';
