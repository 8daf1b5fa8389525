import type { RequestLogEntry } from './control-schemas';

/** Query parameters that carry credentials somewhere (`api_key`, `apiKey`, `refresh_token`, `password`…). */
const SECRET_PARAM = /key|token|secret|pass|auth|signature/i;

/** Oldest entries are dropped beyond this, so a long demo run doesn't grow without bound. */
const MAX_ENTRIES = 10_000;

/** What GET /__sandbox/requests shows: every API call, never a secret. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  record(entry: Omit<RequestLogEntry, 'seq'>): void {
    this.seq += 1;
    this.entries.push({ seq: this.seq, ...entry });
    if (this.entries.length > MAX_ENTRIES) this.entries.splice(0, this.entries.length - MAX_ENTRIES);
  }

  /** Entries with a sequence number above `since` (all by default). */
  since(since = 0): RequestLogEntry[] {
    return this.entries.filter((entry) => entry.seq > since);
  }

  clear(): void {
    this.entries = [];
    this.seq = 0;
  }
}

export function redactQuery(search: string): string {
  const params = new URLSearchParams(search);
  for (const key of new Set(params.keys())) {
    if (SECRET_PARAM.test(key)) params.set(key, '[redacted]');
  }
  const encoded = params.toString();
  // Brackets read better unescaped (`filter[ids][]=1`); an undecodable string stays as it is.
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}
