import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { MAX_BODY_BYTES, type RawRequest } from './http/request';
import type { Answer, SandboxApp } from './sandbox';

/** A request the front door read, with its arrival (wall clock) and the id its answer comes back under. */
interface Arrival {
  id: number;
  arrivedAtMs: number;
  raw: RawRequest;
}

type FromFrontDoor = { listening: number } | { failed: string } | { arrival: Arrival };

/**
 * The front door thread: accepts the connections, reads each request whole, stamps its arrival and posts it to the
 * sandbox; writes back each answer. It runs as the source text of this function in a worker, so it may use nothing
 * from outside itself but Node's own modules; its heap stays small, so its event loop keeps time.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function frontDoorThread(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { createServer } = require('node:http') as typeof import('node:http');
  const port = parentPort as import('node:worker_threads').MessagePort;
  const { host, listenPort, maxBodyBytes } = workerData as { host: string; listenPort: number; maxBodyBytes: number };
  const waiting = new Map<number, import('node:http').ServerResponse>();
  let nextId = 0;
  const server = createServer((incoming, outgoing) => {
    const arrivedAtMs = Date.now();
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
    });
    incoming.on('error', () => outgoing.destroy());
    incoming.on('end', () => {
      const id = nextId++;
      waiting.set(id, outgoing);
      const { method, url, headers } = incoming;
      const body = Buffer.concat(chunks);
      const raw = { method, url, headers, remoteAddress: incoming.socket.remoteAddress, body, tooLarge: size > maxBodyBytes };
      port.postMessage({ arrival: { id, arrivedAtMs, raw } });
    });
  });
  port.on('message', (message: { id: number; answer: Answer } | 'close') => {
    if (message === 'close') {
      server.close(() => port.close());
      server.closeAllConnections();
      return;
    }
    const outgoing = waiting.get(message.id);
    waiting.delete(message.id);
    if (!outgoing) return;
    const { answer } = message;
    if ('drop' in answer) {
      outgoing.socket?.destroy();
      return;
    }
    outgoing.writeHead(answer.reply.status, { ...answer.reply.headers, 'content-length': String(Buffer.byteLength(answer.reply.body)) });
    outgoing.end(answer.reply.body);
  });
  server.once('error', (error) => port.postMessage({ failed: error.message }));
  server.listen(listenPort, host, () => {
    const address = server.address();
    port.postMessage({ listening: typeof address === 'object' && address ? address.port : listenPort });
  });
}
/* eslint-enable @typescript-eslint/no-require-imports */

export interface FrontDoor {
  port: number;
  /** Stops listening, drops open connections and ends the thread. */
  close(): Promise<void>;
}

/**
 * Serves `app` through a front door thread: a pause of the sandbox's own event loop (a collection of a heap that holds
 * 100,000 orders) then delays its answers but not the arrivals, which rate limits count, as a vendor's gateway would.
 * In one event loop, the calls that came during a pause were counted when it ended, all at once.
 */
export async function openFrontDoor(app: SandboxApp, host: string, listenPort: number): Promise<FrontDoor> {
  const worker = new Worker(`(${frontDoorThread.toString()})()`, {
    eval: true,
    workerData: { host, listenPort, maxBodyBytes: MAX_BODY_BYTES },
  });
  const listening = new Promise<number>((resolve, reject) => {
    worker.on('message', (message: FromFrontDoor) => {
      if ('listening' in message) resolve(message.listening);
      else if ('failed' in message) reject(new Error(`the ${app.name} sandbox could not listen: ${message.failed}`));
      else answer(message.arrival);
    });
    worker.once('error', reject);
  });
  const answer = ({ id, arrivedAtMs, raw }: Arrival) => {
    app.respond(raw, arrivedAtMs).then(
      (answered) => worker.postMessage({ id, answer: answered }),
      () => worker.postMessage({ id, answer: { drop: true } }),
    );
  };
  let port: number;
  try {
    port = await listening;
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  // A front door that dies leaves a sandbox nobody can reach: say so by ending the process.
  worker.on('error', (error) => {
    throw error;
  });
  return {
    port,
    close: async () => {
      const exited = once(worker, 'exit');
      worker.postMessage('close');
      await exited;
    },
  };
}
