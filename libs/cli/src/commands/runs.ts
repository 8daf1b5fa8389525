import { progressText, type Runs } from '@junction/console';
import { table } from '../output';
import { UsageError } from '../settings';
import { printJson, type CommandContext, type ExitCode } from './context';
import { findIntegration } from './resolve';

export function fetchRuns(context: CommandContext, integrationId: string, limit = 50): Promise<Runs> {
  return context.api.get<Runs>(`/v1/integrations/${integrationId}/runs?limit=${limit}`);
}

/** `runs <integration>`: the runs newest first, the last sync time, and what waits or failed. */
export async function showRuns(context: CommandContext, idOrName: string | undefined, limit?: number): Promise<ExitCode> {
  if (!idOrName) throw new UsageError('name the integration (id or name)');
  const integration = await findIntegration(context.api, idOrName);
  const runs = await fetchRuns(context, integration.id, limit);
  if (context.json) {
    printJson(context.io, runs);
    return 0;
  }
  const { io } = context;
  io.out(`${integration.name}: last sync time ${runs.lastSyncTime?.display ?? 'never'} (${runs.timeZone})`);
  io.out(table(
    ['STREAM', 'STATE', 'REASON', 'PROGRESS', 'CREATED', 'UPDATED', 'SKIPPED', 'FAILED', 'STARTED', 'FINISHED', 'TRACE', 'ERROR'],
    runs.runs.map((run) => [
      `${run.connector}.${run.stream}`, run.state, run.reason, progressText(run.progress), run.counts.created, run.counts.updated,
      run.counts.skipped, run.counts.failed, run.startedAt.display, run.finishedAt?.display, run.traceId, run.error?.message,
    ]),
  ));
  if (runs.waiting.length > 0) {
    io.out(`\n${runs.waiting.length} waiting:`);
    io.out(table(['SUBJECT', 'SINCE', 'REASON'], runs.waiting.map((w) => [w.subject, w.since.display, w.reason])));
  }
  if (runs.failures.length > 0) {
    io.out(`\n${runs.failures.length} failed writes (replay with junction dlq replay):`);
    io.out(table(['RECORD', 'FAILED AT', 'ERROR'], runs.failures.map((f) => [f.sourceKey, f.failedAt.display, f.error.message])));
  }
  return 0;
}
