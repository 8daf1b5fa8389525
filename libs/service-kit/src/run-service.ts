import type { INestApplication } from '@nestjs/common';
import { quoteIdent, schemaOf } from '@junction/connector-kit';
import { NestFactory, type NestApplicationContext } from '@nestjs/core';
import type { Logger } from 'pino';
import { BaseConfigSchema, loadConfig, type BaseConfig } from './config';
import { openDataSourceOf, serviceDefinitionOf } from './junction.module';
import { ServiceLifecycle } from './lifecycle';
import { PinoNestLogger } from './nest-logger';
import { CONFIG, LOGGER } from './tokens';

export interface RunServiceOptions {
  /** Flushed last at shutdown (the handle startTelemetry returned). */
  telemetry?: { shutdown(): Promise<void> };
  /** Shut down gracefully and exit on SIGTERM/SIGINT; off when several services share one process and one handler. */
  handleSignals?: boolean;
}

/** Creates the Nest app, listens on HTTP_PORT and shuts down gracefully on SIGTERM. */
export async function runService(appModule: unknown, options: RunServiceOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(appModule as never, { bufferLogs: true });
  const logger = app.get<Logger>(LOGGER);
  app.useLogger(new PinoNestLogger(logger));
  if (options.handleSignals !== false) exitOnSignals(app, logger);
  const telemetry = options.telemetry;
  if (telemetry) app.get(ServiceLifecycle).onFinalShutdown(() => telemetry.shutdown());
  const config = app.get<BaseConfig>(CONFIG);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}

/**
 * The first SIGTERM or SIGINT closes the app (every shutdown hook: drain NATS, close Postgres, flush telemetry), then
 * the process exits 0, or 1 when a hook failed; further signals meanwhile change nothing. Nest's own shutdown hooks
 * would re-raise the signal instead, so even a clean stop would end as "killed by SIGTERM" (status 143), which
 * supervisors cannot tell from a crash.
 */
function exitOnSignals(app: INestApplication, logger: Logger): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    // Nest's implementation passes the signal on to the shutdown hooks (which log it); its interface omits the parameter.
    (app as unknown as NestApplicationContext).close(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err, signal }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, close);
}

/**
 * Applies the service's migrations to its schema and closes the connection: what a migration Job runs before a
 * rollout (services also migrate at start, so the Job is optional). Needs only DATABASE_URL, not NATS.
 */
export async function migrateService(appModule: unknown): Promise<string[]> {
  const definition = serviceDefinitionOf(appModule);
  // The base settings only: a migration needs the database, not the service's secrets or NATS.
  const config = loadConfig(definition.name, BaseConfigSchema);
  const dataSource = await openDataSourceOf(definition, config);
  try {
    const rows: Array<{ name: string }> = await dataSource.query(
      `SELECT name FROM ${quoteIdent(schemaOf(dataSource))}.junction_migrations ORDER BY id`,
    );
    return rows.map((row) => row.name);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * A service's entry point: `node dist/main.js` runs the service; `node dist/main.js migrate` applies its migrations
 * and exits (the Kubernetes migration Job).
 */
export async function startService(
  loadModule: () => Promise<{ AppModule: unknown }>,
  options: RunServiceOptions & { argv?: readonly string[] } = {},
): Promise<void> {
  const { AppModule } = await loadModule();
  if ((options.argv ?? process.argv.slice(2))[0] !== 'migrate') {
    await runService(AppModule, options);
    return;
  }
  const applied = await migrateService(AppModule);
  console.log(JSON.stringify({ level: 'info', msg: 'migrations applied', migrations: applied }));
  await options.telemetry?.shutdown();
}

/** The port the app listens on (useful with HTTP_PORT=0 in tests). */
export function listeningPort(app: INestApplication): number {
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : Number(address);
}
