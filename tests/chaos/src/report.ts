import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DeadLetterSummary } from './dead-letters';
import type { DisruptionCounts } from './disruptions';
import type { RedeliveryCounts } from './redelivery';
import type { FaultCounts } from './vendor-faults';
import type { TallyRow } from './workloads/workload';

export interface ChaosReport {
  size: string;
  seed: number;
  startedAt: string;
  durationSeconds: number;
  /** The final state (after the dead letters were replayed), one row per integration and entity. */
  rows: TallyRow[];
  /** Every change made and every record in place with nothing pending, before the time was up. */
  complete: boolean;
  disruptions: DisruptionCounts;
  /** Faults each sandbox injected, by kind. */
  faults: Record<string, FaultCounts>;
  redelivery: RedeliveryCounts;
  /** The dead letters found once the chaos stopped, each replayed once its cause was fixed. */
  deadLetters: DeadLetterSummary[];
  /** Dead letters still there at the end: a replay that did not complete the sync. */
  deadLettersLeft: DeadLetterSummary[];
}

export const REPORT_PATH = join(__dirname, '..', '..', '..', 'reports', 'chaos', 'latest.json');

export function writeReport(report: ChaosReport, path = REPORT_PATH): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

const COLUMNS = ['expected', 'present', 'missing', 'duplicated', 'wrong', 'deadLettered'] as const;

/** The table: one line per integration and entity, then the kills, restarts, faults and redeliveries behind it. */
export function formatReport(report: ChaosReport): string {
  const header = ['integration / entity', ...COLUMNS.map((column) => (column === 'deadLettered' ? 'dead-lettered' : column))];
  const lines = report.rows.map((row) => [`${row.integration} / ${row.entity}`, ...COLUMNS.map((column) => String(row[column]))]);
  const widths = header.map((title, index) => Math.max(title.length, ...lines.map((line) => line[index].length)));
  const format = (cells: string[]) => cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[0]) : cell.padStart(widths[index]))).join('  ');
  const faultKinds = new Map<string, number>();
  for (const counts of Object.values(report.faults)) {
    for (const [kind, count] of Object.entries(counts)) faultKinds.set(kind, (faultKinds.get(kind) ?? 0) + count);
  }
  const faultTotal = [...faultKinds.values()].reduce((sum, count) => sum + count, 0);
  const { disruptions, redelivery } = report;
  const killed = Object.entries(disruptions.killsByService).map(([service, count]) => `${service} ${count}`).join(', ');
  return [
    `chaos run (${report.size}, seed ${report.seed}), ${report.durationSeconds} s${report.complete ? '' : ', NOT COMPLETE'}`,
    format(header),
    ...lines.map(format),
    `kills: ${disruptions.kills} (${killed}); nats-server restarts: ${disruptions.natsRestarts}; Postgres restarts: ${disruptions.postgresRestarts}`,
    `faults injected: ${faultTotal} (${[...faultKinds].map(([kind, count]) => `${kind} ${count}`).join(', ')})`,
    `events delivered twice: ${redelivery.events} (same Nats-Msg-Id dropped ${redelivery.sameIdDropped} / stored ${redelivery.sameIdStored}, ` +
      `new Nats-Msg-Id ${redelivery.newMsgId}, new envelope id ${redelivery.newEnvelopeId})`,
    `dead letters replayed: ${report.deadLetters.length}, left: ${report.deadLettersLeft.length}`,
    ...report.deadLetters.map((letter) => `  ${letter.row}: ${letter.subject} (${letter.consumer}): ${letter.reason}`),
    '',
  ].join('\n');
}
