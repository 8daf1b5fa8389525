import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxControl } from './control-client';
import type { SandboxApp } from './sandbox';

export interface StartOptions {
  /** 0 (the default) picks a free port: what tests use. */
  port?: number;
  /** 127.0.0.1 by default: the control API has no auth, so the sandbox is not reachable from elsewhere. */
  host?: string;
}

export interface RunningSandbox {
  /** e.g. `http://127.0.0.1:41237`, without a trailing slash. */
  url: string;
  port: number;
  /** Client of this sandbox's `/__sandbox` control API. */
  control: SandboxControl;
  /** Stops listening and drops open connections (keep-alive included). */
  close(): Promise<void>;
}

export async function startSandbox(app: SandboxApp, options: StartOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((incoming, outgoing) => {
    // A request the runtime could not read (client gone mid-body) has no one left to answer.
    app.handle(incoming, outgoing).catch(() => outgoing.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    control: new SandboxControl(url),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
