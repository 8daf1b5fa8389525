import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const PHASES = ['throughput', 'latency', 'growth', 'backfill', 'all-in-one'] as const;
const SIZES = ['smoke', 'default', 'full'] as const;
type Size = (typeof SIZES)[number];

export const BenchOptions = z.object({
  size: z.enum(SIZES),
  phases: z.array(z.enum(PHASES)).min(1),
  /** Measured window of each throughput run (after a warm-up of a fifth of it, at most 10 s). */
  throughputSeconds: z.number().positive(),
  latencyRate: z.number().positive(),
  latencySeconds: z.number().positive(),
  /** ID map sizes of the cost growth runs. */
  idMapRows: z.array(z.number().int().positive()).min(1),
  backfillOrders: z.number().int().positive().max(100_000),
  backfillOrdersScale: z.number().positive(),
  backfillZzapOrders: z.number().int().positive().max(100_000),
  backfillZzapScale: z.number().positive(),
  allInOneSeconds: z.number().positive(),
  /** VENDOR_RATE_LIMIT_SCALE of the pipeline runs: the connectors' own pacing far above anything they reach. */
  pipelineScale: z.number().positive(),
  /** COMMAND_CONCURRENCY of every connector, and EVENT_CONCURRENCY of mapping. */
  commandConcurrency: z.number().int().positive(),
  /** CPU-profile the pipeline's service processes (`--cpu-prof`). */
  profile: z.boolean(),
  out: z.string().min(1),
});
export type BenchOptions = z.infer<typeof BenchOptions>;

type Sized = Pick<
  BenchOptions,
  | 'throughputSeconds'
  | 'latencyRate'
  | 'latencySeconds'
  | 'idMapRows'
  | 'backfillOrders'
  | 'backfillOrdersScale'
  | 'backfillZzapOrders'
  | 'backfillZzapScale'
  | 'allInOneSeconds'
  | 'commandConcurrency'
>;

/**
 * smoke: every measurement for a second or so, so CI notices when the bench breaks. default: the durations,
 * with backfills of a few minutes, scaled so that the vendors, not Junction, stay the slower side on a loaded 2-core
 * machine. full: the backfill sizes (100,000 and 20,000 orders; about two hours).
 */
const SIZED: Record<Size, Sized> = {
  smoke: {
    throughputSeconds: 1,
    latencyRate: 20,
    latencySeconds: 1,
    idMapRows: [2_000],
    backfillOrders: 20,
    backfillOrdersScale: 100,
    backfillZzapOrders: 10,
    backfillZzapScale: 10,
    allInOneSeconds: 1,
    // One command at a time keeps the smoke run light on a CI machine busy with other suites.
    commandConcurrency: 1,
  },
  default: {
    throughputSeconds: 60,
    latencyRate: 100,
    latencySeconds: 60,
    idMapRows: [10_000, 100_000, 1_000_000],
    backfillOrders: 1_000,
    backfillOrdersScale: 50,
    backfillZzapOrders: 1_000,
    // RetailCRM takes 50 orders an upload: even its documented limit outruns Junction here, so it is not scaled.
    backfillZzapScale: 1,
    allInOneSeconds: 30,
    commandConcurrency: 8,
  },
  full: {
    throughputSeconds: 60,
    latencyRate: 100,
    latencySeconds: 60,
    idMapRows: [10_000, 100_000, 1_000_000],
    backfillOrders: 100_000,
    backfillOrdersScale: 100,
    backfillZzapOrders: 20_000,
    backfillZzapScale: 1,
    allInOneSeconds: 30,
    commandConcurrency: 8,
  },
};

export const DEFAULT_RESULTS_FILE = join(__dirname, '..', '..', '..', 'bench', 'results.json');

const FLAGS = {
  size: 'size',
  phases: 'phases',
  seconds: 'throughputSeconds',
  'latency-rate': 'latencyRate',
  'latency-seconds': 'latencySeconds',
  'id-map-rows': 'idMapRows',
  'backfill-orders': 'backfillOrders',
  'backfill-orders-scale': 'backfillOrdersScale',
  'backfill-zzap-orders': 'backfillZzapOrders',
  'backfill-zzap-scale': 'backfillZzapScale',
  'all-in-one-seconds': 'allInOneSeconds',
  'pipeline-scale': 'pipelineScale',
  concurrency: 'commandConcurrency',
  out: 'out',
} as const;

const LISTS = new Set(['phases', 'idMapRows']);

/** npm runs the bench from its own directory; a relative path means one from where `npm run bench` was typed. */
const fromCallerDirectory = (path: string) => resolve(process.env.INIT_CWD ?? process.cwd(), path);

export const USAGE = `usage: npm run bench -- [--size smoke|default|full] [--phases ${PHASES.join(',')}] [--seconds N]
  [--latency-rate N] [--latency-seconds N] [--id-map-rows N,N,...] [--backfill-orders N] [--backfill-orders-scale N]
  [--backfill-zzap-orders N] [--backfill-zzap-scale N] [--all-in-one-seconds N] [--pipeline-scale N]
  [--concurrency N] [--no-profile] [--out FILE]`;

/** Options from the command line: a size's presets, then any flag given. Throws a ZodError or TypeError on bad input. */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const flags: Record<string, { type: 'string' | 'boolean' }> = {
    ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' }])),
    'no-profile': { type: 'boolean' },
  };
  const { values } = parseArgs({ args: argv, options: flags });
  const size = z.enum(SIZES).parse(values.size ?? 'default');
  const given: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(FLAGS)) {
    const text = values[flag];
    if (typeof text !== 'string') continue;
    const parts = text.split(',').map((part) => part.trim());
    const value = (part: string) => (key === 'size' || key === 'phases' ? part : key === 'out' ? fromCallerDirectory(part) : Number(part));
    given[key] = LISTS.has(key) ? parts.map(value) : value(text);
  }
  return BenchOptions.parse({
    phases: [...PHASES],
    pipelineScale: 1_000,
    out: DEFAULT_RESULTS_FILE,
    ...SIZED[size],
    ...given,
    size,
    profile: !values['no-profile'],
  });
}
