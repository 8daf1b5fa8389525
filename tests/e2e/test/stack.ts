import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { INestApplication, Type } from '@nestjs/common';
import { SandboxControl, startSandbox, type RunningSandbox, type SandboxApp } from '@junction/sandbox-kit';
import { SecretBox } from '@junction/secrets';
import { runService } from '@junction/service-kit';
import { DATABASE_URL, deleteNamespaceStreams, loadService, NATS_URL, query, randomName, waitFor } from './support';

const ROOT = join(__dirname, '..', '..', '..');

/** The memory settings the service images run with (the Dockerfile's ENV); flags of this process's NODE_OPTIONS come after them. */
const SERVICE_ENV: Record<string, string> = JSON.parse(readFileSync(join(ROOT, 'deploy', 'service-env.json'), 'utf8'));
const CONTROL_API_TOKEN = 'e2e-control-token-0123456789';

export type ServiceName = 'mapping' | 'scheduler' | 'zomentum' | 'repairshopr' | 'shoprenter' | 'minicrm' | 'zzap' | 'retailcrm';

/** Every service, the control API (mapping) first. */
export const SERVICE_NAMES: readonly ServiceName[] = ['mapping', 'scheduler', 'zomentum', 'repairshopr', 'shoprenter', 'minicrm', 'zzap', 'retailcrm'];

/**
 * A vendor sandbox run as `node tools/sandbox.mjs <vendor>` (its build in sandboxes/<vendor>/dist): a process of its own,
 * as the vendor's API is a server of its own, so this process's pauses never bunch the calls it counts.
 */
export class SandboxProcess {
  constructor(readonly vendor: string) {}
}

export interface StackOptions<S extends string> {
  /** Started in this order; the control API is the mapping service, which every stack runs first. */
  services: readonly ServiceName[];
  /** Vendor simulators by name, started before the services: in this process, or each in its own. */
  sandboxes: Record<S, SandboxApp | SandboxProcess>;
  /**
   * Services run as child processes (`node services/<name>/dist/main.js`, as deployed), so a test can SIGKILL one
   * mid-run and start it again; the others run in this process.
   */
  processes?: readonly ServiceName[];
  /**
   * Every service in one child process, as laptop mode runs them (`tools/all-in-one.cjs`). That process starts every
   * built service, so the stack configures all of them whatever `services` and `processes` say; `kill` and `restart`
   * of any service then stop and start all of them.
   */
  allInOne?: boolean;
  /** Node flags of the service processes, e.g. `--cpu-prof` (which NODE_OPTIONS may not carry). */
  nodeArguments?: readonly string[];
  /** Extra environment for every service, e.g. a shorter sync lease for crash tests. */
  env?: Record<string, string>;
  /** The Postgres and NATS the services use: `DATABASE_URL` and `NATS_URL` (the shared servers) by default. */
  infra?: { databaseUrl: string; natsUrl: string };
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
  failedRecords: Array<{ entityType: string; recordKey: string; error: string }>;
}

export interface Stack<S extends string> {
  sandboxes: Record<S, RunningSandbox>;
  namespace: string;
  /** Calls the control API with its bearer token; a non-2xx answer throws with its body. */
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  /** Like `api`, but returns the status and body of any answer. */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  runs(integrationId: string): Promise<RunSummary[]>;
  /** Where a running service answers HTTP (health endpoints, metrics; the control API for mapping). */
  serviceUrl(service: ServiceName): string;
  /** The id of the OS process that runs a service started as a process (the one process in all-in-one mode). */
  pid(service: ServiceName): number;
  /** The Postgres schema a service owns in this stack. */
  schema(service: ServiceName): string;
  /** The Postgres schemas of every service of the stack. */
  readonly schemas: readonly string[];
  /** Resolves once every named stream of the integration has finished this many runs. */
  finishedRuns(integrationId: string, streams: string[], count: number, timeoutMs?: number): Promise<RunSummary[]>;
  /**
   * Signals a service started as a process and resolves once it has exited, with how. SIGKILL (the default): no
   * drain, no goodbye, as when a node dies; SIGTERM: a graceful stop, as when a pod is deleted.
   */
  kill(service: ServiceName, signal?: NodeJS.Signals): Promise<ProcessExit>;
  /** Where a service started as a process writes its log (every start of it appends). */
  logFile(service: ServiceName): string;
  /** Starts a killed process service again, with the same schema and namespace. */
  restart(service: ServiceName): Promise<void>;
  close(): Promise<void>;
}

/** How a service process ended: its exit code, or the signal that ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface ServiceProcess {
  /** Names its log: a service's name, or `all-in-one`. */
  label: string;
  script: string;
  /** The services it runs and the port of each; it is ready once all of them are. */
  ports: Map<ServiceName, number>;
  /** Environment it starts with, before the stack's settings and this process's own. */
  baseEnv: Record<string, string>;
  child?: ChildProcess;
}

/** Starts `tools/sandbox.mjs` on a free port; ready once it prints where it listens. Its output goes to `logPath`. */
async function startSandboxProcess(vendor: string, logPath: string): Promise<RunningSandbox> {
  const log = openSync(logPath, 'a');
  const child = spawn(process.execPath, [join(ROOT, 'tools', 'sandbox.mjs'), vendor, '--port', '0'], { stdio: ['ignore', log, log] });
  closeSync(log);
  const url = await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`the ${vendor} sandbox exited with ${child.exitCode}; see ${logPath}`);
    return /sandbox listening on (\S+)/.exec(readFileSync(logPath, 'utf8'))?.[1];
  }, 30_000);
  return {
    url,
    port: Number(new URL(url).port),
    control: new SandboxControl(url),
    close: () => stopChild(child),
  };
}

/** SIGTERM to a child that still runs; resolves once it exited. */
async function stopChild(child: ChildProcess): Promise<void> {
  // A child ended by a signal has no exit code: only its signalCode tells it is gone.
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Starts the sandboxes, then the services on real Postgres and NATS in a random namespace with a schema each,
 * all removed again by close(). Service processes log to reports/e2e-logs/<namespace>-<service or all-in-one>.log.
 */
export async function startStack<S extends string>(options: StackOptions<S>): Promise<Stack<S>> {
  const namespace = randomName('t');
  const { databaseUrl, natsUrl } = options.infra ?? { databaseUrl: DATABASE_URL, natsUrl: NATS_URL };
  const services = options.allInOne
    ? SERVICE_NAMES
    : options.services.includes('mapping')
      ? options.services
      : (['mapping', ...options.services] as const);
  const schemas = Object.fromEntries(services.map((name) => [name, randomName(`e2e_${name}_`)])) as Record<ServiceName, string>;
  const logDir = join(ROOT, 'reports', 'e2e-logs');
  mkdirSync(logDir, { recursive: true });
  const sandboxes = {} as Record<S, RunningSandbox>;
  const secretKey = SecretBox.generateKey();
  const environment = (name: ServiceName, port: number): Record<string, string> => {
    const prefix = name.toUpperCase();
    return {
      [`${prefix}_DATABASE_URL`]: databaseUrl,
      [`${prefix}_NATS_URL`]: natsUrl,
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
  const serviceUrls = new Map<ServiceName, string>();

  const logPathOf = (entry: ServiceProcess) => join(logDir, `${namespace}-${entry.label}.log`);
  const startProcess = async (entry: ServiceProcess) => {
    const logPath = logPathOf(entry);
    // The child writes its log itself: piping it through this process would cost this process CPU.
    const log = openSync(logPath, 'a');
    const nodeOptions = [entry.baseEnv.NODE_OPTIONS, process.env.NODE_OPTIONS].filter(Boolean).join(' ');
    const env: Record<string, string | undefined> = { ...entry.baseEnv, ...process.env, NODE_OPTIONS: nodeOptions || undefined };
    for (const [name, port] of entry.ports) Object.assign(env, environment(name, port), { [`${name.toUpperCase()}_LOG_LEVEL`]: 'info' });
    const child = spawn(process.execPath, [...(options.nodeArguments ?? []), entry.script], { env, stdio: ['ignore', log, log] });
    closeSync(log);
    entry.child = child;
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`${entry.label} exited with ${child.exitCode}; see ${logPath}`);
      for (const port of entry.ports.values()) {
        const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
        if (!ready?.ok) return false;
      }
      return true;
    }, 30_000 * entry.ports.size);
  };

  const addProcess = async (entry: ServiceProcess) => {
    for (const [name, port] of entry.ports) {
      processes.set(name, entry);
      serviceUrls.set(name, `http://127.0.0.1:${port}`);
    }
    await startProcess(entry);
  };

  async function close(): Promise<void> {
    for (const entry of new Set(processes.values())) if (entry.child) await stopChild(entry.child);
    for (const app of apps.reverse()) await app.close();
    for (const schema of Object.values(schemas)) await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`, [], databaseUrl);
    await deleteNamespaceStreams(namespace, natsUrl);
    for (const sandbox of Object.values(sandboxes) as RunningSandbox[]) await sandbox.close();
  }

  try {
    for (const [name, app] of Object.entries(options.sandboxes) as Array<[S, SandboxApp | SandboxProcess]>) {
      const logPath = join(logDir, `${namespace}-sandbox-${name}.log`);
      sandboxes[name] = app instanceof SandboxProcess ? await startSandboxProcess(app.vendor, logPath) : await startSandbox(app);
    }
    if (options.allInOne) {
      const ports = new Map<ServiceName, number>();
      for (const name of services) ports.set(name, await freePort());
      // Laptop mode runs without the images' settings: eight services share its heap.
      await addProcess({ label: 'all-in-one', script: join(ROOT, 'tools', 'all-in-one.cjs'), ports, baseEnv: {} });
    } else {
      for (const name of services) {
        if (options.processes?.includes(name)) {
          const script = join(ROOT, 'services', name, 'dist', 'main.js');
          await addProcess({ label: name, script, ports: new Map([[name, await freePort()]]), baseEnv: SERVICE_ENV });
          continue;
        }
        Object.assign(process.env, environment(name, 0), { [`${name.toUpperCase()}_LOG_LEVEL`]: 'silent' });
        const { AppModule } = loadService<{ AppModule: Type }>(name);
        const app = await runService(AppModule, { handleSignals: false });
        apps.push(app);
        serviceUrls.set(name, `http://127.0.0.1:${app.getHttpServer().address().port}`);
      }
    }
  } catch (error) {
    // What did start (service processes, sandboxes, schemas) would otherwise outlive the failed start.
    await close();
    throw error;
  }

  function serviceUrl(service: ServiceName): string {
    const url = serviceUrls.get(service);
    if (!url) throw new Error(`${service} does not run in this stack`);
    return url;
  }
  const controlUrl = serviceUrl('mapping');

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
    serviceUrl,
    pid(service) {
      const pid = processes.get(service)?.child?.pid;
      if (pid === undefined) throw new Error(`${service} does not run as a process in this stack`);
      return pid;
    },
    schema(service) {
      if (!services.includes(service)) throw new Error(`${service} does not run in this stack`);
      return schemas[service];
    },
    schemas: Object.values(schemas),
    async finishedRuns(integrationId, streams, count, timeoutMs = 60_000) {
      return waitFor(async () => {
        const current = await runs(integrationId);
        const finished = (stream: string) => current.filter((run) => run.stream === stream && run.state !== 'running');
        return streams.every((stream) => finished(stream).length >= count) ? current : undefined;
      }, timeoutMs);
    },
    async kill(service, signal = 'SIGKILL') {
      const child = processes.get(service)?.child;
      if (!child) throw new Error(`${service} does not run as a process in this stack`);
      const exited = new Promise<ProcessExit>((resolve) => child.once('exit', (code, by) => resolve({ code, signal: by })));
      child.kill(signal);
      return exited;
    },
    logFile(service) {
      const entry = processes.get(service);
      if (!entry) throw new Error(`${service} does not run as a process in this stack`);
      return logPathOf(entry);
    },
    async restart(service) {
      const entry = processes.get(service);
      if (!entry) throw new Error(`${service} does not run as a process in this stack`);
      await startProcess(entry);
    },
    close,
  };
}

/** A port nothing listens on right now, for a service process to take. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
