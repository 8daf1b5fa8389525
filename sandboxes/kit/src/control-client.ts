import type {
  FaultConfigInput,
  RateLimitPolicy,
  RateLimitPolicyInput,
  RateLimitUpdateInput,
  RequestLogEntry,
} from './control-schemas';
import type { FaultState } from './faults';

export type Records = Record<string, unknown>[];

/** Typed client of a sandbox's `/__sandbox` control API, for tests and demo scripts (in or out of process). */
export class SandboxControl {
  constructor(readonly url: string) {}

  /** `eventLoopDelayMs`: how late the sandbox process's event loop ran since the last reset. */
  health(): Promise<{ status: 'ok'; sandbox: string; now: string; eventLoopDelayMs: { p99: number; max: number } }> {
    return this.call('GET', '/health');
  }

  /** Back to freshly seeded data; clears the request log, faults, rate-limit counters and clock offset. */
  async reset(options: Record<string, unknown> = {}): Promise<void> {
    await this.call('POST', '/reset', options);
  }

  /** Appends records per collection; returns them as stored (ids, timestamps and defaults filled in). */
  async seed(records: Record<string, Records>): Promise<Record<string, Records>> {
    return (await this.call<{ records: Record<string, Records> }>('POST', '/seed', records)).records;
  }

  /** Every collection, as the vendor's database holds it. */
  async state(): Promise<Record<string, Records>> {
    return (await this.call<{ collections: Record<string, Records> }>('GET', '/state')).collections;
  }

  async records<T = Record<string, unknown>>(collection: string): Promise<T[]> {
    const query = `?collection=${encodeURIComponent(collection)}`;
    return (await this.call<{ collections: Record<string, T[]> }>('GET', `/state${query}`)).collections[collection];
  }

  /** Changes a record as someone using the vendor's own UI would (its update timestamp moves). */
  async update<T = Record<string, unknown>>(collection: string, id: string | number, patch: Record<string, unknown>): Promise<T> {
    const path = `/records/${encodeURIComponent(collection)}/${encodeURIComponent(String(id))}`;
    return (await this.call<{ record: T }>('PATCH', path, patch)).record;
  }

  /** API calls logged after sequence number `since` (all by default). */
  async requests(since = 0): Promise<RequestLogEntry[]> {
    return (await this.call<{ requests: RequestLogEntry[] }>('GET', `/requests?since=${since}`)).requests;
  }

  /** Replaces the fault rules. */
  setFaults(config: FaultConfigInput): Promise<FaultState> {
    return this.call('POST', '/faults', config);
  }

  clearFaults(): Promise<FaultState> {
    return this.setFaults({ rules: [] });
  }

  faults(): Promise<FaultState> {
    return this.call('GET', '/faults');
  }

  /** The rate limits in force, each rule's name and policy. */
  async rateLimits(): Promise<Array<{ name: string; policy: RateLimitPolicy }>> {
    return (await this.call<{ rules: Array<{ name: string; policy: RateLimitPolicy }> }>('GET', '/rate-limits')).rules;
  }

  /** Replaces a rate limit's policy (every limit's when `name` is absent), e.g. `{ kind: 'off' }`. */
  async setRateLimit(policy: RateLimitPolicyInput, name?: string): Promise<Array<{ name: string; policy: RateLimitPolicy }>> {
    const update: RateLimitUpdateInput = { policy, ...(name === undefined ? {} : { name }) };
    return (await this.call<{ rules: Array<{ name: string; policy: RateLimitPolicy }> }>('PUT', '/rate-limits', update)).rules;
  }

  /** Moves the sandbox clock forward (token expiry, rate-limit windows, timestamps); returns the new time. */
  async advanceClock(ms: number): Promise<string> {
    return (await this.call<{ now: string }>('POST', '/clock', { advanceMs: ms })).now;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/__sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`Sandbox control ${method} ${path} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }
}
