import type { Run, SyncStarted } from '@junction/console';
import { progressBar } from '../output';
import { UsageError } from '../settings';
import { printJson, type CommandContext, type ExitCode } from './context';
import { findIntegration } from './resolve';
import { fetchRuns } from './runs';

const POLL_MS = 1_000;

const streamKey = (stream: { connector: string; connectionId: string; stream: string }) =>
  `${stream.connector}:${stream.connectionId}:${stream.stream}`;

/**
 * `sync <integration> [--wait]`: "Sync now". With --wait it follows this request's runs (new ones, or those already
 * going that it joined) with a progress bar until all have ended; 1 when one failed or the wait timed out.
 */
export async function sync(
  context: CommandContext,
  idOrName: string | undefined,
  options: { wait: boolean; timeoutSeconds: number },
): Promise<ExitCode> {
  if (!idOrName) throw new UsageError('name the integration (id or name)');
  const { api, io } = context;
  const integration = await findIntegration(api, idOrName);
  const before = new Set((await fetchRuns(context, integration.id, 200)).runs.map((run) => run.runId));
  const started = await api.send<SyncStarted>('POST', `/v1/integrations/${integration.id}/sync`);
  if (!options.wait) {
    if (context.json) printJson(context.io, started);
    else io.out(`sync requested for ${started.streams.map((stream) => `${stream.connector}.${stream.stream}`).join(', ')}`);
    return 0;
  }
  if (!context.json) io.err(`syncing ${integration.name}…`);
  const joined = new Set(started.running.map((run) => run.runId));
  const wanted = new Set(started.streams.map(streamKey));
  const deadline = Date.now() + options.timeoutSeconds * 1_000;
  const progress = new ProgressDisplay(context);
  for (;;) {
    const runs = (await fetchRuns(context, integration.id, 200)).runs.filter(
      (run) => wanted.has(streamKey(run)) && (!before.has(run.runId) || joined.has(run.runId)),
    );
    // The newest run of each stream is the one this request started or joined.
    const mine = [...wanted].flatMap((key) => runs.filter((run) => streamKey(run) === key).slice(0, 1));
    progress.show(mine);
    if (mine.length === wanted.size && mine.every((run) => run.state !== 'running')) {
      progress.done();
      if (context.json) printJson(io, { runs: mine });
      return mine.every((run) => run.state === 'succeeded') ? 0 : 1;
    }
    if (Date.now() > deadline) {
      progress.done();
      io.err(`gave up waiting after ${options.timeoutSeconds}s; the runs go on (junction runs ${integration.id})`);
      return 1;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** One line per run: redrawn in place on a terminal, printed when it changes otherwise (logs, CI). */
class ProgressDisplay {
  private drawn = 0;
  private lastLines = new Map<string, string>();

  constructor(private readonly context: CommandContext) {}

  show(runs: Run[]): void {
    if (this.context.json) return;
    const lines = runs.map((run) => {
      const counts = `${run.counts.created} created, ${run.counts.updated} updated, ${run.counts.failed} failed`;
      return `${`${run.connector}.${run.stream}`.padEnd(24)} ${progressBar(run.progress)} ${run.state} · ${counts}${run.error ? ` · ${run.error.message}` : ''}`;
    });
    const { io } = this.context;
    if (io.interactive) {
      // Move up over the previous drawing and clear each line before writing it again.
      const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
      io.err(`${up}${lines.map((line) => `\x1b[2K${line}`).join('\n')}`);
      this.drawn = lines.length;
      return;
    }
    runs.forEach((run, index) => {
      if (this.lastLines.get(run.runId) !== lines[index]) io.err(lines[index]);
      this.lastLines.set(run.runId, lines[index]);
    });
  }

  done(): void {
    this.drawn = 0;
  }
}
