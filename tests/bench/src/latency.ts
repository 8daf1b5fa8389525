import { drain, finishedRecords, finishTimes, followTarget, maxOf, publishEvent, runName, settle, sleep, type Pipeline } from './pipeline';
import type { LatencyRun } from './results';
import type { PipelineWorkload } from './workloads';

/**
 * Publishing stops early once this many seconds of the rate's records are on their way (more than a record's usual
 * latency, a command's retry included): the pipeline cannot keep up, and from then on latency only measures the queue.
 */
const SATURATION_BACKLOG_SECONDS = 5;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const percentiles = (sorted: readonly number[]) => ({
  p50: percentile(sorted, 50),
  p95: percentile(sorted, 95),
  p99: percentile(sorted, 99),
  max: sorted.at(-1) ?? 0,
});

/**
 * Publishes `rate` events a second for `seconds`, each at its due time, and measures every record from its publish
 * to its last confirmed write in the target sandbox. Junction's own time is that less the sandbox's mean handling
 * time per record (every logged call's duration, summed, per record).
 */
export async function measureLatency(pipeline: Pipeline, workload: PipelineWorkload, rate: number, seconds: number): Promise<LatencyRun> {
  await settle(pipeline);
  await workload.resetTarget();
  const run = runName();
  const tail = await followTarget(workload);
  const finishedSoFar = finishedRecords(workload, tail);
  const count = Math.max(1, Math.round(rate * seconds));
  const publishedAt: number[] = [];
  const publishes: Promise<void>[] = [];
  const start = Date.now() + 50;
  let saturated = false;
  try {
    for (let index = 0; index < count && !saturated; index++) {
      const wait = start + (index * 1000) / rate - Date.now();
      if (wait > 0) await sleep(wait);
      saturated = index - finishedSoFar() > rate * SATURATION_BACKLOG_SECONDS;
      if (saturated) break;
      publishedAt[index] = Date.now();
      publishes.push(publishEvent(pipeline.bus, workload.event(run, index)));
    }
    await Promise.all(publishes);
    await drain(workload, finishedSoFar, publishes.length);
  } finally {
    await tail.stop();
  }

  const calls = await tail.all();
  const finished = await finishTimes(workload, calls);
  const sandboxMsPerRecord = calls.reduce((sum, call) => sum + call.durationMs, 0) / finished.size;
  const endToEnd = [...finished].map(([index, at]) => at - publishedAt[index]).sort((a, b) => a - b);
  return {
    integration: workload.integration,
    unit: workload.unit,
    ratePerSecond: rate,
    events: publishes.length,
    publishingSeconds: ((publishedAt.at(-1) ?? start) - start) / 1000,
    saturated,
    finishedPerSecond: finished.size / ((maxOf(finished.values()) - start) / 1000),
    junctionMs: percentiles(endToEnd.map((ms) => ms - sandboxMsPerRecord)),
    endToEndMs: percentiles(endToEnd),
    sandboxMsPerRecord,
  };
}
