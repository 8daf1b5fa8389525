import { connect } from 'node:net';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves once something listens on the port; throws when `died()` says the process is gone, or after 20 s. */
export async function waitForPort(port: number, what: string, died: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await portOpen(port))) {
    if (died()) throw new Error(`${what} exited before listening on port ${port}`);
    if (Date.now() > deadline) throw new Error(`${what} did not listen on port ${port} within 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
