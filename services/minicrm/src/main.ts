import { startTelemetry } from '@junction/telemetry';

async function main(): Promise<void> {
  // Telemetry starts before Nest, http and pg are loaded, or they would not be instrumented.
  const telemetry = startTelemetry({ serviceName: 'minicrm' });
  const { runService } = await import('@junction/service-kit');
  const { AppModule } = await import('./app.module');
  await runService(AppModule, { telemetry });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
