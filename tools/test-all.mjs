// Runs build (type check), lint and every project's tests through Nx, then prints the totals line CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const reports = join(root, 'reports', 'tests');
rmSync(reports, { recursive: true, force: true });

const targets = process.argv.slice(2).length ? process.argv.slice(2) : ['build', 'lint', 'test'];
const run = spawnSync('npx', ['nx', 'run-many', '-t', ...targets, '--outputStyle=stream', '--skip-nx-cache'], {
  cwd: root,
  stdio: 'inherit',
});

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(reports)) {
  for (const file of readdirSync(reports)) {
    const totals = JSON.parse(readFileSync(join(reports, file), 'utf8'));
    passed += totals.passed;
    failed += totals.failed;
    skipped += totals.skipped;
  }
}
if (run.status !== 0 && failed === 0) {
  console.error('A build, lint or test task failed before any test reported a failure.');
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
