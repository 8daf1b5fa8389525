import { randomBytes } from 'node:crypto';
import { parseEvent } from '@junction/contracts';
import type { Bus } from '@junction/messaging';
import { vacuumAndAnalyze } from './autovacuum';
import { RequestTail, succeeded, type VendorCall } from './request-tail';
import type { PipelineWorkload, SourceEvent } from './workloads';

/** A running Junction the bench drives: its bus, and the service processes it accounts CPU and memory to. */
export interface Pipeline {
  bus: Bus;
  /** Process id by label (a service name, or `all-in-one`). */
  processes: Record<string, number>;
  /** The servers it uses, where they run on this machine: `postgres` (the postmaster) and `nats-server`. */
  servers: Record<string, number>;
  /** The Postgres schemas of its services. */
  schemas: readonly string[];
}

/** The largest value; a spread (`Math.max(...values)`) overflows the call stack at a backfill's 450,000 calls. */
export function maxOf(values: Iterable<number>): number {
  let max = -Infinity;
  for (const value of values) if (value > max) max = value;
  return max;
}

/** A run's own name: every key of its records carries it. */
export function runName(): string {
  return `r${randomBytes(3).toString('hex')}`;
}

/** Publishes a source event after checking it against its contract, as any outside publisher should. */
export async function publishEvent(bus: Bus, event: SourceEvent): Promise<void> {
  await bus.publish(event.subject, parseEvent(event.subject, event.envelope));
}

/** Counts the records the workload has finished in the target, as far as the tail has read its log. */
export function finishedRecords(workload: PipelineWorkload, tail: RequestTail): () => number {
  const writes = tail.counter((call) => workload.isRecordWrite(call) && succeeded(call));
  return () => Math.floor(writes() / workload.writesPerRecord);
}

/** Follows the target sandbox's log from the start of a run (the target was just reset). */
export function followTarget(workload: PipelineWorkload): Promise<RequestTail> {
  return RequestTail.follow(workload.integration, workload.target.control);
}

/** The finishing write's time of each record written, by source record index (a deal's last estimate). */
export async function finishTimes(workload: PipelineWorkload, calls: readonly VendorCall[]): Promise<Map<number, number>> {
  const writes = calls.filter((call) => workload.isRecordWrite(call) && succeeded(call));
  const indexes = await workload.writtenIndexes();
  // The sandbox stores a record and logs its call in the same turn, so the n-th logged write is the n-th stored record.
  if (indexes.length !== writes.length) {
    throw new Error(`${workload.integration}: ${writes.length} writes logged but ${indexes.length} records stored`);
  }
  const finished = new Map<number, { writes: number; at: number }>();
  writes.forEach((write, position) => {
    const seen = finished.get(indexes[position]) ?? { writes: 0, at: 0 };
    finished.set(indexes[position], { writes: seen.writes + 1, at: Math.max(seen.at, write.finishedMs) });
  });
  return new Map([...finished].filter(([, record]) => record.writes >= workload.writesPerRecord).map(([index, record]) => [index, record.at]));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How long the records published may take to be written once publishing stopped. */
const DRAIN_TIMEOUT_MS = 300_000;

/** Waits until every published record is written, so the next run starts with nothing of this one on its way. */
export async function drain(workload: PipelineWorkload, finished: () => number, published: number): Promise<void> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (finished() < published) {
    if (Date.now() > deadline) {
      throw new Error(`${workload.integration}: ${finished()} of ${published} records written ${DRAIN_TIMEOUT_MS / 1000} s after publishing stopped`);
    }
    await sleep(200);
  }
}

/** How long the stack's consumers may take to work off what earlier runs left them. */
const SETTLE_TIMEOUT_MS = 300_000;

/**
 * Readies the stack for the next run: waits until no consumer has work left, two looks in a row (a handler publishes
 * its follow-up before it acks, and one look reads the consumers one after another), then vacuums and analyzes the
 * tables autovacuum would (`vacuumAndAnalyze`), so no run starts on a table autovacuum would have seen to. A run's
 * records are written before every consumer is done with them (mapping projects each record.written), and what is
 * left would slow the next run.
 */
export async function settle(pipeline: Pipeline): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (let idleLooks = 0; idleLooks < 2; ) {
    const busy = await pipeline.bus.unsettledConsumers();
    idleLooks = busy.length === 0 ? idleLooks + 1 : 0;
    if (busy.length > 0 && Date.now() > deadline) {
      const named = busy.map(({ stream, durable, pending, ackPending }) => `${stream}/${durable} (${pending} pending, ${ackPending} unacknowledged)`);
      throw new Error(`consumers still busy ${SETTLE_TIMEOUT_MS / 1000} s after the last run: ${named.join(', ')}`);
    }
    await sleep(200);
  }
  await vacuumAndAnalyze(pipeline.schemas);
}
