import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from './logger';

export interface ConnectionOptions {
  servers: string | string[];
  /** Shows in the server's connection list; also the default queue group of `serve()`. */
  name: string;
  user?: string;
  pass?: string;
  token?: string;
}

export async function connectNats(options: ConnectionOptions, logger: Logger): Promise<NatsConnection> {
  const nc = await connect({
    servers: options.servers,
    name: options.name,
    user: options.user,
    pass: options.pass,
    token: options.token,
    // A service outlives a NATS restart: keep reconnecting instead of dying after the default 10 attempts.
    maxReconnectAttempts: -1,
  });
  void logConnectionStatus(nc, options.name, logger);
  return nc;
}

async function logConnectionStatus(nc: NatsConnection, name: string, logger: Logger): Promise<void> {
  for await (const status of nc.status()) {
    switch (status.type) {
      case 'disconnect':
        logger.warn({ connection: name, server: status.server }, 'disconnected from NATS');
        break;
      case 'reconnect':
        logger.info({ connection: name, server: status.server }, 'reconnected to NATS');
        break;
      case 'error':
        logger.error({ connection: name, err: status.error }, 'NATS connection error');
        break;
      case 'slowConsumer':
        logger.warn({ connection: name, subject: status.sub.getSubject(), pending: status.pending }, 'slow NATS subscriber');
        break;
    }
  }
}
