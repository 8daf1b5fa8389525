import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { INestApplication, Type } from '@nestjs/common';
import { startSandbox, type RunningSandbox, type SandboxApp } from '@junction/sandbox-kit';
import { SecretBox } from '@junction/secrets';
import { runService } from '@junction/service-kit';
import { DATABASE_URL, deleteNamespaceStreams, loadService, NATS_URL, query, randomName, waitFor } from './support';

const ROOT = join(__dirname, '..', '..', '..');
const CONTROL_API_TOKEN = 'e2e-control-token-0123456789';

export type ServiceName = 'mapping' | 'scheduler' | 'zomentum' | 'repairshopr' | 'shoprenter' | 'minicrm' | 'zzap' | 'retailcrm';

export interface StackOptions<S extends string> {
  /** Started in this order; the control API is the mapping service, which every stack runs first. */
  services: readonly ServiceName[];
  /** Vendor simulators by name, started before the services. */
  sandboxes: Record<S, SandboxApp>;
  /**
   * Services run as child processes (`node services/<name>/dist/main.js`, as deployed), so a test can SIGKILL one
   * mid-run and start it again; the others run in this process.
   */
  processes?: readonly ServiceName[];
  /** Extra environment for every service, e.g. a shorter sync lease for crash tests. */
  env?: Record<string, string>;
}

export interface RunSummary {
  runId: string;
  connector: string;
  connectionId: string;
  stream: string;
  state: string;
  progress: { done: number; total?: number | null };
  counts: { created: number; updated: number; skipped: number; failed: number };
  error: { code: string; message: string } | null;
  waiting: Array<{ eventId: string; subject: string; reason: string }>;
  failures: Array<{ connector: string; entityType: string; sourceKey: string; error: { code: string; message: string }; commandId: string }>;
}

export interface Stack<S extends string> {
  sandboxes: Record<S, RunningSandbox>;
  namespace: string;
  /** Calls the control API with its bearer token; a non-2xx answer throws with its body. */
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** Like `api`, but returns the status and body of any answer. */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  runs(integrationId: string): Promise<RunSummary[]>;
  /** Resolves once every named stream of the integration has finished this many runs. */
  finishedRuns(integrationId: string, streams: string[], count: number, timeoutMs?: number): Promise<RunSummary[]>;
  /** SIGKILLs a service started as a process: no drain, no goodbye, as when a node dies. */
  kill(service: ServiceName): Promise<void>;
  /** Starts a killed process service again, with the same schema and namespace. */
  restart(service: ServiceName): Promise<void>;
  close(): Promise<void>;
}

interface ServiceProcess {
  child?: ChildProcess;
  port: number;
}

/**
 * Starts the sandboxes, then the services on real Postgres and NATS in a random namespace with a schema each,
 * all removed again by close(). Services log to reports/e2e-logs/<namespace>-<service>.log.
 */
export async function startStack<S extends string>(options: StackOptions<S>): Promise<Stack<S>> {
  const namespace = randomName('t');
  const services = options.services.includes('mapping') ? options.services : (['mapping', ...options.services] as const);
  const schemas = Object.fromEntries(services.map((name) => [name, randomName(`e2e_${name}_`)])) as Record<ServiceName, string>;
  const sandboxes = {} as Record<S, RunningSandbox>;
  for (const [name, app] of Object.entries(options.sandboxes) as Array<[S, SandboxApp]>) {
    sandboxes[name] = await startSandbox(app);
  }
  const logDir = join(ROOT, 'reports', 'e2e-logs');
  mkdirSync(logDir, { recursive: true });
  const secretKey = SecretBox.generateKey();
  const environment = (name: ServiceName, port: number): Record<string, string> => {
    const prefix = name.toUpperCase();
    return {
      [`${prefix}_DATABASE_URL`]: DATABASE_URL,
      [`${prefix}_NATS_URL`]: NATS_URL,
      [`${prefix}_DB_SCHEMA`]: schemas[name],
      [`${prefix}_JUNCTION_NAMESPACE`]: namespace,
      [`${prefix}_HTTP_HOST`]: '127.0.0.1',
      [`${prefix}_HTTP_PORT`]: String(port),
      [`${prefix}_JUNCTION_SECRET_KEY`]: secretKey,
      ...Object.fromEntries(Object.entries(options.env ?? {}).map(([key, value]) => [`${prefix}_${key}`, value])),
    };
  };
  process.env.MAPPING_CONTROL_API_TOKEN = CONTROL_API_TOKEN;

  const apps: INestApplication[] = [];
  const processes = new Map<ServiceName, ServiceProcess>();
  let controlUrl = '';

  const startProcess = async (name: ServiceName, entry: ServiceProcess) => {
    const log = createWriteStream(join(logDir, `${namespace}-${name}.log`), { flags: 'a' });
    const child = spawn(process.execPath, [join(ROOT, 'services', name, 'dist', 'main.js')], {
      env: { ...process.env, ...environment(name, entry.port), [`${name.toUpperCase()}_LOG_LEVEL`]: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    entry.child = child;
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${log.path}`);
      const ready = await fetch(`http://127.0.0.1:${entry.port}/health/ready`).catch(() => undefined);
      return ready?.ok;
    }, 30_000);
  };

  for (const name of services) {
    if (options.processes?.includes(name)) {
      const entry: ServiceProcess = { port: await freePort() };
      processes.set(name, entry);
      await startProcess(name, entry);
      if (name === 'mapping') controlUrl = `http://127.0.0.1:${entry.port}`;
      continue;
    }
    Object.assign(process.env, environment(name, 0), { [`${name.toUpperCase()}_LOG_LEVEL`]: 'silent' });
    const { AppModule } = loadService<{ AppModule: Type }>(name);
    const app = await runService(AppModule, { handleSignals: false });
    apps.push(app);
    if (name === 'mapping') controlUrl = `http://127.0.0.1:${app.getHttpServer().address().port}`;
  }

  async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${controlUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${CONTROL_API_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, body: answer } = await call<T>(method, path, body);
    if (status >= 300) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(answer)}`);
    return answer;
  }

  async function runs(integrationId: string): Promise<RunSummary[]> {
    return (await api<{ runs: RunSummary[] }>('GET', `/v1/integrations/${integrationId}/runs?limit=200`)).runs;
  }

  return {
    sandboxes,
    namespace,
    api,
    call,
    runs,
    async finishedRuns(integrationId, streams, count, timeoutMs = 60_000) {
      return waitFor(async () => {
        const current = await runs(integrationId);
        const finished = (stream: string) => current.filter((run) => run.stream === stream && run.state !== 'running');
        return streams.every((stream) => finished(stream).length >= count) ? current : undefined;
      }, timeoutMs);
    },
    async kill(service) {
      const child = processes.get(service)?.child;
      if (!child) throw new Error(`${service} does not run as a process in this stack`);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async restart(service) {
      const entry = processes.get(service);
      if (!entry) throw new Error(`${service} does not run as a process in this stack`);
      await startProcess(service, entry);
    },
    async close() {
      for (const entry of processes.values()) {
        if (entry.child && entry.child.exitCode === null) {
          const exited = new Promise((resolve) => entry.child?.once('exit', resolve));
          entry.child.kill('SIGTERM');
          await exited;
        }
      }
      for (const app of apps.reverse()) await app.close();
      for (const schema of Object.values(schemas)) await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await deleteNamespaceStreams(namespace);
      for (const sandbox of Object.values(sandboxes) as RunningSandbox[]) await sandbox.close();
    },
  };
}

/** A port nothing listens on right now, for a service process to take. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
