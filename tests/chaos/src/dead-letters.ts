import { z } from 'zod';
import type { ControlApi } from './control-api';
import type { DeadLetterOrigin, Workload } from './workloads/workload';

const DeadLetterView = z.object({ seq: z.number().int(), originalSubject: z.string(), reason: z.string(), consumer: z.string(), payload: z.string() });
type DeadLetterView = z.infer<typeof DeadLetterView>;

/** What the dead letters' payloads tell of their origin: commands name their integration, events their source. */
const EnvelopeOrigin = z.object({ integrationId: z.string().optional(), source: z.object({ connector: z.string() }).partial().optional() });

export interface DeadLetterSummary {
  seq: number;
  subject: string;
  consumer: string;
  reason: string;
  /** `<integration> / <entity>`, or `unattributed`. */
  row: string;
  /** The reason says what went wrong in words a user can act on (not empty, not a bare "undefined" or object). */
  actionable: boolean;
}

/** Every dead letter in the dead-letter stream, with the table row it belongs to. */
export async function listDeadLetters(api: ControlApi, workloads: Workload[]): Promise<DeadLetterSummary[]> {
  const { deadLetters } = z.object({ deadLetters: z.array(DeadLetterView) }).parse(await api('GET', '/v1/dead-letters?limit=500'));
  return deadLetters.map((letter) => ({
    seq: letter.seq,
    subject: letter.originalSubject,
    consumer: letter.consumer,
    reason: letter.reason,
    row: rowOf(letter, workloads),
    actionable: isActionable(letter.reason),
  }));
}

/** Replays each (republished to its original subject, removed from the dead letters). */
export async function replayDeadLetters(api: ControlApi, letters: DeadLetterSummary[]): Promise<void> {
  for (const letter of letters) await api('POST', `/v1/dead-letters/${letter.seq}/replay`);
}

function rowOf(letter: DeadLetterView, workloads: Workload[]): string {
  const origin = originOf(letter);
  for (const workload of workloads) {
    const entity = workload.entityOf(origin);
    if (entity) return `${workload.integration} / ${entity}`;
  }
  return 'unattributed';
}

function originOf(letter: DeadLetterView): DeadLetterOrigin {
  let envelope: z.infer<typeof EnvelopeOrigin> = {};
  try {
    envelope = EnvelopeOrigin.parse(JSON.parse(letter.payload));
  } catch {
    // Not an envelope: attributed by subject alone.
  }
  return { subject: letter.originalSubject, integrationId: envelope.integrationId, sourceConnector: envelope.source?.connector };
}

function isActionable(reason: string): boolean {
  const cause = reason.replace(/^gave up after \d+ deliveries:\s*/, '').trim();
  return cause.length >= 10 && !/^(undefined|null|\[object Object\]|Error|internal)$/i.test(cause);
}
