// Telemetry must be imported first.
import { telemetry } from './telemetry';
import { runService } from '@junction/service-kit';
import { AppModule } from './app.module';

runService(AppModule, { telemetry }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
