// For the all-in-one launcher, which starts telemetry itself and runs every service's AppModule.
export { AppModule, definition } from './app.module';
export { controlApiDocument } from './control-api';
