export { AppModule } from './app.module';
export { minicrm } from './connector';
