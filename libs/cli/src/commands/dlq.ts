import { deadLettersOf, integrationOf, type DeadLetter } from '@junction/console';
import { ApiError } from '../client';
import { table } from '../output';
import { UsageError } from '../settings';
import { printJson, type CommandContext, type ExitCode } from './context';
import { findIntegration } from './resolve';

/** `dlq list [--integration i] [--subject s] [--limit n]`: dead letters, oldest first. */
export async function listDeadLetters(
  context: CommandContext,
  options: { integration?: string; subject?: string; limit?: number },
): Promise<ExitCode> {
  const query = new URLSearchParams({ limit: String(options.limit ?? 500) });
  if (options.subject) query.set('subject', options.subject);
  let { deadLetters } = await context.api.get<{ deadLetters: DeadLetter[] }>(`/v1/dead-letters?${query}`);
  if (options.integration) deadLetters = deadLettersOf((await findIntegration(context.api, options.integration)).id, deadLetters);
  if (context.json) printJson(context.io, { deadLetters });
  else {
    context.io.out(table(
      ['SEQ', 'SUBJECT', 'FAILED AT', 'DELIVERIES', 'INTEGRATION', 'REASON'],
      deadLetters.map((letter) => [letter.seq, letter.originalSubject, letter.failedAt, letter.deliveries, integrationOf(letter), letter.reason]),
    ));
  }
  return 0;
}

/** `dlq replay <seq>...`: republishes each to its original subject; 1 when one could not be replayed. */
export async function replayDeadLetters(context: CommandContext, seqs: string[]): Promise<ExitCode> {
  if (seqs.length === 0 || seqs.some((seq) => !/^\d+$/.test(seq))) throw new UsageError('name the dead letters by their sequence numbers');
  const results: Array<{ seq: number; replayedAs?: number; error?: string }> = [];
  for (const seq of seqs.map(Number)) {
    try {
      const { seq: replayedAs } = await context.api.send<{ seq: number }>('POST', `/v1/dead-letters/${seq}/replay`);
      results.push({ seq, replayedAs });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      results.push({ seq, error: error.body.message ?? error.body.error });
    }
  }
  if (context.json) printJson(context.io, { results });
  else for (const result of results) {
    if (result.error) context.io.err(`dead letter ${result.seq}: ${result.error}`);
    else context.io.out(`dead letter ${result.seq} replayed (stream sequence ${result.replayedAs})`);
  }
  return results.every((result) => !result.error) ? 0 : 1;
}
