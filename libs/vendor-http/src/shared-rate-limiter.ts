import type { RateLimiter, TokenBucketOptions } from './rate-limiter';

/**
 * Where every replica of a connector keeps the schedule of its vendor allowances: one "theoretical arrival time" per
 * key (the generic cell rate algorithm), moved forward atomically, on the store's own clock so replicas on hosts
 * with different clocks agree. connector-kit keeps it in a Postgres table of the service's schema.
 */
export interface RateLimitStore {
  /**
   * Books the next `spanMs` of the key's schedule: sets the key's time to `max(time, now) + spanMs` and resolves
   * with `max(time, now) - now` as it was before, in ms (0 for a key never seen or idle).
   */
  reserve(key: string, spanMs: number): Promise<number>;
  /** Pushes the key's time to at least `now + forMs` (the vendor answered 429: nobody may send before then). */
  hold(key: string, forMs: number): Promise<void>;
}

/**
 * The shared schedule could not be read or moved, so the request was not sent: pacing it in this replica alone could
 * exceed the credential's limit together with the others.
 */
export class RateLimitStoreError extends Error {
  override readonly name = 'RateLimitStoreError';

  constructor(limiter: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`the shared rate limit of ${limiter} is unavailable, so the request was not sent: ${reason}`, { cause });
  }
}

export interface SharedTokenBucketOptions extends TokenBucketOptions {
  /** Names the limiter in errors (the vendor). */
  name: string;
  /**
   * How far ahead of its callers this process books the shared schedule, in ms: one round trip to the store books
   * the slots due within it, and the next one is sent when the last booked slot is this close. Longer hides a slower
   * store; shorter leaves fewer slots booked by other replicas when the vendor answers 429. Default 100.
   */
  lookAheadMs?: number;
}

interface Waiter {
  cost: number;
  enqueuedAt: number;
  resolve: (waitedMs: number) => void;
  reject: (error: unknown) => void;
  /** When its booked slot is due (local clock). */
  dueAt?: number;
}

interface KeyState {
  /** Callers without a slot yet, in arrival order. */
  waiting: Waiter[];
  /** Callers with a slot, waiting until it is due, in booking order (so in the order of their slots). */
  booked: Set<Waiter>;
  /** Wakes the release of the next booked caller. */
  releaseTimer?: NodeJS.Timeout;
  /** When the last slot this process booked is due (local clock). */
  bookedUntil: number;
  /**
   * The theoretical arrival time of what this process actually released (local clock): a caller released more than
   * `catchUpMs` late (a stalled event loop) pushes it, so the callers due meanwhile follow at the allowed rate instead
   * of all at once. What the vendor sees from this process therefore conforms to the allowance however late timers fire.
   */
  releasedUntil: number;
  /** A 429 seen by this process: nothing is released before this (local clock). */
  heldUntil: number;
  /** The hold is not in the store yet. */
  holdUnwritten: boolean;
  /** The key's loop is running: one store operation at a time per key and process. */
  working: boolean;
  /** Ends the loop's look-ahead sleep early (a 429 must reach the store at once). */
  wake?: () => void;
}

// Float arithmetic on either side of the store can land a hair before the time it was asked to hold.
const EPSILON_MS = 1e-6;

/**
 * A token bucket whose state lives in a `RateLimitStore` shared by every replica: together they never send more than
 * `capacity` at once and `refillPerSecond` sustained for one key, however many replicas run. Each process books the
 * schedule at most `lookAheadMs` ahead of its callers, so replicas take turns and a 429 voids little, and each caller
 * sleeps until its slot. A slot counts from the store's answer, which arrives after the store's "now": never early.
 */
export class SharedTokenBucket implements RateLimiter {
  private readonly intervalMs: number;
  /** How far ahead of the schedule a burst may go: `capacity - 1` slots. */
  private readonly burstMs: number;
  /**
   * How late a release may be and still keep the schedule: half an interval. Timers fire a millisecond or two late
   * every time; were each lateness carried forward, 10 ms slots would run 10-15 % slow. The next caller follows at
   * most this much sooner, which the pacing margins absorb (`evenlySpaced`, `bucketWithMargin`).
   */
  private readonly catchUpMs: number;
  private readonly lookAheadMs: number;
  /** Slots booked by one round trip. */
  private readonly batchSlots: number;
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly store: RateLimitStore,
    private readonly options: SharedTokenBucketOptions,
  ) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond > 0)) {
      throw new RangeError('SharedTokenBucket needs capacity >= 1 and refillPerSecond > 0');
    }
    this.intervalMs = 1000 / options.refillPerSecond;
    this.burstMs = (options.capacity - 1) * this.intervalMs;
    this.catchUpMs = this.intervalMs / 2;
    this.lookAheadMs = options.lookAheadMs ?? 100;
    this.batchSlots = Math.max(1, Math.floor(this.lookAheadMs / this.intervalMs));
  }

  acquire(key: string, cost = 1): Promise<number> {
    if (!(cost > 0 && cost <= this.options.capacity)) {
      return Promise.reject(new RangeError(`cost must be in (0, ${this.options.capacity}], got ${cost}`));
    }
    const state = this.state(key);
    return new Promise<number>((resolve, reject) => {
      state.waiting.push({ cost: Math.ceil(cost), enqueuedAt: performance.now(), resolve, reject });
      void this.work(key, state);
    });
  }

  /**
   * Holds `key` on every replica until `retryAfterMs` from now, then restarts its schedule from empty (the vendor says
   * the allowance is spent). Callers booked here lose their slots and book again after the pause; slots another replica
   * booked before the hold reached the store still go.
   */
  penalize(key: string, retryAfterMs: number): void {
    const state = this.state(key);
    state.heldUntil = Math.max(state.heldUntil, performance.now() + Math.max(0, retryAfterMs));
    state.holdUnwritten = true;
    clearTimeout(state.releaseTimer);
    state.waiting.unshift(...state.booked);
    state.booked.clear();
    state.bookedUntil = -Infinity;
    state.wake?.();
    void this.work(key, state);
  }

  private async work(key: string, state: KeyState): Promise<void> {
    if (state.working) return;
    state.working = true;
    try {
      while (state.holdUnwritten || state.waiting.length > 0) {
        if (state.holdUnwritten) {
          if (!(await this.writeHold(key, state))) break;
          continue;
        }
        const untilNextBooking = state.bookedUntil - this.lookAheadMs - performance.now();
        if (untilNextBooking > 0) await this.sleep(state, untilNextBooking);
        else await this.book(key, state);
      }
    } finally {
      state.working = false;
      this.forgetIfIdle(key, state);
    }
  }

  /** Writes the pending hold; on failure rejects the waiting callers and leaves it pending for the next caller. */
  private async writeHold(key: string, state: KeyState): Promise<boolean> {
    state.holdUnwritten = false;
    // Plus the burst: after the pause the schedule starts from empty, as the vendor's allowance is spent.
    const forMs = Math.max(0, state.heldUntil - performance.now()) + this.burstMs;
    try {
      await this.store.hold(key, forMs);
      return true;
    } catch (error) {
      state.holdUnwritten = true;
      this.rejectWaiting(state, error);
      return false;
    }
  }

  /** One round trip: books the slots of the callers at the head of the queue and puts each to sleep until its own. */
  private async book(key: string, state: KeyState): Promise<void> {
    const batch = this.nextBatch(state);
    let offsetMs: number;
    try {
      offsetMs = await this.store.reserve(key, batch.reduce((sum, waiter) => sum + waiter.cost, 0) * this.intervalMs);
    } catch (error) {
      for (const waiter of batch) waiter.reject(new RateLimitStoreError(this.options.name, error));
      return;
    }
    const arrivedAt = performance.now();
    const voided: Waiter[] = [];
    let slots = 0;
    for (const waiter of batch) {
      slots += waiter.cost;
      // A caller of cost n may go once the last of its n slots is within the burst.
      const dueAt = arrivedAt + Math.max(0, offsetMs + (slots - 1) * this.intervalMs - this.burstMs);
      // Booked while a 429 was on its way to the store: the slot lies inside the pause.
      if (dueAt + EPSILON_MS < state.heldUntil) voided.push(waiter);
      else this.release(key, state, waiter, dueAt);
    }
    state.waiting.unshift(...voided);
  }

  private release(key: string, state: KeyState, waiter: Waiter, dueAt: number): void {
    state.bookedUntil = Math.max(state.bookedUntil, dueAt);
    waiter.dueAt = dueAt;
    state.booked.add(waiter);
    if (state.booked.size === 1) this.releaseDue(key, state);
  }

  /** Releases the booked callers, in order, whose slot is due and who conform; then sleeps until the next one may go. */
  private releaseDue(key: string, state: KeyState): void {
    clearTimeout(state.releaseTimer);
    state.releaseTimer = undefined;
    for (const waiter of state.booked) {
      const now = performance.now();
      // As in booking: a caller of cost n may go once the last of its n slots is within the burst.
      const conformsAt = state.releasedUntil + (waiter.cost - 1) * this.intervalMs - this.burstMs;
      const goesAt = Math.max(waiter.dueAt ?? now, conformsAt);
      if (goesAt - now > EPSILON_MS) {
        state.releaseTimer = setTimeout(() => this.releaseDue(key, state), Math.ceil(goesAt - now));
        return;
      }
      state.releasedUntil = Math.max(state.releasedUntil, now - this.catchUpMs) + waiter.cost * this.intervalMs;
      state.booked.delete(waiter);
      waiter.resolve(now - waiter.enqueuedAt);
    }
    this.forgetIfIdle(key, state);
  }

  private nextBatch(state: KeyState): Waiter[] {
    const batch: Waiter[] = [];
    let slots = 0;
    while (state.waiting.length > 0 && (batch.length === 0 || slots + state.waiting[0].cost <= this.batchSlots)) {
      const waiter = state.waiting.shift() as Waiter;
      slots += waiter.cost;
      batch.push(waiter);
    }
    return batch;
  }

  private rejectWaiting(state: KeyState, cause: unknown): void {
    const error = new RateLimitStoreError(this.options.name, cause);
    for (const waiter of state.waiting.splice(0)) waiter.reject(error);
  }

  private sleep(state: KeyState, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        state.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.ceil(ms));
      state.wake = done;
    });
  }

  /**
   * Drops the key's state once nothing depends on it; a written hold lives on in the store. A release that went late
   * is remembered until its successor could go, or the next caller could follow it at once on the store's schedule.
   */
  private forgetIfIdle(key: string, state: KeyState): void {
    if (state.working || state.holdUnwritten || state.waiting.length > 0 || state.booked.size > 0) return;
    const remembered = state.releasedUntil - this.burstMs - performance.now();
    if (remembered > 0) setTimeout(() => this.forgetIfIdle(key, state), Math.ceil(remembered)).unref();
    else if (this.keys.get(key) === state) this.keys.delete(key);
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = {
        waiting: [],
        booked: new Set(),
        bookedUntil: -Infinity,
        releasedUntil: -Infinity,
        heldUntil: -Infinity,
        holdUnwritten: false,
        working: false,
      };
      this.keys.set(key, state);
    }
    return state;
  }
}
