/**
 * The sandbox's time: wall-clock time plus an offset tests can move forward (POST /__sandbox/clock), so token
 * expiry, rate-limit windows and timestamps can be tested without waiting.
 */
export class Clock {
  private offsetMs = 0;

  nowMs(): number {
    return this.at(Date.now());
  }

  /** The sandbox time of a wall-clock time, e.g. when a request arrived. */
  at(wallMs: number): number {
    return wallMs + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
