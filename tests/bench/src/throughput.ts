import { succeeded, type VendorCall } from './request-tail';
import { busyShare, cpuSeconds, machineCpu, serverCpuSeconds, type MachineCpu } from './proc';
import { drain, finishedRecords, followTarget, publishEvent, runName, settle, sleep, type Pipeline } from './pipeline';
import type { PipelineWorkload } from './workloads';
import type { ThroughputRun } from './results';

/** How long the pipeline may take to write its first record. */
const FIRST_WRITE_TIMEOUT_MS = 120_000;

interface CpuSample {
  at: number;
  machine: MachineCpu;
  processes: Record<string, number>;
  servers: Record<string, number>;
  bench: number;
}

/** The measured part of a run, on the sandboxes' clock, with CPU samples at both ends. */
interface MeasuredWindow {
  start: number;
  end: number;
  before?: CpuSample;
  after?: CpuSample;
}

function sampleCpu(pipeline: Pipeline): CpuSample {
  const processes = Object.fromEntries(Object.entries(pipeline.processes).map(([label, pid]) => [label, cpuSeconds(pid)]));
  const servers = Object.fromEntries(Object.entries(pipeline.servers).map(([label, pid]) => [label, serverCpuSeconds(pid)]));
  const { user, system } = process.cpuUsage();
  return { at: Date.now(), machine: machineCpu(), processes, servers, bench: (user + system) / 1e6 };
}

/**
 * The sustained rate of records from source event to the target sandbox's confirmed write: events are published
 * ahead of the pipeline (up to ten seconds of work queued), and the records whose last write finished within
 * `seconds` after a warm-up are counted. Everything published is drained before returning, so runs never overlap.
 */
export async function measureThroughput(pipeline: Pipeline, workload: PipelineWorkload, seconds: number): Promise<ThroughputRun> {
  await settle(pipeline);
  await workload.resetTarget();
  const run = runName();
  const tail = await followTarget(workload);
  const finishedSoFar = finishedRecords(workload, tail);
  const warmupMs = Math.min(10, seconds / 5) * 1000;
  // Work queued ahead, in seconds at the rate reached so far. Records in flight are the rate times their latency, so
  // the queue must outlast the slowest record (a deal's contact and estimates wait for its customer) or it would cap the rate; and it
  // is drained after the window, so it is never longer than the window itself.
  const backlogSeconds = Math.min(10, seconds);
  const started = Date.now();
  let published = 0;
  let firstWrite: number | undefined;
  let window: MeasuredWindow | undefined;

  try {
    while (!window?.after) {
      const finished = finishedSoFar();
      if (finished > 0) firstWrite ??= firstRecordWrite(workload, await tail.all());
      const now = Date.now();
      if (firstWrite === undefined && now - started > FIRST_WRITE_TIMEOUT_MS) {
        throw new Error(`${workload.integration}: no record reached the target within ${FIRST_WRITE_TIMEOUT_MS / 1000} s`);
      }
      if (firstWrite !== undefined && !window) window = { start: firstWrite + warmupMs, end: firstWrite + warmupMs + seconds * 1000 };
      if (window && !window.before && now >= window.start) window.before = sampleCpu(pipeline);
      if (window?.before && now >= window.end) {
        window.after = sampleCpu(pipeline);
        continue;
      }
      const rate = firstWrite === undefined ? 0 : (finished * 1000) / Math.max(1, now - firstWrite);
      const backlog = Math.max(20, Math.ceil(rate * backlogSeconds));
      while (published < finished + backlog) {
        const batch = Math.min(100, finished + backlog - published);
        await Promise.all(Array.from({ length: batch }, (_, offset) => publishEvent(pipeline.bus, workload.event(run, published + offset))));
        published += batch;
      }
      await sleep(50);
    }
    await drain(workload, finishedSoFar, published);
  } finally {
    await tail.stop();
  }

  const { start, end, before, after } = window as Required<MeasuredWindow>;
  const calls = await tail.all();
  const writesInWindow = calls.filter(
    (call) => workload.isRecordWrite(call) && succeeded(call) && call.finishedMs >= start && call.finishedMs < end,
  ).length;
  const records = writesInWindow / workload.writesPerRecord;
  const elapsed = (after.at - before.at) / 1000;
  const cpuUsed = Object.entries(after.processes).map(([label, cpu]) => [label, cpu - before.processes[label]] as const);
  cpuUsed.push(['bench', after.bench - before.bench]);
  const serverCpuUsed = Object.entries(after.servers).map(([label, cpu]) => [label, cpu - before.servers[label]] as const);
  const perRecord = (used: ReadonlyArray<readonly [string, number]>) =>
    Object.fromEntries(used.map(([label, cpu]) => [label, { coresUsed: cpu / elapsed, msPerRecord: records > 0 ? (cpu * 1000) / records : 0 }]));
  return {
    integration: workload.integration,
    unit: workload.unit,
    recordsPerSecond: records / seconds,
    records,
    windowSeconds: seconds,
    published,
    vendorCallsPerRecord: calls.length / published,
    vendorCallsPerRecordByEndpoint: perRecordByEndpoint(calls, published),
    rejectedVendorCalls: calls.filter((call) => call.status >= 400 && call.status !== 404).length,
    cpu: {
      machineBusyShare: busyShare(before.machine, after.machine),
      processes: perRecord(cpuUsed),
      servers: perRecord(serverCpuUsed),
    },
  };
}

/** Calls per record by method and path, ids in the path as `:id`: which vendor calls a record costs. */
function perRecordByEndpoint(calls: readonly VendorCall[], records: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const call of calls) {
    const endpoint = `${call.method} ${call.path.replace(/\/\d+(?=\/|$)/g, '/:id')}`;
    counts[endpoint] = (counts[endpoint] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([endpoint, count]) => [endpoint, count / records]));
}

function firstRecordWrite(workload: PipelineWorkload, calls: readonly VendorCall[]): number | undefined {
  return calls.find((call) => workload.isRecordWrite(call) && succeeded(call))?.finishedMs;
}
