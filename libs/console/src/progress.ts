/** A run's progress as sync.run.updated reports it; `total` is absent while the source cannot tell. */
export interface Progress {
  done: number;
  total?: number | null;
}

/** Done as a share of total (0..1), or undefined while the total is unknown. */
export function progressFraction(progress: Progress): number | undefined {
  if (progress.total === undefined || progress.total === null) return undefined;
  if (progress.total <= 0) return 1;
  return Math.min(1, progress.done / progress.total);
}

/** "120 / 2000 (6%)", or "120" while the total is unknown. */
export function progressText(progress: Progress): string {
  const fraction = progressFraction(progress);
  if (fraction === undefined) return String(progress.done);
  return `${progress.done} / ${progress.total} (${Math.floor(fraction * 100)}%)`;
}
