export { AppModule } from './app.module';
export { zzap } from './connector';
