import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SandboxProcess, startStack, type ServiceName, type Stack, type StackOptions } from '@junction/e2e/test/stack';
import { DATABASE_URL, NATS_URL } from '@junction/e2e/test/support';
import { Bus } from '@junction/messaging';
import * as minicrmSandbox from '@junction/sandbox-minicrm';
import * as repairshoprSandbox from '@junction/sandbox-repairshopr';
import * as shoprenterSandbox from '@junction/sandbox-shoprenter';
import * as zomentumSandbox from '@junction/sandbox-zomentum';
import { Client } from 'pg';
import { Autovacuum } from './autovacuum';
import { backfillShopToCrm, backfillZzapToCrm } from './backfill';
import { fillIdMap } from './id-map-fill';
import { measureLatency } from './latency';
import type { BenchOptions } from './options';
import type { Pipeline } from './pipeline';
import { cpuSeconds, localServerPid, machineDescription, parentNamed, peakRssMb } from './proc';
import { clearProfiles, profileOfProcess, summariseProfile } from './profile';
import { BenchResults, type ThroughputRun } from './results';
import { measureThroughput } from './throughput';
import { dealsWorkload, ordersWorkload, type PipelineWorkload } from './workloads';

const PIPELINE_SERVICES: readonly ServiceName[] = ['mapping', 'shoprenter', 'minicrm', 'zomentum', 'repairshopr'];

type Log = (line: string) => void;
type Measured = Omit<BenchResults, 'startedAt' | 'finishedAt' | 'machine' | 'options'>;

/**
 * Starts a stack whose service processes see `environment` (they inherit this process's environment when spawned):
 * VENDOR_RATE_LIMIT_SCALE is not one of the prefixed service settings, and each service reads it once, at its start.
 * Its schemas get autovacuum (`Autovacuum`) until it is closed.
 */
async function startBenchStack<S extends string>(options: StackOptions<S>, environment: Record<string, string>, log: Log): Promise<Stack<S>> {
  const saved = Object.fromEntries(Object.keys(environment).map((key) => [key, process.env[key]]));
  Object.assign(process.env, environment);
  let stack: Stack<S>;
  try {
    stack = await startStack(options);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const autovacuum = new Autovacuum(
    stack.schemas,
    (err) => log(`vacuuming the stack's tables failed: ${err instanceof Error ? err.message : String(err)}`),
  );
  const close = stack.close;
  return {
    ...stack,
    async close() {
      await autovacuum.stop();
      await close();
    },
  };
}

/** Records each service process's peak RSS so far, at the end of the stack's runs. */
function notePeakMemory(measured: Measured, label: string, stack: Stack<string>, services: readonly ServiceName[]): void {
  const peakRss = Object.fromEntries(services.map((service) => [service, peakRssMb(stack.pid(service))]));
  measured.memory.stacks.push({ stack: label, peakRssMb: peakRss });
}

async function withBus<T>(stack: Stack<string>, use: (bus: Bus) => Promise<T>): Promise<T> {
  const bus = await Bus.connect({ servers: NATS_URL, name: 'bench', namespace: stack.namespace });
  try {
    return await use(bus);
  } finally {
    await bus.close();
  }
}

/** Postgres and nats-server, where they run on this machine: what they spend serving the stack is a record's cost too. */
async function localServers(): Promise<Record<string, number>> {
  const servers: Record<string, number> = {};
  // The backend's parent, read while the backend lives.
  const postgres = new Client({ connectionString: DATABASE_URL });
  await postgres.connect();
  let postmaster: number | undefined;
  try {
    const { rows } = await postgres.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    postmaster = parentNamed(rows[0].pid, 'postgres');
  } finally {
    await postgres.end();
  }
  if (postmaster) servers.postgres = postmaster;
  const natsPort = /:(\d+)\/?$/.exec(NATS_URL.split(',')[0])?.[1] ?? '4222';
  const nats = localServerPid('nats-server', natsPort);
  if (nats) servers['nats-server'] = nats;
  return servers;
}

const pipelineSandboxes = () => ({
  shoprenter: shoprenterSandbox.createSandbox(),
  minicrm: minicrmSandbox.createSandbox(),
  zomentum: zomentumSandbox.createSandbox(),
  repairshopr: repairshoprSandbox.createSandbox(),
});

/** A stack of the pipeline's services as processes, with the workloads' connections and integrations made. */
async function withPipelineStack(
  options: BenchOptions,
  nodeArguments: string[],
  log: Log,
  use: (stack: Stack<string>, pipeline: Pipeline, workloads: PipelineWorkload[]) => Promise<void>,
): Promise<Record<string, number>> {
  const stack = await startBenchStack(
    { services: PIPELINE_SERVICES, processes: PIPELINE_SERVICES, sandboxes: pipelineSandboxes(), nodeArguments, env: concurrencyEnv(options) },
    { VENDOR_RATE_LIMIT_SCALE: String(options.pipelineScale) },
    log,
  );
  const pids = Object.fromEntries(PIPELINE_SERVICES.map((service) => [service, stack.pid(service)]));
  try {
    await withBus(stack, async (bus) => {
      const pipeline: Pipeline = { bus, processes: pids, servers: await localServers(), schemas: stack.schemas };
      await use(stack, pipeline, [await ordersWorkload(stack), await dealsWorkload(stack)]);
    });
  } finally {
    await stack.close();
  }
  return pids;
}

/** 1, 2 and 5: throughput, latency, and throughput again over a filled ID map; services run as deployed (no profiler). */
async function pipelineRuns(options: BenchOptions, measured: Measured, log: Log): Promise<void> {
  await withPipelineStack(options, [], log, async (stack, pipeline, workloads) => {
    log(`pipeline stack up: ${PIPELINE_SERVICES.join(', ')}`);
    if (options.phases.includes('throughput')) {
      for (const workload of workloads) measured.throughput.push(logged(log, 'throughput', await measureThroughput(pipeline, workload, options.throughputSeconds)));
    }
    if (options.phases.includes('latency')) {
      for (const workload of workloads) {
        const run = await measureLatency(pipeline, workload, options.latencyRate, options.latencySeconds);
        log(`latency ${run.integration}: p50 ${run.junctionMs.p50.toFixed(1)} ms, p99 ${run.junctionMs.p99.toFixed(1)} ms`);
        measured.latency.push(run);
      }
    }
    if (options.phases.includes('growth')) await growthRuns(options, measured, stack, pipeline, workloads, log);
    notePeakMemory(measured, 'pipeline runs', stack, PIPELINE_SERVICES);
  });
}

/**
 * Where the time goes: a throughput run of each integration on a stack of its own whose services run under `--cpu-prof`
 * (the profiler costs CPU and memory, so the other measurements run without it).
 */
async function profiledRuns(options: BenchOptions, measured: Measured, log: Log): Promise<void> {
  const profileDir = join(dirname(options.out), 'profiles');
  clearProfiles(profileDir);
  const throughput: ThroughputRun[] = [];
  const cpuByService: Record<string, number> = {};
  const pids = await withPipelineStack(options, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`], log, async (_stack, pipeline, workloads) => {
    log('profiled pipeline stack up');
    for (const workload of workloads) throughput.push(logged(log, 'profiled throughput', await measureThroughput(pipeline, workload, options.throughputSeconds)));
    for (const [service, pid] of Object.entries(pipeline.processes)) cpuByService[service] = cpuSeconds(pid);
  });
  // Each process writes its profile as it exits.
  const busiest = Object.entries(cpuByService)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([service]) => {
      const file = profileOfProcess(profileDir, pids[service]);
      if (!file) throw new Error(`no CPU profile of ${service} in ${profileDir}`);
      return summariseProfile(service, file);
    });
  measured.profile = { throughput, cpuSecondsByService: cpuByService, busiest };
}

async function growthRuns(options: BenchOptions, measured: Measured, stack: Stack<string>, pipeline: Pipeline, workloads: PipelineWorkload[], log: Log) {
  for (const rows of options.idMapRows) {
    for (const workload of workloads) {
      const { connectionId, entityType } = workload.idMap;
      const idMapRows = await fillIdMap(stack.schema(workload.targetService), connectionId, entityType, rows);
      const run = logged(log, `growth at ${idMapRows} ID map rows`, await measureThroughput(pipeline, workload, options.throughputSeconds));
      const first = measured.throughput.find((candidate) => candidate.integration === workload.integration);
      const change = (now: number, then?: number) => (then ? now / then - 1 : null);
      measured.growth.push({
        integration: workload.integration,
        idMapRows,
        recordsPerSecond: run.recordsPerSecond,
        changeFromFirstRun: change(run.recordsPerSecond, first?.recordsPerSecond),
        serviceCpuMsPerRecord: serviceCpuMsPerRecord(run),
        cpuChangeFromFirstRun: change(serviceCpuMsPerRecord(run), first && serviceCpuMsPerRecord(first)),
      });
    }
  }
}

/** What a record cost the service processes, the bench process (sandboxes, publisher) left out. */
function serviceCpuMsPerRecord(run: ThroughputRun): number {
  return Object.entries(run.cpu.processes).reduce((sum, [label, cpu]) => (label === 'bench' ? sum : sum + cpu.msPerRecord), 0);
}

function logged(log: Log, what: string, run: ThroughputRun): ThroughputRun {
  log(`${what} ${run.integration}: ${run.recordsPerSecond.toFixed(1)} ${run.unit}/s`);
  return run;
}

/** Messages each connector's commands consumer and each of mapping's consumers handle at once. */
function concurrencyEnv(options: BenchOptions): Record<string, string> {
  return { COMMAND_CONCURRENCY: String(options.commandConcurrency), EVENT_CONCURRENCY: String(options.commandConcurrency) };
}

/**
 * 3: each backfill in a stack of its own, whose connectors pace to the documented limits times the backfill's scale.
 * The sandboxes run as processes of their own: in this one, the pauses of the bench's heap would bunch the calls a
 * vendor counts in a window that the scale has made a hundred times shorter.
 */
async function backfillRuns(options: BenchOptions, measured: Measured, log: Log): Promise<void> {
  const concurrency = concurrencyEnv(options);
  const shopServices: ServiceName[] = ['mapping', 'scheduler', 'shoprenter', 'minicrm'];
  const shop = await startBenchStack(
    { services: shopServices, processes: shopServices, sandboxes: { shoprenter: new SandboxProcess('shoprenter'), minicrm: new SandboxProcess('minicrm') }, env: concurrency },
    { VENDOR_RATE_LIMIT_SCALE: String(options.backfillOrdersScale) },
    log,
  );
  log(`backfill stack up: ${shopServices.join(', ')}`);
  try {
    measured.backfill.push(await backfillShopToCrm(shop, options.backfillOrders, options.backfillOrdersScale));
    notePeakMemory(measured, 'backfill shoprenter-minicrm', shop, shopServices);
  } finally {
    await shop.close();
  }
  const zzapServices: ServiceName[] = ['mapping', 'zzap', 'retailcrm'];
  const zzap = await startBenchStack(
    { services: zzapServices, processes: zzapServices, sandboxes: { zzap: new SandboxProcess('zzap'), retailcrm: new SandboxProcess('retailcrm') }, env: concurrency },
    { VENDOR_RATE_LIMIT_SCALE: String(options.backfillZzapScale) },
    log,
  );
  log(`backfill stack up: ${zzapServices.join(', ')}`);
  try {
    measured.backfill.push(await backfillZzapToCrm(zzap, options.backfillZzapOrders, options.backfillZzapScale));
    notePeakMemory(measured, 'backfill zzap-retailcrm', zzap, zzapServices);
  } finally {
    await zzap.close();
  }
  for (const run of measured.backfill) log(`backfill ${run.integration}: ${run.totalSeconds.toFixed(1)} s, ${run.ratioToBound.toFixed(2)} × the bound`);
}

/** 4 for laptop mode: the throughput runs against every service in one process (tools/all-in-one.cjs). */
async function allInOneRuns(options: BenchOptions, measured: Measured, log: Log): Promise<void> {
  const stack = await startBenchStack(
    { services: [], allInOne: true, sandboxes: pipelineSandboxes(), env: concurrencyEnv(options) },
    { VENDOR_RATE_LIMIT_SCALE: String(options.pipelineScale) },
    log,
  );
  log('all-in-one stack up');
  try {
    const pid = stack.pid('mapping');
    const throughput = await withBus(stack, async (bus) => {
      const pipeline: Pipeline = { bus, processes: { 'all-in-one': pid }, servers: await localServers(), schemas: stack.schemas };
      const runs: ThroughputRun[] = [];
      for (const workload of [await ordersWorkload(stack), await dealsWorkload(stack)]) {
        runs.push(logged(log, 'all-in-one', await measureThroughput(pipeline, workload, options.allInOneSeconds)));
      }
      return runs;
    });
    measured.memory.allInOne = { peakRssMb: peakRssMb(pid), throughput };
  } finally {
    await stack.close();
  }
}

/** Runs the chosen measurements, writes `options.out` and answers what it wrote. */
export async function runBench(options: BenchOptions, print: Log = (line) => console.log(line)): Promise<BenchResults> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const log: Log = (line) => print(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)} s] ${line}`);
  const machine = machineDescription();
  const measured: Measured = { throughput: [], latency: [], backfill: [], growth: [], memory: { stacks: [], allInOne: null }, profile: null };
  if (options.phases.some((phase) => phase === 'throughput' || phase === 'latency' || phase === 'growth')) await pipelineRuns(options, measured, log);
  if (options.profile && options.phases.includes('throughput')) await profiledRuns(options, measured, log);
  if (options.phases.includes('backfill')) await backfillRuns(options, measured, log);
  if (options.phases.includes('all-in-one')) await allInOneRuns(options, measured, log);
  const results = BenchResults.parse({
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: { cores: machine.cores, model: machine.model, node: machine.node, loadAverageAtStart: machine.loadAverage, loadAverageAtEnd: machineDescription().loadAverage },
    options,
    ...measured,
  });
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(results, null, 2)}\n`);
  return results;
}
