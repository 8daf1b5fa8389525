export { AppModule } from './app.module';
export { repairshopr } from './connector';
