// The README's start command: Postgres and NATS (found or started), a build, then every service in one process.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNats, ensurePostgres, root, stateDir } from './infra.mjs';

/** A laptop keeps its generated secrets under .junction/ so restarts can still read stored credentials. */
function localSecret(file, make) {
  mkdirSync(stateDir, { recursive: true });
  const path = join(stateDir, file);
  if (!existsSync(path)) writeFileSync(path, make(), { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { cwd: root, stdio: 'inherit' });
const postgres = await ensurePostgres({ preferLocalServer: false });
const nats = await ensureNats();
const env = {
  ...process.env,
  DATABASE_URL: postgres.url,
  NATS_URL: nats.url,
  JUNCTION_SECRET_KEY: process.env.JUNCTION_SECRET_KEY ?? localSecret('secret.key', () => randomBytes(32).toString('hex')),
  CONTROL_API_TOKEN: process.env.CONTROL_API_TOKEN ?? localSecret('control-token', () => randomBytes(24).toString('base64url')),
};
console.log(`control API token: ${env.CONTROL_API_TOKEN === process.env.CONTROL_API_TOKEN ? '(from CONTROL_API_TOKEN)' : '.junction/control-token'}`);

const services = spawn('node', ['tools/all-in-one.cjs'], { cwd: root, stdio: 'inherit', env });
const forward = (signal) => services.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
const code = await new Promise((resolve) => services.once('exit', (exitCode) => resolve(exitCode ?? 0)));
await nats.stop();
await postgres.stop();
process.exit(code);
