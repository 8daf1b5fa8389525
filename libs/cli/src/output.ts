import { progressFraction, progressText, type Progress } from '@junction/console';

/** Where a command writes: stdout for results, stderr for progress and problems. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal: the progress bar redraws in place. */
  interactive: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

/** Columns padded to their widest cell; the last column is not padded. */
export function table(headers: string[], rows: Array<Array<string | number | undefined | null>>): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => (cell === undefined || cell === null ? '' : String(cell))))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column]?.length ?? 0)));
  return cells
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join('  '))
    .join('\n');
}

/** `label  value` lines, the labels padded to the widest; a field without a value is left out. */
export function fields(rows: Array<[string, string | number | undefined | null]>): string {
  const shown = rows.filter(([, value]) => value !== undefined && value !== null && value !== '');
  const width = Math.max(0, ...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}

/** `[#########-----------]  45 / 100 (45%)`; while the total is unknown, a bar of dots and the count done. */
export function progressBar(progress: Progress, width = 24): string {
  const fraction = progressFraction(progress);
  const bar = fraction === undefined ? '.'.repeat(width) : '#'.repeat(Math.round(fraction * width)).padEnd(width, '-');
  return `[${bar}] ${progressText(progress)}`;
}
