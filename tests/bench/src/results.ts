import { z } from 'zod';
import { BenchOptions } from './options';

// The shape of bench/results.json: what `npm run bench` measured, and what the CI smoke run checks.

const Percentiles = z.object({ p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() });

export const ThroughputRun = z.object({
  integration: z.string(),
  /** What one record is: orders, won deals. */
  unit: z.string(),
  recordsPerSecond: z.number(),
  /** Records whose last write finished inside the measured window. */
  records: z.number(),
  windowSeconds: z.number(),
  /** Source events published in the whole run (all of them written before the run ended). */
  published: z.number(),
  vendorCallsPerRecord: z.number(),
  /** Target calls per record by method and path (ids as `:id`). */
  vendorCallsPerRecordByEndpoint: z.record(z.string(), z.number()),
  /** Target calls answered 4xx or 5xx, except 404: a natural-key lookup that found nothing answers 404 at some vendors. */
  rejectedVendorCalls: z.number(),
  cpu: z.object({
    /** Share of all the machine's cores busy in the window, whoever used them. */
    machineBusyShare: z.number(),
    /** Per service process, and `bench` (this process: the sandboxes, the publisher and the log readers). */
    processes: z.record(z.string(), z.object({ coresUsed: z.number(), msPerRecord: z.number() })),
    /** Postgres (postmaster and every backend) and nats-server, where they run on this machine; others' use included. */
    servers: z.record(z.string(), z.object({ coresUsed: z.number(), msPerRecord: z.number() })),
  }),
});
export type ThroughputRun = z.infer<typeof ThroughputRun>;

export const LatencyRun = z.object({
  integration: z.string(),
  unit: z.string(),
  ratePerSecond: z.number(),
  /** Events published (and all of them written). */
  events: z.number(),
  publishingSeconds: z.number(),
  /** Publishing stopped early: the pipeline fell seconds behind the rate. */
  saturated: z.boolean(),
  finishedPerSecond: z.number(),
  /** From publish to the last confirmed write, less the sandbox's mean handling time per record. */
  junctionMs: Percentiles,
  endToEndMs: Percentiles,
  sandboxMsPerRecord: z.number(),
});
export type LatencyRun = z.infer<typeof LatencyRun>;

export const BackfillRun = z.object({
  integration: z.string(),
  records: z.number(),
  /** Both vendors' limits and the connectors' pacing ran this many times faster than documented. */
  scale: z.number(),
  totalSeconds: z.number(),
  /** The slower vendor's accepted calls at its allowed rate. */
  boundSeconds: z.number(),
  ratioToBound: z.number(),
  bottleneck: z.string(),
  vendors: z.array(
    z.object({
      vendor: z.string(),
      calls: z.number(),
      callsPerRecord: z.number(),
      /** Refusals by the vendor's rate limit (429, or RetailCRM's 503). */
      rateLimited: z.number(),
      /** When each refusal came, in seconds from the sync request (the first 100). */
      rateLimitedAtSeconds: z.array(z.number()),
      allowedPerSecond: z.number(),
      boundSeconds: z.number(),
      /**
       * How late the sandbox process's event loop ran during the run (p99 and max, ms). The sandbox counts a call when
       * its handler runs: a stall bunches the calls that arrived meanwhile, and a vendor counting a window can then
       * see more than Junction sent in any window of that length.
       */
      eventLoopDelayMs: z.object({ p99: z.number(), max: z.number() }),
    }),
  ),
  batchEndpoint: z.object({ vendor: z.string(), path: z.string(), used: z.boolean() }).nullable(),
});
export type BackfillRun = z.infer<typeof BackfillRun>;

export const GrowthRun = z.object({
  integration: z.string(),
  /** Rows in the target connector's ID map during the run (filler plus what earlier runs wrote). */
  idMapRows: z.number(),
  recordsPerSecond: z.number(),
  /** Rate against the first throughput run of the integration: -0.1 is 10 % slower. Null without that run. */
  changeFromFirstRun: z.number().nullable(),
  /**
   * CPU ms per record of the service processes (the bench's own left out), the cost itself: on a shared machine the
   * rate also moves with what others run, the CPU a record costs much less.
   */
  serviceCpuMsPerRecord: z.number(),
  cpuChangeFromFirstRun: z.number().nullable(),
});
export type GrowthRun = z.infer<typeof GrowthRun>;

export const ProfileSummary = z.object({
  service: z.string(),
  file: z.string(),
  /** Sampled time that was not idle. */
  busySeconds: z.number(),
  topFunctions: z.array(z.object({ function: z.string(), location: z.string(), selfMs: z.number(), share: z.number() })),
  topModules: z.array(z.object({ module: z.string(), selfMs: z.number(), share: z.number() })),
});
export type ProfileSummary = z.infer<typeof ProfileSummary>;

export const BenchResults = z.object({
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  machine: z.object({
    cores: z.number(),
    model: z.string(),
    node: z.string(),
    loadAverageAtStart: z.array(z.number()),
    loadAverageAtEnd: z.array(z.number()),
  }),
  options: BenchOptions,
  throughput: z.array(ThroughputRun),
  latency: z.array(LatencyRun),
  backfill: z.array(BackfillRun),
  growth: z.array(GrowthRun),
  memory: z.object({
    /** Peak RSS (VmHWM) in MB of each service's own process, per stack of processes. */
    stacks: z.array(z.object({ stack: z.string(), peakRssMb: z.record(z.string(), z.number()) })),
    allInOne: z.object({ peakRssMb: z.number(), throughput: z.array(ThroughputRun) }).nullable(),
  }),
  /** Where the two busiest service processes spent their CPU over a throughput run of each integration under the profiler. */
  profile: z
    .object({
      /** The profiled runs themselves: the profiler slows the services. */
      throughput: z.array(ThroughputRun),
      cpuSecondsByService: z.record(z.string(), z.number()),
      busiest: z.array(ProfileSummary),
    })
    .nullable(),
});
export type BenchResults = z.infer<typeof BenchResults>;
