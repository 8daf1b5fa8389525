// The README's test command: finds or starts Postgres and NATS (and installs kubectl for the deployment checks and
// Chromium for the console's browser tests), then runs every project's build, lint and tests.
import { spawn } from 'node:child_process';
import { ensureChromium, ensureKubectl, ensureNats, ensurePostgres, natsServerBinary, root } from './infra.mjs';

ensureKubectl();
ensureChromium();
const postgres = await ensurePostgres({ preferLocalServer: true });
const nats = await ensureNats();
// The chaos test restarts a nats-server of its own, even where the shared one runs elsewhere.
const natsServer = natsServerBinary();
const child = spawn('node', ['tools/test-all.mjs', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, DATABASE_URL: postgres.url, NATS_URL: nats.url, NATS_SERVER_BIN: natsServer },
});
const code = await new Promise((resolve) => child.once('exit', (exitCode) => resolve(exitCode ?? 1)));
await nats.stop();
await postgres.stop();
process.exit(code);
