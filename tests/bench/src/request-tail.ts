import type { RequestLogEntry, SandboxControl } from '@junction/sandbox-kit';

/** A vendor call as the sandbox logged it, with the time its answer was ready (the confirmed write). */
export interface VendorCall extends RequestLogEntry {
  finishedMs: number;
}

/**
 * Follows a sandbox's request log (`GET /__sandbox/requests?since=`) and keeps every entry. The sandbox keeps its
 * last 10,000 calls only, so it is read several times a second; a gap in the sequence numbers means calls were lost
 * and fails the measurement instead of undercounting it.
 */
export class RequestTail {
  private readonly calls: VendorCall[] = [];
  private timer?: NodeJS.Timeout;
  private reading?: Promise<void>;
  private failure?: Error;

  private constructor(
    private readonly name: string,
    private readonly control: SandboxControl,
    private since: number,
  ) {}

  /** Starts after the calls logged so far (all of them right after a reset). */
  static async follow(name: string, control: SandboxControl, intervalMs = 200): Promise<RequestTail> {
    const logged = await control.requests();
    const tail = new RequestTail(name, control, logged.at(-1)?.seq ?? 0);
    // A failed read is kept in `failure` (a gap) or tried again on the next tick (the sandbox was busy).
    tail.timer = setInterval(() => tail.read().catch(() => undefined), intervalMs);
    return tail;
  }

  /** Every call so far; reads the log once more first. */
  async all(): Promise<readonly VendorCall[]> {
    await this.read();
    return this.calls;
  }

  /**
   * A count of the calls matching `predicate` read so far; each use looks only at calls read since the last one, so it
   * is cheap to poll however long the run.
   */
  counter(predicate: (call: VendorCall) => boolean): () => number {
    let seen = 0;
    let count = 0;
    return () => {
      if (this.failure) throw this.failure;
      for (; seen < this.calls.length; seen++) if (predicate(this.calls[seen])) count += 1;
      return count;
    };
  }

  async stop(): Promise<readonly VendorCall[]> {
    clearInterval(this.timer);
    return this.all();
  }

  private read(): Promise<void> {
    // One read at a time: an overlapping read would append the same entries twice.
    this.reading ??= this.readOnce().finally(() => (this.reading = undefined));
    return this.reading;
  }

  private async readOnce(): Promise<void> {
    if (this.failure) throw this.failure;
    const entries = await this.control.requests(this.since);
    if (entries.length === 0) return;
    if (entries[0].seq !== this.since + 1) {
      this.failure = new Error(`${this.name} dropped calls ${this.since + 1}..${entries[0].seq - 1} from its log before the bench read them`);
      throw this.failure;
    }
    for (const entry of entries) this.calls.push({ ...entry, finishedMs: Date.parse(entry.at) + entry.durationMs });
    this.since = entries[entries.length - 1].seq;
  }
}

export const succeeded = (call: VendorCall): boolean => call.status >= 200 && call.status < 300;
