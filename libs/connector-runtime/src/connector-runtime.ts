import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  AdvisoryLocks,
  Connections,
  Cursors,
  IdMap,
  Inbox,
  Observations,
  ParkedCommands,
  PostgresRateLimitStore,
  SyncRuns,
  type CredentialCipher,
} from '@junction/connector-kit';
import { parseEnvelope, type Envelope, type SyncRequested } from '@junction/contracts';
import type { Bus, ConsumerHandle, RequestServer } from '@junction/messaging';
import type { Logger } from '@junction/telemetry';
import { installRateLimitStore } from '@junction/vendor-http';
import type { DataSource } from 'typeorm';
import { CommandProcessor, parseCommand } from './command-processor';
import { ConnectionStore } from './connection-store';
import { ControlServer } from './control-server';
import type { ConnectorDefinition } from './definition';
import { DependencyWaits } from './dependency-waits';
import { EventPublisher } from './event-publisher';
import { observeConnectorState } from './runtime-metrics';
import { SyncRequests } from './sync-requests';
import { SyncRunner } from './sync-runner';

export interface ConnectorRuntimeOptions {
  /** Opened by openServiceDataSource, so the kit's tables exist in the service's schema. */
  dataSource: DataSource;
  bus: Bus;
  logger: Logger;
  /** Seals and opens connection credentials (a SecretBox). */
  cipher: CredentialCipher;
  /** Sync run lease; a crashed worker's run blocks its stream at most this long. Default 60 s. */
  leaseMs?: number;
  /** Transient read failures a sync run resumes from before it fails. Default 3. */
  readRetries?: number;
  /** Pause before the first resume, doubled for each further one. Default 5 s. */
  readRetryDelayMs?: number;
  /** Deliveries of a failing command before it is dead-lettered. Default 8. */
  commandMaxDeliver?: number;
  /** Commands executed at once by this process (a batch counts as one). Default 1. */
  commandConcurrency?: number;
  /** How long a batch of commands (see `batchCommands`) waits for one more to join before it runs. Default 100 ms. */
  commandBatchLingerMs?: number;
  /** How long a command may wait for a record another command writes before it is dead-lettered. Default 24 h. */
  dependencyWaitMs?: number;
  /** How often waiting commands are checked for release or expiry besides the release at each ID map write. Default 10 s. */
  dependencySweepMs?: number;
  /** How long in-flight commands may run on at stop before they are handed back. Default: the bus's. */
  shutdownGraceMs?: number;
}


/**
 * Everything a connector service does besides talking to its vendor: sync requests become sync runs, commands are
 * executed once, connections are managed over request/reply. Start it once the DataSource and Bus are open.
 */
export class ConnectorRuntime<Settings = unknown, Credentials = unknown> {
  private readonly store: ConnectionStore<Settings, Credentials>;
  private readonly syncRequests: SyncRequests<Settings, Credentials>;
  private readonly commands: CommandProcessor<Settings, Credentials>;
  private readonly waits: DependencyWaits;
  private readonly control: ControlServer<Settings, Credentials>;
  private readonly stopping = new AbortController();
  private readonly bus: Bus;
  private readonly observe: () => () => void;
  private stopObserving?: () => void;
  private readonly rateLimits: PostgresRateLimitStore;
  private uninstallRateLimits?: () => void;
  private readonly commandConsumer: { maxDeliver: number; concurrency: number };
  private readonly shutdownGraceMs?: number;
  private consumers: ConsumerHandle[] = [];
  private servers: RequestServer[] = [];
  private stopped?: Promise<void>;

  constructor(
    readonly definition: ConnectorDefinition<Settings, Credentials>,
    options: ConnectorRuntimeOptions,
  ) {
    const { dataSource, bus } = options;
    const commandMaxDeliver = options.commandMaxDeliver ?? 8;
    const commandConcurrency = options.commandConcurrency ?? 1;
    this.bus = bus;
    const logger = options.logger.child({ connector: definition.name });
    const idMap = new IdMap(dataSource);
    const cursors = new Cursors(dataSource);
    const syncRuns = new SyncRuns(dataSource);
    const events = new EventPublisher(bus, definition.name);
    // Unique per runtime instance, so two processes on one host never share a lease.
    const lease = {
      owner: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      leaseMs: options.leaseMs ?? 60_000,
    };

    const connections = new Connections(dataSource, options.cipher);
    const observations = new Observations(dataSource);
    const locks = new AdvisoryLocks(dataSource);
    this.store = new ConnectionStore(definition, connections, idMap, cursors, observations, locks);
    const runner = new SyncRunner(definition, this.store, syncRuns, cursors, observations, idMap, events, logger, {
      ...lease,
      readRetries: options.readRetries ?? 3,
      readRetryDelayMs: options.readRetryDelayMs ?? 5_000,
    });
    this.syncRequests = new SyncRequests(definition, this.store, syncRuns, runner, events, logger, lease);
    this.waits = new DependencyWaits(
      definition.name,
      new ParkedCommands(dataSource),
      bus,
      logger,
      {
        waitsFor: new Set(definition.waitsFor),
        waitMs: options.dependencyWaitMs ?? 24 * 3_600_000,
        sweepMs: options.dependencySweepMs ?? 10_000,
      },
      (command, failure) => this.commands.giveUpWaiting(command, failure),
    );
    this.commands = new CommandProcessor(
      definition,
      this.store,
      new Inbox(dataSource),
      idMap,
      events,
      logger,
      commandMaxDeliver,
      this.stopping.signal,
      this.waits,
      { concurrency: commandConcurrency, batchLingerMs: options.commandBatchLingerMs ?? 100 },
    );
    // A batch can only gather the commands delivered at once: enough deliveries in flight to fill the largest one.
    const batchSizes = Object.values(definition.batchCommands ?? {}).map((batch) => batch.maxBatch);
    this.commandConsumer = { maxDeliver: commandMaxDeliver, concurrency: Math.max(commandConcurrency, ...batchSizes) };
    this.shutdownGraceMs = options.shutdownGraceMs;
    this.control = new ControlServer(definition, this.store, logger, this.stopping.signal);
    this.observe = () => observeConnectorState(definition.name, this.store, syncRuns, idMap, logger);
    this.rateLimits = new PostgresRateLimitStore(dataSource);
  }

  /** Durable consumer names, shared by the service's replicas. */
  get durables(): { sync: string; commands: string } {
    return { sync: `${this.definition.name}-sync`, commands: `${this.definition.name}-commands` };
  }

  /** Sync runs this process is carrying out now. */
  get activeRuns(): number {
    return this.syncRequests.activeRuns;
  }

  async start(): Promise<void> {
    const { bus } = this;
    // Every client of the vendor in this process (connection tests included) paces on the schedule all replicas share.
    this.uninstallRateLimits = installRateLimitStore(this.definition.name, this.rateLimits);
    this.servers = this.control.serve(bus);
    this.consumers = [
      // Every connector's durable reads 'sync.requested' (the subject names no connector) and skips the others'.
      await bus.consume<Envelope<SyncRequested>>({
        stream: 'SYNC',
        durable: this.durables.sync,
        filterSubject: 'sync.requested',
        parse: (raw, subject) => parseEnvelope(subject, raw).envelope as Envelope<SyncRequested>,
        handle: (envelope) => this.syncRequests.handle(envelope),
      }),
      await bus.consume({
        stream: 'COMMANDS',
        durable: this.durables.commands,
        filterSubject: `cmd.${this.definition.name}.>`,
        parse: parseCommand,
        handle: (envelope, ctx) => this.commands.handle(envelope, ctx),
        ...this.commandConsumer,
      }),
    ];
    this.stopObserving = this.observe();
    this.waits.start();
  }

  /**
   * Stops taking requests and commands, then stops sync runs at their next page boundary. Runs stay 'running'
   * until their lease expires (as after a crash); the next sync request resumes them from their saved cursor.
   */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopObserving?.();
      const graceMs = this.shutdownGraceMs;
      await Promise.all([
        ...this.consumers.map((consumer) => consumer.stop({ graceMs })),
        ...this.servers.map((server) => server.stop()),
      ]);
      this.stopping.abort();
      await this.waits.stop();
      await this.syncRequests.stop();
      this.uninstallRateLimits?.();
      await this.rateLimits.close();
    })();
    return this.stopped;
  }
}

