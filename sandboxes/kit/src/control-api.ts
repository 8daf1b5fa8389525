import { monitorEventLoopDelay } from 'node:perf_hooks';
import { z, ZodError, type ZodType } from 'zod';
import type { Clock } from './clock';
import { ClockUpdate, FaultConfig, RateLimitUpdate, SeedRecords, type RateLimitPolicy } from './control-schemas';
import type { Faults } from './faults';
import { intParam, stringParam } from './http/params';
import { json, type Reply } from './http/reply';
import type { SandboxRequest } from './http/request';
import type { RequestLog } from './request-log';
import { Router } from './router';
import type { Collection, Store } from './store';

/** Every control path starts with this; these requests skip faults, rate limits and the request log. */
export const CONTROL_PREFIX = '/__sandbox';

/** What the control API reaches inside a running sandbox. */
export interface ControlTarget {
  readonly name: string;
  readonly clock: Clock;
  readonly store: Store;
  readonly log: RequestLog;
  readonly faults: Faults;
  /** Validates `options` with the vendor's seed options, then restores a freshly seeded sandbox. */
  reset(options: unknown): void;
  rateLimits(): Array<{ name: string; policy: RateLimitPolicy }>;
  /** Replaces the policy of the named rule (all rules without a name); false when no rule has that name. */
  setRateLimit(update: RateLimitUpdate): boolean;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const LOOP_DELAY_RESOLUTION_MS = 10;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });

/**
 * How late this process's event loop ran since the last reset of any of its sandboxes, in ms. A late loop reads calls
 * late, and a burst of them then lands in one rate-limit window: a refusal the client's pacing did not cause.
 */
function eventLoopDelayMs(): { p99: number; max: number } {
  if (loopDelay.count === 0) return { p99: 0, max: 0 };
  // The histogram holds the intervals between its timer's runs, the resolution included.
  const late = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_DELAY_RESOLUTION_MS);
  return { p99: late(loopDelay.percentile(99)), max: late(loopDelay.max) };
}

export function controlRouter(): Router<ControlTarget> {
  loopDelay.enable();
  const router = new Router<ControlTarget>();
  router.group(CONTROL_PREFIX, (control) => {
    control.get('/health', (_request, target) =>
      json(200, { status: 'ok', sandbox: target.name, now: target.clock.now().toISOString(), eventLoopDelayMs: eventLoopDelayMs() }),
    );

    control.post('/reset', (request, target) => {
      target.reset(request.body ?? {});
      loopDelay.reset();
      return json(200, { status: 'reset' });
    });

    control.post('/seed', (request, target) => {
      const batches = Object.entries(parse(SeedRecords, request)).map(([name, records]) => ({
        name,
        records,
        collection: target.store.collection(name),
      }));
      const unknown = batches.filter((batch) => !batch.collection).map((batch) => batch.name);
      if (unknown.length > 0) throw new ControlError(400, `Unknown collections: ${unknown.join(', ')}`);
      const inserted = batches.map(({ name, records, collection }) => [name, records.map((record) => insert(collection!, record))]);
      return json(200, { records: Object.fromEntries(inserted) });
    });

    control.get('/state', (request, target) => {
      const name = stringParam(request.query, 'collection');
      if (name === undefined) return json(200, { collections: target.store.snapshot() });
      const collection = target.store.collection(name);
      if (!collection) throw new ControlError(404, `Unknown collection: ${name}`);
      return json(200, { collections: { [name]: collection.all() } });
    });

    control.patch('/records/:collection/:id', (request, target) => {
      const collection = target.store.collection(request.params.collection);
      if (!collection) throw new ControlError(404, `Unknown collection: ${request.params.collection}`);
      const patch = parse(z.record(z.string(), z.unknown()), request);
      // As if someone edited the record in the vendor's own UI: the update timestamp moves too.
      const record = collection.update(request.params.id, patch);
      if (!record) throw new ControlError(404, `No ${collection.name} record ${request.params.id}`);
      return json(200, { record });
    });

    control.get('/requests', (request, target) =>
      json(200, { requests: target.log.since(intParam(request.query, 'since') ?? 0) }),
    );

    control.get('/faults', (_request, target) => json(200, target.faults.state()));
    control.post('/faults', (request, target) => {
      target.faults.configure(parse(FaultConfig, request));
      return json(200, target.faults.state());
    });

    control.get('/rate-limits', (_request, target) => json(200, { rules: target.rateLimits() }));
    control.put('/rate-limits', (request, target) => {
      const update = parse(RateLimitUpdate, request);
      if (!target.setRateLimit(update)) throw new ControlError(404, `No rate limit named ${update.name}`);
      return json(200, { rules: target.rateLimits() });
    });

    control.get('/clock', (_request, target) => json(200, { now: target.clock.now().toISOString() }));
    control.post('/clock', (request, target) => {
      target.clock.advance(parse(ClockUpdate, request).advanceMs);
      return json(200, { now: target.clock.now().toISOString() });
    });
  });
  return router;
}

/** Runs a control request; invalid input answers 400 with zod's issues, unknown names 404. */
export async function handleControl<T>(router: Router<T>, request: SandboxRequest, target: T): Promise<Reply> {
  const match = router.match(request.method, request.path);
  if (!match) return json(404, { error: `No control route ${request.method} ${request.path}` });
  if (request.bodyError) return json(400, { error: request.bodyError });
  request.params = match.params;
  try {
    return await match.handler(request, target);
  } catch (error) {
    if (error instanceof ZodError) return json(400, { error: 'Invalid control request', issues: error.issues });
    if (error instanceof ControlError) return json(error.status, { error: error.message });
    throw error;
  }
}

function parse<T>(schema: ZodType<T>, request: SandboxRequest): T {
  return schema.parse(request.body ?? {});
}

function insert(collection: Collection<object>, record: Record<string, unknown>): object {
  try {
    return collection.insert(record);
  } catch (error) {
    throw new ControlError(409, (error as Error).message);
  }
}
