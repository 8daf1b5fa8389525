export { AppModule } from './app.module';
export { retailcrm } from './connector';
