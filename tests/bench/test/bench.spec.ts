import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SERVICE_NAMES } from '@junction/e2e/test/stack';
import { runBench } from '../src/bench';
import { parseBenchArgs } from '../src/options';
import { BenchResults } from '../src/results';
import { renderResults } from '../src/table';

// The bench at smoke size, so it cannot rot: every measurement runs for a couple of seconds and the results file has
// the shape docs/performance.md is made from, every figure a finite number (the schema refuses anything else). How
// fast this machine is decides no test: no figure is compared with a goal here.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'junction-bench-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs every measurement at smoke size and writes the results file', async () => {
  const out = join(dir, 'results.json');
  await runBench(parseBenchArgs(['--size', 'smoke', '--out', out]), () => undefined);

  const results = BenchResults.parse(JSON.parse(readFileSync(out, 'utf8')));
  const integrations = (runs: Array<{ integration: string }>) => runs.map((run) => run.integration);
  expect(integrations(results.throughput)).toEqual(['shoprenter-minicrm', 'zomentum-repairshopr']);
  expect(integrations(results.latency)).toEqual(['shoprenter-minicrm', 'zomentum-repairshopr']);
  expect(integrations(results.growth)).toEqual(['shoprenter-minicrm', 'zomentum-repairshopr']);
  expect(integrations(results.backfill)).toEqual(['shoprenter-minicrm', 'zzap-retailcrm']);
  expect(integrations(results.memory.allInOne?.throughput ?? [])).toEqual(['shoprenter-minicrm', 'zomentum-repairshopr']);
  const measuredServices = new Set(results.memory.stacks.flatMap((stack) => Object.keys(stack.peakRssMb)));
  expect([...measuredServices].sort()).toEqual([...SERVICE_NAMES].sort());

  // Something was measured: records went through, latency runs timed records, both backfills called both vendors.
  expect(results.throughput.every((run) => run.records > 0 && run.rejectedVendorCalls === 0)).toBe(true);
  expect(results.latency.every((run) => run.events > 0)).toBe(true);
  expect(results.backfill.every((run) => run.vendors.every((vendor) => vendor.calls > 0 && vendor.eventLoopDelayMs.max > 0))).toBe(true);
  expect(results.growth.every((run) => run.idMapRows >= 2_000 && run.changeFromFirstRun !== null && run.cpuChangeFromFirstRun !== null)).toBe(true);
  expect(integrations(results.profile?.throughput ?? [])).toEqual(['shoprenter-minicrm', 'zomentum-repairshopr']);
  expect(results.profile?.busiest.map((profile) => profile.topFunctions.length > 0)).toEqual([true, true]);

  const tables = renderResults(results);
  for (const heading of ['### 1.', '#### Where the time goes', '### 2.', '### 3.', '### 4.', '### 5.']) expect(tables).toContain(heading);
}, 240_000);
