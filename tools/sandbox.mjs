// Starts one built vendor sandbox on its own: `npm run sandbox -- repairshopr [--port 4010] [--host 127.0.0.1]`.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(import.meta.url);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string' }, host: { type: 'string' } },
});
const [name] = positionals;
if (!name) {
  console.error('usage: npm run sandbox -- <vendor> [--port N] [--host ADDRESS]   (vendors: the folders in sandboxes/)');
  process.exit(2);
}

const entry = join(root, 'sandboxes', name, 'dist', 'index.js');
const kitEntry = join(root, 'sandboxes', 'kit', 'dist', 'index.js');
if (!existsSync(entry) || !existsSync(kitEntry)) {
  console.error(`No build of sandboxes/${name}: run  npx nx build @junction/sandbox-${name}  first.`);
  process.exit(1);
}

const vendor = require(entry);
const { startSandbox } = require(kitEntry);
const portText = values.port ?? process.env.SANDBOX_PORT ?? String(vendor.DEFAULT_PORT);
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Not a port: ${portText}`);
  process.exit(2);
}

const app = vendor.createSandbox();
// A front door thread stamps each call's arrival, so the rate limits count calls when they came however busy the sandbox.
const running = await startSandbox(app, { port, host: values.host ?? '127.0.0.1', frontDoor: true });
console.log(`${app.name} sandbox listening on ${running.url}`);
for (const line of app.describe(running.url)) console.log(line);

const stop = async () => {
  await running.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
