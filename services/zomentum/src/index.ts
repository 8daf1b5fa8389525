export { AppModule } from './app.module';
export { zomentum } from './connector';
