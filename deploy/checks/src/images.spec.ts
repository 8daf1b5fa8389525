import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { CONNECTORS } from '@junction/contracts';
import { SandboxControl } from '@junction/sandbox-kit';
import { Client } from 'pg';
import { HostBuild, type HostImage } from './host-image';
import { startNatsServer, type NatsServer } from './nats-server';
import { freePort, LoggedProcess, waitFor } from './processes';
import { expectedServices, isConnector, workspacePath } from './workspace';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONTROL_API_TOKEN = randomBytes(18).toString('hex');
const SECRET_KEY = randomBytes(32).toString('hex');
// Shorter than the images' 20 s default, so a run cut short by the test's end does not hold the test up.
const SHUTDOWN_GRACE_MS = 3_000;
// What the Dockerfile's USER says, and what Kubernetes' runAsUser enforces; only root can switch to it.
const AS_IMAGE_USER = process.getuid?.() === 0;

interface RunningService {
  image: HostImage;
  process: LoggedProcess;
  port: number;
  schema: string;
}

/** Runs an image's command as the container would: its user, its workdir, its environment plus the given one. */
function startImage(name: string, image: HostImage, extraArgs: string[], env: Record<string, string>): LoggedProcess {
  const [command, ...args] = image.command;
  return LoggedProcess.start(name, command === 'node' ? process.execPath : command, [...args, ...extraArgs], {
    cwd: image.workdir,
    env: { ...image.env, ...env },
    ...(AS_IMAGE_USER && image.user ? image.user : {}),
  });
}

async function untilReady(service: RunningService): Promise<void> {
  const { process: child, port } = service;
  await waitFor(
    `${child.name} to report ready`,
    async () => {
      if (!child.running) throw new Error(`${child.name} exited before it was ready:\n${child.log}`);
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
      return response?.ok ? true : undefined;
    },
    60_000,
  );
}

describe('the Dockerfile, built and run on the host', () => {
  let build: HostBuild;
  let nats: NatsServer | undefined;
  const sandboxes = new Map<string, { process: LoggedProcess; url: string }>();
  const services = new Map<string, RunningService>();
  let sandboxImage: HostImage;

  beforeAll(() => {
    build = HostBuild.prepare();
  }, 240_000);

  afterAll(async () => {
    const running = [...services.values()].map((service) => service.process);
    await Promise.all([...running, ...[...sandboxes.values()].map((sandbox) => sandbox.process)].map((child) => child.stop('SIGKILL')));
    const db = new Client({ connectionString: DATABASE_URL });
    await db.connect();
    await Promise.all([...services.values()].map(({ schema }) => db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)));
    await db.end();
    await nats?.stop();
    build?.dispose();
  }, 60_000);

  it('installs the production dependencies only, with the workspace packages linked', () => {
    const modules = join(build.runtimeDependencies, 'node_modules');
    // What the lock file marks dev-only (a devDependency a production package also needs, e.g. @types/pg, is not).
    const lock = JSON.parse(readFileSync(workspacePath('package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, entry]) => entry.dev && path.startsWith('node_modules/'));
    expect(devOnly.length).toBeGreaterThan(0);
    expect(devOnly.map(([path]) => path).filter((path) => existsSync(join(build.runtimeDependencies, path)))).toEqual([]);
    expect(existsSync(join(modules, '@nestjs', 'core', 'package.json'))).toBe(true);
    expect(lstatSync(join(modules, '@junction', 'service-kit')).isSymbolicLink()).toBe(true);
  });

  it('lays out each image as the Dockerfile says: its entry point, its own service only, a numeric non-root user', async () => {
    const images = await Promise.all(expectedServices().map((service) => build.image('service', { SERVICE: service })));
    expectedServices().forEach((service, index) => {
      const image = images[index];
      expect(image).toMatchObject({ command: ['node', 'main.js'], user: { uid: 1000, gid: 1000 }, stopSignal: 'SIGTERM' });
      expect(image.env.NODE_ENV).toBe('production');
      // The memory settings the benchmarks and end-to-end tests run services with.
      expect(image.env).toMatchObject(JSON.parse(readFileSync(workspacePath('deploy', 'service-env.json'), 'utf8')));
      expect(realpathSync(join(image.workdir, 'main.js'))).toBe(realpathSync(join(image.workdir, 'services', service, 'dist', 'main.js')));
      // Every manifest is there (npm ci needs them), but only this service's build.
      const built = readdirSync(join(image.workdir, 'services')).filter((name) => existsSync(join(image.workdir, 'services', name, 'dist')));
      expect(built).toEqual([service]);
      const schema = `deploy_${service}_${randomBytes(4).toString('hex')}`;
      services.set(service, { image, process: undefined as unknown as LoggedProcess, port: 0, schema });
    });
    sandboxImage = await build.image('sandbox');
    expect(sandboxImage.command.slice(0, 2)).toEqual(['node', 'tools/sandbox.mjs']);
    expect(existsSync(join(sandboxImage.workdir, 'tools', 'demo-seed.mjs'))).toBe(true);
  }, 60_000);

  it('starts the sandboxes and every service from its image, each service as its own NATS user, until ready', async () => {
    nats = await startNatsServer();
    const startSandbox = async (vendor: string) => {
      // After the image's own --host 0.0.0.0 --port 8080: the last value wins.
      const child = startImage(`sandbox-${vendor}`, sandboxImage, [vendor, '--host', '127.0.0.1', '--port', '0'], {});
      sandboxes.set(vendor, { process: child, url: '' });
      const url = await waitFor(`the ${vendor} sandbox`, async () => {
        if (!child.running) throw new Error(`sandbox ${vendor} exited:\n${child.log}`);
        return /listening on (http:\/\/\S+)/.exec(child.log)?.[1];
      }, 30_000, 50);
      sandboxes.set(vendor, { process: child, url });
    };
    await Promise.all(CONNECTORS.map(startSandbox));
    const start = async (name: string) => {
      const service = services.get(name) as RunningService;
      service.port = await freePort();
      service.process = startImage(name, service.image, [], {
        DATABASE_URL,
        DB_SCHEMA: service.schema,
        NATS_URL: nats!.url,
        NATS_USER: name,
        NATS_PASS: nats!.passwordOf(name),
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(service.port),
        SHUTDOWN_GRACE_MS: String(SHUTDOWN_GRACE_MS),
        ...(name === 'mapping' ? { CONTROL_API_TOKEN } : {}),
        ...(isConnector(name) ? { JUNCTION_SECRET_KEY: SECRET_KEY } : {}),
      });
      await untilReady(service);
    };
    // Only mapping may declare the streams; the others find them declared.
    await start('mapping');
    await Promise.all(expectedServices().filter((name) => name !== 'mapping').map(start));
  }, 120_000);

  it('seeds the demo with tools/demo-seed.mjs: one integration of each kind, synced into the target sandboxes', async () => {
    const control = (vendor: string) => new SandboxControl(sandboxes.get(vendor)?.url ?? '');
    // Less data than the demo's defaults: this proves the flow, not the volume (MiniCRM allows a call a second).
    await control('shoprenter').reset({ orders: 3 });
    await control('repairshopr').reset({ customers: 2, contactsPerCustomer: 1, productsPerCategory: 1 });
    const controlApi = `http://127.0.0.1:${services.get('mapping')?.port}`;
    const sandboxArgs = [...sandboxes].flatMap(([vendor, { url }]) => ['--sandbox', `${vendor}=${url}`]);
    // As the compose `seed` service runs it: the sandbox image, the script as its entry point.
    const seed = startImage('demo-seed', { ...sandboxImage, command: ['node', 'tools/demo-seed.mjs'] }, [
      '--control-api', controlApi, '--token', CONTROL_API_TOKEN, ...sandboxArgs, '--wait', '90',
    ], {});
    const exit = await seed.exited;
    if (exit.code !== 0) throw new Error(`demo-seed exited with ${exit.code}:\n${seed.log}`);

    const api = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${controlApi}${path}`, { headers: { authorization: `Bearer ${CONTROL_API_TOKEN}` } });
      expect(response.status).toBe(200);
      return (await response.json()) as T;
    };
    const { integrations } = await api<{ integrations: Array<{ id: string; kind: string }> }>('/v1/integrations');
    expect(integrations.map((integration) => integration.kind).sort()).toEqual(['shoprenter-minicrm', 'zomentum-repairshopr', 'zzap-retailcrm']);
    for (const integration of integrations) {
      const { runs } = await api<{ runs: Array<{ stream: string; state: string }> }>(`/v1/integrations/${integration.id}/runs`);
      expect(runs.length).toBeGreaterThan(0);
      expect(runs.filter((run) => run.state !== 'succeeded')).toEqual([]);
    }

    // The commands the runs' events led to reach the target vendors (later than the runs: they are consumed after).
    const count = async (vendor: string, collection: string, where: (record: Record<string, unknown>) => boolean) =>
      (await control(vendor).records(collection)).filter(where).length;
    await waitFor('orders in the RetailCRM store zzap-parts', async () => ((await count('retailcrm', 'orders', (order) => order.site === 'zzap-parts')) > 0 ? true : undefined), 60_000, 500);
    await waitFor('orders in MiniCRM system 12345', async () => ((await count('minicrm', 'orders', (order) => order.SystemId === 12345)) > 0 ? true : undefined), 60_000, 500);
    // Two estimates are seeded; the won quotes add theirs.
    await waitFor('estimates from won quotes in RepairShopr', async () => ((await count('repairshopr', 'estimates', (estimate) => estimate.account_id === 1)) > 2 ? true : undefined), 60_000, 500);
  }, 240_000);

  it('needed no NATS permission beyond deploy/nats/values.yaml', () => {
    expect(nats?.violations()).toEqual([]);
  });

  it('stops every service on SIGTERM: its shutdown hooks run to the end, then it exits 0', async () => {
    await Promise.all(
      [...services.values()].map(async ({ image, process: child }) => {
        const exit = await child.stop(image.stopSignal, SHUTDOWN_GRACE_MS + 10_000);
        // The service's handler took the signal and exits 0 once every shutdown hook (drain NATS, close Postgres,
        // flush telemetry and the log) has finished; a failing hook exits 1, a hanging one gets a SIGKILL here.
        expect({
          service: child.name,
          exit: exit.signal ?? exit.code,
          draining: /"signal":"SIGTERM".*"msg":"shutting down: draining NATS consumers"/.test(child.log),
          complete: child.log.includes('"msg":"shutdown complete"'),
        }).toEqual({ service: child.name, exit: 0, draining: true, complete: true });
      }),
    );
  }, 60_000);
});
