import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@junction/e2e/test/stack';
import { waitForPort } from './ports';

const BINARIES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

/**
 * A nats-server with JetStream of the run's own, on a free port with its own store directory: restarting it (the
 * chaos run does, once) disturbs no other test on this machine. The store survives a restart, as on a real server.
 */
export class OwnNatsServer {
  private child?: ChildProcess;

  private constructor(
    private readonly binary: string,
    readonly port: number,
    private readonly storeDir: string,
    private readonly logFile: string,
  ) {}

  static async start(dir: string): Promise<OwnNatsServer> {
    // NATS_SERVER_BIN: what tools/infra.mjs found or installed.
    const binary = process.env.NATS_SERVER_BIN ?? BINARIES.find((candidate) => existsSync(candidate));
    if (!binary) throw new Error('nats-server not found: apt-get install nats-server, or set NATS_SERVER_BIN');
    const storeDir = join(dir, 'nats');
    mkdirSync(storeDir, { recursive: true });
    const server = new OwnNatsServer(binary, await freePort(), storeDir, join(dir, 'nats-server.log'));
    await server.launch();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Stops the server as an operator's restart does (SIGTERM: clients see the connection drop) and starts it again. */
  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  private async launch(): Promise<void> {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(this.binary, ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    await waitForPort(this.port, 'nats-server', () => child.exitCode !== null);
  }
}
