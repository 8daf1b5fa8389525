import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNatsValues, type NatsValues } from './nats-values';
import { freePort, LoggedProcess, waitFor } from './processes';

/** The chart writes `"<< $VAR >>"` into nats.conf as `$VAR`, which nats-server reads from its environment. */
const ENV_REFERENCE = /"<< \$([A-Z0-9_]+) >>"/g;

export interface NatsServer {
  url: string;
  /** Password of each user of the values file, generated for this server. */
  passwordOf(user: string): string;
  /** The server's permission violation log lines ("Publish Violation - User ..."). */
  violations(): string[];
  log(): string;
  stop(): Promise<void>;
}

/**
 * nats-server parses an environment variable it references as a configuration value: a password must read as a bare
 * string, so it starts with a letter and holds only letters and digits (`4f…` would be a malformed number).
 */
export function natsPassword(): string {
  return `p${randomBytes(16).toString('hex')}`;
}

function natsServerBinary(): string {
  const candidates = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found) return found;
  try {
    return execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('nats-server not found: `apt-get install nats-server` (the checks run one with the Helm values)');
  }
}

/**
 * nats.conf as the chart renders it from `config.merge` (JSON is valid NATS configuration), for one server on a
 * free local port with JetStream under `storeDir`. The chart's cluster and storage settings are Kubernetes matters.
 */
export function natsConfig(values: NatsValues, port: number, storeDir: string): string {
  const config = { host: '127.0.0.1', port, jetstream: { store_dir: storeDir }, ...values.config.merge };
  return JSON.stringify(config, null, 2).replace(ENV_REFERENCE, '$$$1');
}

/**
 * Starts a real nats-server with the accounts, users and permissions of deploy/nats/values.yaml and a random
 * password per user (passed as the environment variables the values reference, as the chart's pod does).
 */
export async function startNatsServer(values: NatsValues = loadNatsValues()): Promise<NatsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'junction-nats-'));
  const port = await freePort();
  const configFile = join(dir, 'nats.conf');
  writeFileSync(configFile, natsConfig(values, port, join(dir, 'jetstream')));
  const passwords = Object.fromEntries(Object.keys(values.container.env).map((name) => [name, natsPassword()]));
  const server = LoggedProcess.start('nats-server', natsServerBinary(), ['-c', configFile], { cwd: dir, env: passwords });
  try {
    await waitFor('nats-server to accept connections', async () => (server.log.includes('Server is ready') ? true : undefined), 10_000, 50);
  } catch (error) {
    await server.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${server.log}`);
  }
  const users = Object.values(values.config.merge.accounts).flatMap((account) => account.users);
  return {
    url: `nats://127.0.0.1:${port}`,
    passwordOf(user) {
      const reference = users.find((candidate) => candidate.user === user)?.password.match(/\$([A-Z0-9_]+)/)?.[1];
      if (!reference || !passwords[reference]) throw new Error(`no password for NATS user ${user}`);
      return passwords[reference];
    },
    violations: () => server.log.split('\n').filter((line) => line.includes(' Violation - ')),
    log: () => server.log,
    async stop() {
      await server.stop('SIGTERM', 10_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
