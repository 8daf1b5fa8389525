// Laptop mode: every built service in one Node process, each on its own HTTP port and Postgres schema.
// Telemetry starts before any service code loads so http and pg are instrumented.
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { startTelemetry } = require('@junction/telemetry');

const telemetry = startTelemetry({ serviceName: 'junction' });
const { runService } = require('@junction/service-kit');

const servicesDir = join(__dirname, '..', 'services');
// The control API (mapping) takes the first port so its URL is stable.
const names = readdirSync(servicesDir)
  .filter((name) => existsSync(join(servicesDir, name, 'dist', 'index.js')))
  .sort((a, b) => (a === 'mapping' ? -1 : b === 'mapping' ? 1 : a.localeCompare(b)));

async function main() {
  const basePort = Number(process.env.JUNCTION_BASE_PORT ?? 8080);
  const apps = [];
  for (const [index, name] of names.entries()) {
    const portKey = `${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_HTTP_PORT`;
    process.env[portKey] ??= String(basePort + index);
    const { AppModule } = require(join(servicesDir, name, 'dist', 'index.js'));
    apps.push(await runService(AppModule, { handleSignals: false }));
    console.log(`${name} listening on http://127.0.0.1:${process.env[portKey]}`);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const app of apps.reverse()) await app.close();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
