/** One line of the chaos table: what should be in a vendor after the run, and what is. */
export interface TallyRow {
  integration: string;
  entity: string;
  expected: number;
  present: number;
  missing: number;
  /** Records beyond the first of the same key. */
  duplicated: number;
  /** Present, but with content other than the inputs say (status, buyer, lines...). */
  wrong: number;
  /** Dead letters of this integration and entity found at the end (before they were replayed). */
  deadLettered: number;
  /** A few of the keys that are missing, duplicated or wrong, for the reader of a failed run. */
  examples: string[];
}

/** A dead letter, as far as telling whose it is goes. */
export interface DeadLetterOrigin {
  subject: string;
  integrationId?: string;
  sourceConnector?: string;
}

/** A workload through one integration: seeds its vendors, drives it while the chaos runs, and checks the result. */
export interface Workload {
  /** The integration kind, e.g. `shoprenter-minicrm`. */
  readonly integration: string;
  /** The integration's id, once `setUp` created it. */
  readonly integrationId: string;
  /** Seeds both sandboxes and creates the connections and the integration (before any fault is switched on). */
  setUp(): Promise<void>;
  /** Called every few seconds while the run goes: presses Sync, makes the vendor-side changes that are due. */
  drive(): Promise<void>;
  /** Whether every vendor-side change the workload makes while it runs has been made (so `tally` expects them). */
  changesMade(): boolean;
  /** Undoes what it broke on purpose that only a user can fix (a revoked API key), as the user reading the dead letters would. */
  repair?(): Promise<void>;
  /** Compares both sandboxes with what the inputs say they should hold. */
  tally(): Promise<TallyRow[]>;
  /** The entity (a row of `tally`) a dead letter belongs to, or undefined when it is not this integration's. */
  entityOf(letter: DeadLetterOrigin): string | undefined;
}

/** Counts expected keys against the keys found (one entry per vendor record), and checks the content of each. */
export function tallyByKey<T>(
  integration: string,
  entity: string,
  expected: Map<string, T>,
  found: Array<{ key: string; wrong: (expected: T) => string | undefined }>,
): TallyRow {
  const row: TallyRow = { integration, entity, expected: expected.size, present: 0, missing: 0, duplicated: 0, wrong: 0, deadLettered: 0, examples: [] };
  const note = (example: string) => {
    if (row.examples.length < 5) row.examples.push(example);
  };
  const seen = new Set<string>();
  for (const record of found) {
    const wanted = expected.get(record.key);
    if (wanted === undefined) continue;
    if (seen.has(record.key)) {
      row.duplicated += 1;
      note(`${record.key}: twice`);
      continue;
    }
    seen.add(record.key);
    row.present += 1;
    const difference = record.wrong(wanted);
    if (difference) {
      row.wrong += 1;
      note(`${record.key}: ${difference}`);
    }
  }
  for (const key of expected.keys()) {
    if (seen.has(key)) continue;
    row.missing += 1;
    note(`${key}: missing`);
  }
  return row;
}

/** "field: found, expected" when they differ. */
export function differs(field: string, found: unknown, expected: unknown): string | undefined {
  return JSON.stringify(found) === JSON.stringify(expected) ? undefined : `${field} ${JSON.stringify(found)}, expected ${JSON.stringify(expected)}`;
}

/** The first difference of several checks. */
export function firstDifference(...checks: Array<string | undefined>): string | undefined {
  return checks.find((check) => check !== undefined);
}
