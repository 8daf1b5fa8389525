export { AppModule } from './app.module';
export { shoprenter } from './connector';
