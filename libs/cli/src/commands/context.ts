import type { ControlApiClient } from '../client';
import type { Io } from '../output';

/** What every command gets: the API, where to write, and whether to answer in JSON for scripts. */
export interface CommandContext {
  api: ControlApiClient;
  io: Io;
  json: boolean;
}

/** A command's outcome: 0 done, 1 something failed (a test, a run, a save). */
export type ExitCode = 0 | 1;

export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
