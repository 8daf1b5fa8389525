import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from './logger';

export interface ConnectionOptions {
  servers: string | string[];
  /**
   * Shows in the server's connection list; also the default queue group of `serve()` and the inbox prefix
   * (`inboxPrefix(name)`), so letters, digits, `-` and `_` only.
   */
  name: string;
  user?: string;
  pass?: string;
  token?: string;
}

const CONNECTION_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Where every reply to this connection arrives: request replies, JetStream API answers, publish acks and the
 * messages a pull consumer fetches (`_INBOX_mapping.<nuid>...`). One prefix per service lets NATS permissions allow
 * each service its own inbox only, instead of `_INBOX.>` where it could read the replies meant for another.
 */
export function inboxPrefix(name: string): string {
  if (!CONNECTION_NAME.test(name)) {
    throw new Error(`connection name '${name}' must hold only letters, digits, '-' and '_': it names the inbox prefix`);
  }
  return `_INBOX_${name}`;
}

export async function connectNats(options: ConnectionOptions, logger: Logger): Promise<NatsConnection> {
  const nc = await connect({
    servers: options.servers,
    name: options.name,
    inboxPrefix: inboxPrefix(options.name),
    user: options.user,
    pass: options.pass,
    token: options.token,
    // A service outlives a NATS restart: keep reconnecting instead of dying after the default 10 attempts.
    maxReconnectAttempts: -1,
    // Otherwise every request, JetStream publish included, captures a stack trace up front in case it fails: about 2 %
    // of a connector's CPU in the bench. Failed requests and publishes are wrapped in errors that name the subject.
    noAsyncTraces: true,
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
