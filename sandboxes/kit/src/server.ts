import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SandboxControl } from './control-client';
import { openFrontDoor } from './front-door';
import type { SandboxApp } from './sandbox';

export interface StartOptions {
  /** 0 (the default) picks a free port: what tests use. */
  port?: number;
  /** 127.0.0.1 by default: the control API has no auth, so the sandbox is not reachable from elsewhere. */
  host?: string;
  /**
   * Accept connections in a thread of their own, which stamps each request's arrival (`openFrontDoor`): what a
   * sandbox running as a process of its own does (tools/sandbox.mjs).
   */
  frontDoor?: boolean;
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
  const { port, close } = options.frontDoor ? await openFrontDoor(app, host, options.port ?? 0) : await listen(app, host, options.port ?? 0);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return { url, port, control: new SandboxControl(url), close };
}

/** Serves `app` from this thread's event loop. */
async function listen(app: SandboxApp, host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((incoming, outgoing) => {
    // A request the runtime could not read (client gone mid-body) has no one left to answer.
    app.handle(incoming, outgoing).catch(() => outgoing.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
