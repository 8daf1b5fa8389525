import { Bus } from '@junction/messaging';
import type { RunSummary } from '@junction/e2e/test/stack';
import { patientApi, type ControlApi } from './control-api';
import { listDeadLetters, replayDeadLetters, type DeadLetterSummary } from './dead-letters';
import { planDisruptions, runDisruptions } from './disruptions';
import { startChaosJunction } from './junction';
import { SeededRandom } from './random';
import { Redelivery } from './redelivery';
import type { ChaosReport } from './report';
import type { ChaosSize } from './sizes';
import { VendorFaults } from './vendor-faults';
import { ShopOrders } from './workloads/shop-orders';
import { WonDeals } from './workloads/won-deals';
import type { TallyRow, Workload } from './workloads/workload';
import { ZzapOrders } from './workloads/zzap-orders';

const DRIVE_EVERY_MS = 4_000;
/** Nothing pending, no run going and no change in the vendors for this long: nothing will move any more. */
const STALLED_AFTER_MS = 30_000;
/** Nothing pending and no change in the vendors for this long, with dead letters there: they are what the rest waits on. */
const WAITS_ON_DEAD_LETTERS_AFTER_MS = 10_000;
/** Dead letters replayed again when a replay ends in new ones. */
const REPLAY_ROUNDS = 3;
/** Longest delay of a redelivered copy. */
const REDELIVERY_DELAY_MS = 5_000;

export type Log = (line: string) => void;

/**
 * The chaos run: a whole Junction of processes syncs the workloads of all three integrations while services are
 * SIGKILLed, the vendors fail, nats-server and Postgres restart and every event arrives twice. Then the chaos stops,
 * the sync completes, the dead letters are replayed, and both sides of every integration are compared with the inputs.
 */
export async function runChaos(size: ChaosSize, seed: number, log: Log): Promise<ChaosReport> {
  const startedAt = new Date();
  const random = new SeededRandom(seed);
  log(`chaos run, size ${size.name}, seed ${seed}`);
  const junction = await startChaosJunction();
  const stopping = new AbortController();
  let bus: Bus | undefined;
  let redelivery: Redelivery | undefined;
  let driving: Promise<void> | undefined;
  try {
    const { stack } = junction;
    const api = patientApi(stack);
    const workloads: Workload[] = [
      new ShopOrders(stack, api, size.shopOrders),
      new WonDeals(stack, api, random, size),
      new ZzapOrders(stack, api, random, size, log),
    ];
    for (const workload of workloads) await workload.setUp();
    log(`Junction and the workloads are set up; service logs in reports/e2e-logs/${stack.namespace}-*.log`);

    const chaosBus = await Bus.connect({ servers: junction.nats.url, name: 'chaos', namespace: stack.namespace });
    bus = chaosBus;
    const copies = await Redelivery.start(chaosBus, random, REDELIVERY_DELAY_MS);
    redelivery = copies;
    const faults = new VendorFaults(stack.sandboxes, size, seed);
    await faults.switchOn();
    driving = keepDriving(workloads, stopping.signal, log);
    const disruptions = await runDisruptions(junction, planDisruptions(random, size.kills), random, size.pauseMs, log);
    const injected = await faults.switchOff();
    log('chaos over: vendor faults off, no more kills; waiting for the sync to complete');

    const settleNow = () => settle(workloads, api, chaosBus, copies, size, log);
    let settled = await settleNow();
    // What is left waits on dead letters: the user reads why, fixes the causes and replays them.
    const deadLetters: DeadLetterSummary[] = [];
    for (let round = 1; round <= REPLAY_ROUNDS; round++) {
      const waiting = await listDeadLetters(api, workloads);
      if (waiting.length === 0) break;
      deadLetters.push(...waiting);
      for (const workload of workloads) await workload.repair?.();
      log(`${waiting.length} dead letters (${[...new Set(waiting.map((letter) => letter.reason))].join('; ')}); replaying them`);
      await replayDeadLetters(api, waiting);
      settled = await settleNow();
    }
    const left = await listDeadLetters(api, workloads);
    if (left.length > 0) log(`${left.length} dead letters after replaying: ${left.map((letter) => `${letter.subject}: ${letter.reason}`).join('; ')}`);

    return {
      size: size.name,
      seed,
      startedAt: startedAt.toISOString(),
      durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
      rows: withDeadLetters(settled.rows, deadLetters),
      complete: settled.complete,
      disruptions,
      faults: injected,
      redelivery: copies.counts,
      deadLetters,
      deadLettersLeft: left,
    };
  } finally {
    stopping.abort();
    await driving;
    await redelivery?.stop();
    await bus?.close();
    await junction.close();
  }
}

/** Presses every integration's Sync and lets the workloads make their changes, every few seconds until stopped. */
async function keepDriving(workloads: Workload[], signal: AbortSignal, log: Log): Promise<void> {
  while (!signal.aborted) {
    for (const workload of workloads) {
      await workload.drive().catch((error) => log(`${workload.integration}: ${(error as Error).message}`));
    }
    await new Promise((resolve) => setTimeout(resolve, DRIVE_EVERY_MS));
  }
}

interface Settled {
  rows: TallyRow[];
  /** Every change made, every record in place, nothing pending. */
  complete: boolean;
}

/**
 * Waits until every workload's changes are made and found in the vendors, and no message waits in a consumer; or
 * until nothing moves while dead letters wait, or nothing moves at all, or the time is up.
 */
async function settle(workloads: Workload[], api: ControlApi, bus: Bus, redelivery: Redelivery, size: ChaosSize, log: Log): Promise<Settled> {
  const deadline = Date.now() + size.settleMs;
  let last = '';
  let movedAt = Date.now();
  let quietPolls = 0;
  for (;;) {
    const rows = (await Promise.all(workloads.map((workload) => workload.tally()))).flat();
    const pending = (await pendingMessages(bus)) + (redelivery.copying ? 1 : 0);
    const shape = JSON.stringify(rows.map(({ present, missing, duplicated, wrong }) => [present, missing, duplicated, wrong]));
    if (shape !== last) {
      last = shape;
      movedAt = Date.now();
      log(`${pending} messages pending; ${summary(rows)}`);
    }
    const complete = workloads.every((workload) => workload.changesMade()) && rows.every((row) => row.missing === 0 && row.wrong === 0);
    quietPolls = complete && pending === 0 ? quietPolls + 1 : 0;
    // Twice in a row, so a copy or retry still on its way shows as a duplicate now rather than after the report.
    if (quietPolls >= 2) return { rows, complete: true };
    const stillFor = pending === 0 ? Date.now() - movedAt : 0;
    if (stillFor > WAITS_ON_DEAD_LETTERS_AFTER_MS && (await listDeadLetters(api, workloads)).length > 0) {
      log('the rest waits on dead letters');
      return { rows, complete };
    }
    // A complete state that has just gone quiet is waited out for its second quiet poll, not reported as stalled.
    if (!complete && stillFor > STALLED_AFTER_MS && !(await runsGoing(workloads, api))) {
      log('nothing moves any more');
      return { rows, complete: false };
    }
    if (Date.now() > deadline) {
      log(`not complete within ${size.settleMs / 1000} s (${pending} messages pending)`);
      return { rows, complete: false };
    }
    await new Promise((resolve) => setTimeout(resolve, size.pollMs));
  }
}

/** Whether a sync run of any of the integrations is still going. */
async function runsGoing(workloads: Workload[], api: ControlApi): Promise<boolean> {
  for (const { integrationId } of workloads) {
    const { runs } = await api<{ runs: RunSummary[] }>('GET', `/v1/integrations/${integrationId}/runs?limit=20`);
    if (runs.some((run) => run.state === 'running')) return true;
  }
  return false;
}

/** Messages not yet handled by the stack's consumers (Infinity while nats-server is unreachable). */
async function pendingMessages(bus: Bus): Promise<number> {
  try {
    const unsettled = await bus.unsettledConsumers();
    return unsettled.reduce((sum, consumer) => sum + consumer.pending + consumer.ackPending, 0);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** The rows still short of their expected state, or "all in place". */
function summary(rows: TallyRow[]): string {
  const short = rows.filter((row) => row.missing + row.duplicated + row.wrong > 0);
  if (short.length === 0) return 'all in place';
  return short.map((row) => `${row.integration} / ${row.entity} ${row.present}/${row.expected} (${row.examples.join('; ')})`).join(', ');
}

/** The rows with their dead letters counted, and a row of their own for dead letters of no workload. */
function withDeadLetters(rows: TallyRow[], letters: DeadLetterSummary[]): TallyRow[] {
  const counted = rows.map((row) => ({ ...row, deadLettered: letters.filter((letter) => letter.row === `${row.integration} / ${row.entity}`).length }));
  const unattributed = letters.filter((letter) => letter.row === 'unattributed').length;
  if (unattributed === 0) return counted;
  return [...counted, { integration: 'unattributed', entity: '-', expected: 0, present: 0, missing: 0, duplicated: 0, wrong: 0, deadLettered: unattributed, examples: [] }];
}
