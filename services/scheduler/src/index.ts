export { AppModule, schedulerDefinition } from './app.module';
