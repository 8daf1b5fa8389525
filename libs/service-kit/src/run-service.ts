import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import type { BaseConfig } from './config';
import { ServiceLifecycle } from './lifecycle';
import { PinoNestLogger } from './nest-logger';
import { CONFIG, LOGGER } from './tokens';

export interface RunServiceOptions {
  /** Flushed last at shutdown (the handle startTelemetry returned). */
  telemetry?: { shutdown(): Promise<void> };
  /** Register SIGTERM/SIGINT handlers; off when several services share one process and one handler. */
  handleSignals?: boolean;
}

/** Creates the Nest app, listens on HTTP_PORT and shuts down gracefully on SIGTERM. */
export async function runService(appModule: unknown, options: RunServiceOptions = {}): Promise<INestApplication> {
  const app = await NestFactory.create(appModule as never, { bufferLogs: true });
  app.useLogger(new PinoNestLogger(app.get<Logger>(LOGGER)));
  if (options.handleSignals !== false) app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const telemetry = options.telemetry;
  if (telemetry) app.get(ServiceLifecycle).onFinalShutdown(() => telemetry.shutdown());
  const config = app.get<BaseConfig>(CONFIG);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}

/** The port the app listens on (useful with HTTP_PORT=0 in tests). */
export function listeningPort(app: INestApplication): number {
  const address = app.getHttpServer().address();
  return typeof address === 'object' && address ? address.port : Number(address);
}
