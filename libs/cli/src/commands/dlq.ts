import { deadLettersOf, integrationOf, type DeadLetter } from '@junction/console';
import { ApiError } from '../client';
import { fields, table } from '../output';
import { UsageError } from '../settings';
import { printJson, type CommandContext, type ExitCode } from './context';
import { findIntegration } from './resolve';

/** A dead letter as GET /v1/dead-letters/:seq answers: the listed fields and where it came from. */
interface DeadLetterDetail extends DeadLetter {
  stream: string;
  streamSeq: number;
  /** The original message's trace context. */
  headers: Record<string, string>;
}

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

/** `dlq show <seq>`: one dead letter whole, its payload pretty-printed; 1 when there is none. */
export async function showDeadLetter(context: CommandContext, args: string[]): Promise<ExitCode> {
  const [seq, ...rest] = sequences(args);
  if (rest.length > 0) throw new UsageError('show one dead letter at a time');
  let letter: DeadLetterDetail;
  try {
    letter = await context.api.get<DeadLetterDetail>(`/v1/dead-letters/${seq}`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    context.io.err(`dead letter ${seq}: ${problemOf(error)}`);
    return 1;
  }
  if (context.json) {
    printJson(context.io, letter);
    return 0;
  }
  context.io.out(`dead letter ${letter.seq}`);
  context.io.out(fields([
    ['subject', letter.originalSubject],
    ['reason', letter.reason],
    ['consumer', letter.consumer],
    ['from', `${letter.stream}, sequence ${letter.streamSeq}`],
    ['deliveries', letter.deliveries],
    ['failed at', letter.failedAt],
    ['message id', letter.msgId],
    ['integration', integrationOf(letter)],
    ...Object.entries(letter.headers),
  ]));
  context.io.out(`\npayload:\n${prettyPayload(letter.payload)}`);
  return 0;
}

/** `dlq replay <seq>...`: republishes each to its original subject; 1 when one could not be replayed. */
export async function replayDeadLetters(context: CommandContext, args: string[]): Promise<ExitCode> {
  const outcomes = await eachDeadLetter(args, async (seq) => {
    const { seq: replayedAs } = await context.api.send<{ seq: number }>('POST', `/v1/dead-letters/${seq}/replay`);
    return { replayedAs };
  });
  return report(context, outcomes, 'replayed', (outcome) => `replayed (stream sequence ${outcome.replayedAs})`);
}

/** `dlq discard <seq>...`: removes each from the dead letters for good, unreplayed; 1 when one was not there. */
export async function discardDeadLetters(context: CommandContext, args: string[]): Promise<ExitCode> {
  const outcomes = await eachDeadLetter(args, async (seq) => {
    await context.api.send('DELETE', `/v1/dead-letters/${seq}`);
    return { discarded: true };
  });
  return report(context, outcomes, 'discarded', () => 'discarded: removed from the dead letters without replaying it');
}

/** One dead letter's outcome: what the API answered, or why it refused. */
type Outcome<T> = { seq: number; error: string } | ({ seq: number; error?: undefined } & T);

function sequences(args: string[]): number[] {
  if (args.length === 0 || args.some((seq) => !/^\d+$/.test(seq))) throw new UsageError('name the dead letters by their sequence numbers');
  return args.map(Number);
}

/** Acts on each dead letter in turn; one the API refuses (e.g. gone already) is reported and the others go on. */
async function eachDeadLetter<T extends object>(args: string[], action: (seq: number) => Promise<T>): Promise<Array<Outcome<T>>> {
  const outcomes: Array<Outcome<T>> = [];
  for (const seq of sequences(args)) {
    try {
      outcomes.push({ seq, ...(await action(seq)) });
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      outcomes.push({ seq, error: problemOf(error) });
    }
  }
  return outcomes;
}

/** Prints the outcomes (`{ results }` with --json); 1 when one failed. */
function report<T extends object>(context: CommandContext, outcomes: Array<Outcome<T>>, verb: string, done: (outcome: T) => string): ExitCode {
  if (context.json) printJson(context.io, { results: outcomes });
  else for (const outcome of outcomes) {
    if (outcome.error !== undefined) context.io.err(`dead letter ${outcome.seq} not ${verb}: ${outcome.error}`);
    else context.io.out(`dead letter ${outcome.seq} ${done(outcome)}`);
  }
  return outcomes.every((outcome) => outcome.error === undefined) ? 0 : 1;
}

function problemOf(error: ApiError): string {
  return error.status === 404 ? 'no such dead letter (replayed or discarded already?)' : (error.body.message ?? error.body.error);
}

/** JSON indented for reading; anything else (a malformed message was dead-lettered too) as it is. */
function prettyPayload(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}
