/**
 * Shoprenter blocks an API user that keeps hammering past the rate limit (what two parallel syncs do): after
 * `afterRefusals` 429s within `withinMs`, every call is refused for `forMs`, even once the rate would allow it.
 */
export interface LockoutPolicy {
  afterRefusals: number;
  withinMs: number;
  forMs: number;
}

export class Lockout {
  private readonly refusals = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();

  constructor(private policy: LockoutPolicy) {}

  reset(policy: LockoutPolicy): void {
    this.policy = policy;
    this.refusals.clear();
    this.lockedUntil.clear();
  }

  /** Milliseconds the credential stays blocked, 0 when it is not. */
  remainingMs(credential: string, nowMs: number): number {
    return Math.max(0, (this.lockedUntil.get(credential) ?? 0) - nowMs);
  }

  /** Counts one rate-limit refusal; the one that crosses the threshold starts the block. */
  recordRefusal(credential: string, nowMs: number): void {
    const recent = (this.refusals.get(credential) ?? []).filter((at) => at > nowMs - this.policy.withinMs);
    recent.push(nowMs);
    this.refusals.set(credential, recent);
    if (recent.length >= this.policy.afterRefusals && this.remainingMs(credential, nowMs) === 0) {
      this.lockedUntil.set(credential, nowMs + this.policy.forMs);
      this.refusals.delete(credential);
    }
  }
}
