/** A dead letter as GET /v1/dead-letters lists it. */
export interface DeadLetter {
  seq: number;
  originalSubject: string;
  reason: string;
  consumer: string;
  failedAt: string;
  deliveries: number;
  msgId?: string;
  payload: string;
}

/** The integration a dead letter's envelope belongs to, when its payload is an envelope that names one. */
export function integrationOf(letter: DeadLetter): string | undefined {
  try {
    const envelope = JSON.parse(letter.payload) as { integrationId?: unknown };
    return typeof envelope.integrationId === 'string' ? envelope.integrationId : undefined;
  } catch {
    return undefined;
  }
}

/** The dead letters of one integration: commands and events whose envelope carries its id. */
export function deadLettersOf(integrationId: string, letters: readonly DeadLetter[]): DeadLetter[] {
  return letters.filter((letter) => integrationOf(letter) === integrationId);
}
