// `npm run chaos`: the chaos run at full size (`npm run chaos -- ci` for the CI test's size; CHAOS_SEED=<n> repeats a
// run). Builds what it needs through Nx, then runs tests/chaos on a nats-server and an embedded Postgres of its own
// (it restarts both); the table is printed and written to reports/chaos/latest.json.
import { spawnSync } from 'node:child_process';
import { natsServerBinary, root } from './infra.mjs';

const size = process.argv[2] ?? 'full';
const run = spawnSync('npx', ['nx', 'run', '@junction/chaos:test', '--outputStyle=stream'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CHAOS_SIZE: size, NATS_SERVER_BIN: natsServerBinary() },
});
process.exit(run.status ?? 1);
