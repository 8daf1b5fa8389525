import { startTelemetry } from '@junction/telemetry';

async function main(): Promise<void> {
  // Telemetry starts before Nest, http and pg are loaded, or they would not be instrumented.
  const telemetry = startTelemetry({ serviceName: 'mapping' });
  const { startService } = await import('@junction/service-kit');
  // `node dist/main.js` runs the service; `node dist/main.js migrate` applies its migrations and exits.
  await startService(() => import('./app.module'), { telemetry });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
