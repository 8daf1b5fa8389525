import type { FaultRuleInput, FaultState, RunningSandbox } from '@junction/sandbox-kit';
import type { ChaosSize } from './sizes';

/** Past the vendor clients' 20 s timeout. */
const SLOW_RESPONSE_MS = 21_000;
const WRITES = ['POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * What every sandbox does wrong while the chaos runs: a share of calls answered with a 5xx (an HTML page of a proxy
 * or the vendor's JSON), bursts of 429 with Retry-After, a few answers held back past the client's timeout after the
 * work is done, and writes whose answer is lost after they were committed.
 */
export function chaosFaultRules(size: ChaosSize): FaultRuleInput[] {
  return [
    { kind: 'latency', ms: SLOW_RESPONSE_MS, afterHandling: true, rate: 0.01, count: size.slowResponses },
    { kind: 'error', status: 502, body: 'html', rate: size.errorRate / 2 },
    { kind: 'error', status: 500, body: 'json', rate: size.errorRate / 2 },
    { kind: 'rate-limit', retryAfterSeconds: 1, rate: 0.01, burst: 3 },
    { kind: 'lose-response', methods: WRITES, rate: 0.03 },
  ];
}

export type FaultCounts = Record<string, number>;

/** Switches the chaos faults on in every sandbox, and off again with what each injected. */
export class VendorFaults {
  constructor(
    private readonly sandboxes: Record<string, RunningSandbox>,
    private readonly size: ChaosSize,
    private readonly seed: number,
  ) {}

  async switchOn(): Promise<void> {
    for (const [index, sandbox] of Object.values(this.sandboxes).entries()) {
      await sandbox.control.setFaults({ seed: this.seed + index, rules: chaosFaultRules(this.size) });
    }
  }

  /** Clears every sandbox's faults; returns the faults each injected, by kind (a slow answer is `latency`). */
  async switchOff(): Promise<Record<string, FaultCounts>> {
    const injected: Record<string, FaultCounts> = {};
    for (const [name, sandbox] of Object.entries(this.sandboxes)) {
      injected[name] = countByKind(await sandbox.control.faults());
      await sandbox.control.clearFaults();
    }
    return injected;
  }
}

function countByKind(state: FaultState): FaultCounts {
  const counts: FaultCounts = {};
  for (const rule of state.rules) counts[rule.kind] = (counts[rule.kind] ?? 0) + rule.fired;
  return counts;
}
