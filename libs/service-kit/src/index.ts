export { BaseConfigSchema, ConfigError, loadConfig, type BaseConfig } from './config';
export { HealthController } from './health.controller';
export { defaultSchemaName, JunctionModule } from './junction.module';
export { ServiceLifecycle } from './lifecycle';
export { PinoNestLogger } from './nest-logger';
export { listeningPort, runService, type RunServiceOptions } from './run-service';
export type { ServiceDefinition } from './service-definition';
export { CONFIG, LOGGER, SERVICE_DEFINITION } from './tokens';
