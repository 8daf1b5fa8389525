import {
  COMMANDS,
  ConnectorName,
  contractForSubject,
  EVENTS,
  type CommandAction,
  type ConnectionTestResult,
  type Envelope,
  type EventSubject,
  type RecordWritten,
} from '@junction/contracts';
import type { Logger } from '@junction/telemetry';
import type { z } from 'zod';
import type { Observation } from '@junction/connector-kit';
import type { ConnectionIdMap } from './connection-id-map';
import type { ConnectionObservations } from './connection-observations';

/** The connection a stream, command or test works for; credentials travel beside it, never inside. */
export interface ConnectionInfo<Settings> {
  id: string;
  name: string;
  settings: Settings;
}

/** What every piece of connector code is given. */
export interface ConnectorContext<Settings, Credentials> {
  connection: ConnectionInfo<Settings>;
  /** Decrypted and registered with the secret registry, so logs and errors scrub them. */
  credentials: Credentials;
  /** Bound to the connector and connection. */
  logger: Logger;
  /** Aborts when the runtime stops (or a sync run loses its lease): pass it to vendor calls. */
  signal: AbortSignal;
  /**
   * Replaces the connection's stored credentials (a token the vendor rotated) under a lock every replica shares.
   * `update` gets the credentials as stored now, which another replica may already have renewed, and returns what
   * to store; returning `stored` itself stores nothing. Resolves with the credentials stored afterwards.
   */
  updateCredentials(update: (stored: Credentials) => Promise<Credentials>): Promise<Credentials>;
  /** What this connection last observed of vendor records (see ConnectionObservations). */
  observations: ConnectionObservations;
}

export interface CommandContext<Settings, Credentials> extends ConnectorContext<Settings, Credentials> {
  /** The connection's ID map: look up before creating, record right after. */
  idMap: ConnectionIdMap;
}

/** The canonical payload of an event subject, as a producer writes it (defaults may be left out). */
export type EventData<S extends EventSubject = EventSubject> = z.input<(typeof EVENTS)[S]['data']>;

/** The validated payload of a command action. */
export type CommandData<A extends CommandAction> = z.output<(typeof COMMANDS)[A]['data']>;

export interface PulledRecord<Data = EventData> {
  /** The record's id in the vendor; with the change key it makes the event id. */
  key: string;
  /** The event's canonical payload. */
  data: Data;
  /** When the change happened at the vendor (ISO 8601). */
  occurredAt: string;
  /** Which change of the record this is (e.g. a status-history id); absent for the record's creation. */
  changeKey?: string;
  /** The event this record becomes, when not the stream's own (an orders stream also reads status changes). */
  subject?: EventSubject;
}

/** A vendor record the read could not turn into an event; it fails in the run, the run goes on. */
export interface FailedRecord {
  key: string;
  error: string;
}

/** One page of a pull: its events are published, then `cursor` is saved. */
export interface StreamPage<Cursor, Data = EventData> {
  records: PulledRecord<Data>[];
  failed?: FailedRecord[];
  /** Where the next run resumes; taken from the data, saved only once this page's events are durable. */
  cursor: Cursor;
  /** How many records the whole pull will have, when the vendor says. */
  total?: number;
  /**
   * What this page showed of its records (e.g. each order's status), stored with the cursor once the page's events
   * are durable; the next pages and runs read them through `ctx.observations` to tell what changed.
   */
  observations?: Observation[];
}

export interface PullStream<Settings, Credentials, Cursor = unknown> {
  /** What the stream reads (customer, order...): names per-record outcomes in the run. */
  entityType: string;
  /** The event each record becomes, e.g. 'customer.created'. */
  eventSubject: EventSubject;
  /**
   * Pages from `cursor` (undefined: from the start). A transient error (rate limit, vendor down) pauses the run,
   * which then calls read again from the cursor saved last.
   */
  read(ctx: ConnectorContext<Settings, Credentials>, cursor: Cursor | undefined): AsyncIterable<StreamPage<Cursor>>;
}

/** What a command did at the vendor; becomes a `record.written` event. */
export interface CommandResult {
  entityType: string;
  externalId: string;
  outcome: RecordWritten['outcome'];
}

export type CommandHandler<Settings, Credentials, Data> = (
  ctx: CommandContext<Settings, Credentials>,
  data: Data,
  envelope: Envelope<Data>,
) => Promise<CommandResult>;

export type CommandHandlers<Settings, Credentials> = {
  [A in CommandAction]?: CommandHandler<Settings, Credentials, CommandData<A>>;
};

/** One command of a batch. */
export interface BatchedCommand<Data> {
  data: Data;
  envelope: Envelope<Data>;
}

/**
 * Executes many commands of one action for one connection together, where the vendor takes many records in one call
 * (RetailCRM's `/orders/upload`). The runtime gathers the commands that wait at the same time, at most `maxBatch`,
 * never two of one record (`sourceKey`); a command that arrives alone goes to the action's single handler. Each
 * command keeps its own delivery, inbox entry, outcome and dead letter.
 */
export interface BatchCommandHandler<Settings, Credentials, Data> {
  /** The most commands one batch holds (the vendor's batch size). */
  maxBatch: number;
  /**
   * One outcome per command, in order: its result, or the error that fails that command alone. A throw fails every
   * command of the batch with that error (each is retried or given up on its own).
   */
  handle(ctx: CommandContext<Settings, Credentials>, commands: BatchedCommand<Data>[]): Promise<Array<PromiseSettledResult<CommandResult>>>;
}

export type BatchCommandHandlers<Settings, Credentials> = {
  [A in CommandAction]?: BatchCommandHandler<Settings, Credentials, CommandData<A>>;
};

export interface ConnectorDefinition<Settings = unknown, Credentials = unknown> {
  name: ConnectorName;
  /** Non-secret connection settings (URL, subdomain, store...). */
  settingsSchema: z.ZodType<Settings>;
  /** The secrets a connection needs; stored sealed, never returned. */
  credentialsSchema: z.ZodType<Credentials>;
  /**
   * The vendor account a connection reaches (a MiniCRM system id, a ZZap login) when the connector allows only one
   * connection per account: a second one is refused, naming the first.
   */
  accountOf?(settings: Settings, credentials: Credentials): string;
  /** Checks the credentials against the vendor; a thrown error is reported as a failed test. */
  testConnection(ctx: ConnectorContext<Settings, Credentials>): Promise<ConnectionTestResult>;
  streams: Record<string, PullStream<Settings, Credentials>>;
  commands: CommandHandlers<Settings, Credentials>;
  /** Actions (among `commands`) whose waiting commands are executed together; see BatchCommandHandler. */
  batchCommands?: BatchCommandHandlers<Settings, Credentials>;
  /**
   * The entity types whose records its commands may need before they can run (`ctx.idMap.require`). Only a write of
   * one of these looks for commands waiting for it; `require` of another type is refused.
   */
  waitsFor?: readonly string[];
}

// Stream names become cursor keys and durable-consumer-friendly log fields.
const STREAM_NAME = /^[a-z][a-z0-9_]*$/;

/** Checks a connector's declarations once, at import time, so a typo fails the service's start, not a sync. */
export function defineConnector<Settings, Credentials>(
  definition: ConnectorDefinition<Settings, Credentials>,
): ConnectorDefinition<Settings, Credentials> {
  const name = ConnectorName.parse(definition.name);
  for (const [streamName, stream] of Object.entries(definition.streams)) {
    if (!STREAM_NAME.test(streamName)) {
      throw new Error(`${name}: stream name '${streamName}' must match ${STREAM_NAME}`);
    }
    if (contractForSubject(stream.eventSubject)?.kind !== 'event') {
      throw new Error(
        `${name}: stream '${streamName}' publishes '${stream.eventSubject}', which is not an event contract`,
      );
    }
  }
  for (const action of Object.keys(definition.commands)) {
    if (!contractForSubject(`cmd.${name}.${action}`)) {
      throw new Error(`${name}: no command contract '${action}' is addressed to ${name}`);
    }
  }
  for (const [action, batch] of Object.entries(definition.batchCommands ?? {})) {
    if (!(action in definition.commands)) throw new Error(`${name}: batch command '${action}' has no single handler in commands`);
    if (!Number.isInteger(batch.maxBatch) || batch.maxBatch < 2) {
      throw new Error(`${name}: batch command '${action}' needs a maxBatch of 2 or more, got ${batch.maxBatch}`);
    }
  }
  return definition;
}
