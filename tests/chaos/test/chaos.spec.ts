import { randomInt } from 'node:crypto';
import { formatReport, REPORT_PATH, writeReport } from '../src/report';
import { runChaos } from '../src/run';
import { chaosSize } from '../src/sizes';

// The chaos run at CI size (CHAOS_SIZE=full is `npm run chaos`): every record of all three integrations arrives
// exactly once and as the inputs say, through SIGKILLed services, 5xx/429/slow/lost vendor answers, a nats-server and a
// Postgres restart and every event delivered twice. Whatever was dead-lettered says why, and its replay completes
// the sync. CHAOS_SEED repeats a run's choices.

const size = chaosSize(process.env.CHAOS_SIZE);
const seed = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : randomInt(2 ** 31);
const started = Date.now();
const log = (line: string) => process.stdout.write(`[chaos ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);

it(`loses nothing and writes nothing twice under chaos (size ${size.name}, seed ${seed})`, async () => {
  const report = await runChaos(size, seed, log);
  writeReport(report);
  process.stdout.write(`${formatReport(report)}(also in ${REPORT_PATH})\n`);

  expect(report.complete).toBe(true);
  for (const row of report.rows) {
    expect({ row: `${row.integration} / ${row.entity}`, missing: row.missing, duplicated: row.duplicated, wrong: row.wrong, examples: row.examples }).toEqual({
      row: `${row.integration} / ${row.entity}`,
      missing: 0,
      duplicated: 0,
      wrong: 0,
      examples: [],
    });
    expect(row.present).toBe(row.expected);
  }
  expect(report.rows.map((row) => row.integration)).not.toContain('unattributed');
  // The buyers' status changes met a revoked RetailCRM key: dead-lettered, and synced once the key was restored and they were replayed.
  expect(report.deadLetters.length).toBeGreaterThanOrEqual(size.statusChangesEachWay);
  for (const letter of report.deadLetters) expect({ reason: letter.reason, actionable: letter.actionable }).toEqual({ reason: letter.reason, actionable: true });
  expect(report.deadLettersLeft).toEqual([]);

  expect(report.disruptions).toMatchObject({ kills: size.kills, natsRestarts: 1, postgresRestarts: 1 });
  const injected = Object.values(report.faults).flatMap((counts) => Object.entries(counts).filter(([, count]) => count > 0).map(([kind]) => kind));
  expect(new Set(injected)).toEqual(new Set(['latency', 'error', 'rate-limit', 'lose-response']));
  expect(report.redelivery.events).toBeGreaterThan(size.shopOrders);
}, size.name === 'ci' ? 600_000 : 6 * 3_600_000);
