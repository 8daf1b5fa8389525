import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ZodType } from 'zod';
import { Clock } from './clock';
import { CONTROL_PREFIX, controlRouter, handleControl, type ControlTarget } from './control-api';
import type { FaultRule, RateLimitPolicy, RateLimitUpdate } from './control-schemas';
import { Faults, type MalformedRule } from './faults';
import { json, type Reply } from './http/reply';
import { BodyTooLargeError, parseRequest, readRawRequest, type RawRequest, type SandboxRequest } from './http/request';
import { htmlPage, malformedReply } from './malformed';
import { RateLimiter, type RateLimitRule } from './rate-limit';
import { RequestLog, redactQuery } from './request-log';
import type { Router } from './router';
import { Store } from './store';

/** The vendor's collections; `createData` returns it with typed handles on the `store`'s collections. */
export interface SandboxData {
  store: Store;
}

/** Everything vendor-specific about a sandbox: its data, routes and the shape of its refusals. */
export interface SandboxDefinition<C extends SandboxData, O> {
  /** Short vendor name, e.g. `repairshopr`. */
  name: string;
  /** Defines the vendor's collections on the store (called once). */
  createData(store: Store): C;
  /** The body of POST /__sandbox/reset, e.g. `{ customers: 250 }`; `{}` must parse (the defaults). */
  seedOptions: ZodType<O>;
  /** Fills the emptied collections: at start and on every reset. */
  seed(data: C, options: O): void;
  routes: Router<C>;
  /**
   * Vendor-specific control calls, full paths under `/__sandbox` (e.g. `POST /__sandbox/orders/:id/status` to act as
   * one of the vendor's users). Like the kit's own control calls they skip faults, rate limits and the request log;
   * the kit's calls win on the same path, and zod errors answer 400.
   */
  controlRoutes?: Router<C>;
  /**
   * A non-secret id of the caller's credential (e.g. `token:3`), keying rate limits and shown in the request
   * log; undefined for anonymous calls, which are keyed by client address.
   */
  credentialOf?(request: SandboxRequest, data: C): string | undefined;
  rateLimits?: RateLimitRule[];
  /** The vendor's refusal when a limit is hit (real or injected); the runtime adds Retry-After. Default: 429 JSON. */
  rateLimited?(request: SandboxRequest): Reply;
  /** The vendor's answer to a path no route matches. Default: 404 JSON. */
  notFound?(request: SandboxRequest): Reply;
  /** The vendor's answer to a JSON or form body that does not parse. Default: 400 JSON. */
  malformedBody?(request: SandboxRequest): Reply;
  /** Lines for humans starting the sandbox by hand: base URL, seeded credentials. */
  describe?(url: string, data: C): string[];
}

/** What the sandbox does with a request: answer it, or drop the connection (an injected lost response). */
export type Answer = { reply: Reply } | { drop: true };

/** A sandbox ready to serve: give it to `startSandbox`, or `handle` requests from any node:http server. */
export interface SandboxApp {
  readonly name: string;
  /** Serves a request of a node:http server; it arrived when this is called. */
  handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void>;
  /**
   * Answers a request read elsewhere (the front door thread of `startSandbox`). `arrivedAtMs` (wall clock) is when
   * it came in: rate limits count it then, and the request log shows that time.
   */
  respond(raw: RawRequest, arrivedAtMs: number): Promise<Answer>;
  describe(url: string): string[];
}

export function createSandboxApp<C extends SandboxData, O>(definition: SandboxDefinition<C, O>): SandboxApp {
  return new SandboxRuntime(definition);
}

interface ActiveLimit {
  rule: RateLimitRule;
  limiter: RateLimiter;
}

const CONTROL_ROUTES = controlRouter();

class SandboxRuntime<C extends SandboxData, O> implements SandboxApp, ControlTarget {
  readonly clock = new Clock();
  readonly store = new Store(this.clock);
  readonly log = new RequestLog();
  readonly faults = new Faults();
  private readonly data: C;
  private limits: ActiveLimit[] = [];

  constructor(private readonly definition: SandboxDefinition<C, O>) {
    this.data = definition.createData(this.store);
    this.reset({});
  }

  get name(): string {
    return this.definition.name;
  }

  describe(url: string): string[] {
    return this.definition.describe?.(url, this.data) ?? [];
  }

  reset(options: unknown): void {
    const seedOptions = this.definition.seedOptions.parse(options);
    this.clock.reset();
    this.store.clear();
    this.definition.seed(this.data, seedOptions);
    this.log.clear();
    this.faults.clear();
    this.limits = (this.definition.rateLimits ?? []).map((rule) => ({ rule, limiter: new RateLimiter(rule.policy) }));
  }

  rateLimits(): Array<{ name: string; policy: RateLimitPolicy }> {
    return this.limits.map(({ rule, limiter }) => ({ name: rule.name, policy: limiter.policy }));
  }

  setRateLimit(update: RateLimitUpdate): boolean {
    const targets = this.limits.filter(({ rule }) => update.name === undefined || rule.name === update.name);
    if (update.name !== undefined && targets.length === 0) return false;
    // A new limiter also forgets the calls counted so far: tightening starts from a clean slate.
    for (const active of targets) active.limiter = new RateLimiter(update.policy);
    return true;
  }

  async handle(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const arrivedAtMs = Date.now();
    deliver(outgoing, await this.respond(await readRawRequest(incoming), arrivedAtMs));
  }

  async respond(raw: RawRequest, arrivedAtMs: number): Promise<Answer> {
    const started = performance.now();
    let request: SandboxRequest;
    try {
      request = parseRequest(raw);
    } catch (error) {
      if (!(error instanceof BodyTooLargeError)) throw error;
      return { reply: json(413, { error: error.message }) };
    }
    if (request.path === CONTROL_PREFIX || request.path.startsWith(`${CONTROL_PREFIX}/`)) {
      const vendorControl = this.definition.controlRoutes;
      if (vendorControl && !CONTROL_ROUTES.match(request.method, request.path) && vendorControl.match(request.method, request.path)) {
        return { reply: await handleControl(vendorControl, request, this.data) };
      }
      return { reply: await handleControl(CONTROL_ROUTES, request, this) };
    }
    return this.handleApi(request, this.clock.at(arrivedAtMs), started);
  }

  private async handleApi(request: SandboxRequest, arrivedAt: number, started: number): Promise<Answer> {
    const credential = this.definition.credentialOf?.(request, this.data) ?? `ip:${request.remoteAddress}`;
    const plan = this.faults.plan(request.method, request.path);
    if (plan.delayMs > 0) await sleep(plan.delayMs);

    let reply: Reply;
    let rateLimited = false;
    if (plan.replaceWith) {
      reply = this.faultReply(plan.replaceWith, request);
    } else if (plan.malformed?.variant === 'html') {
      reply = htmlPage(plan.malformed.status);
    } else {
      const refusal = this.checkRateLimits(request, credential, arrivedAt);
      rateLimited = refusal !== undefined;
      reply = refusal ?? (await this.route(request));
      if (!refusal && plan.malformed) reply = this.malformed(reply, plan.malformed, request);
    }

    this.log.record({
      at: new Date(arrivedAt).toISOString(),
      method: request.method,
      path: request.path,
      query: redactQuery(request.search),
      status: reply.status,
      credential,
      durationMs: Math.round(performance.now() - started),
      ...(plan.fired.length > 0 ? { faults: plan.fired } : {}),
      ...(rateLimited ? { rateLimited: true as const } : {}),
    });

    // The write above is committed; the caller only sees the connection die.
    if (plan.loseResponse) return { drop: true };
    // Committed too; a caller that gave up meanwhile has closed the socket, and the late answer goes nowhere.
    if (plan.answerDelayMs > 0) await sleep(plan.answerDelayMs);
    return { reply };
  }

  private checkRateLimits(request: SandboxRequest, credential: string, arrivedAt: number): Reply | undefined {
    for (const { rule, limiter } of this.limits) {
      if (rule.appliesTo && !rule.appliesTo(request)) continue;
      const decision = limiter.take(credential, arrivedAt);
      if (decision.allowed) continue;
      const sendRetryAfter = limiter.policy.kind !== 'off' && limiter.policy.retryAfter;
      return this.rateLimitedReply(request, sendRetryAfter ? decision.retryAfterSeconds : null);
    }
    return undefined;
  }

  private rateLimitedReply(request: SandboxRequest, retryAfterSeconds: number | null): Reply {
    const reply = this.definition.rateLimited?.(request) ?? json(429, { error: 'Too Many Requests' });
    if (retryAfterSeconds === null) return reply;
    return { ...reply, headers: { ...reply.headers, 'retry-after': String(retryAfterSeconds) } };
  }

  private faultReply(rule: Extract<FaultRule, { kind: 'error' | 'rate-limit' }>, request: SandboxRequest): Reply {
    if (rule.kind === 'rate-limit') return this.rateLimitedReply(request, rule.retryAfterSeconds);
    if (rule.body === 'json') return json(rule.status, { error: STATUS_CODES[rule.status] ?? 'Server Error', status: rule.status });
    return htmlPage(rule.status);
  }

  private malformed(reply: Reply, rule: MalformedRule, request: SandboxRequest): Reply {
    try {
      return malformedReply(reply, rule);
    } catch (error) {
      // A rule set up for another answer than this one: a test bug, said loudly like a handler's.
      process.stderr.write(`[sandbox ${this.name}] ${request.method} ${request.path}: malformed fault failed: ${(error as Error).message}\n`);
      return json(500, { error: 'Sandbox fault failed', message: (error as Error).message });
    }
  }

  private async route(request: SandboxRequest): Promise<Reply> {
    if (request.bodyError) return this.definition.malformedBody?.(request) ?? json(400, { error: request.bodyError });
    const match = this.definition.routes.match(request.method, request.path);
    if (!match) return this.definition.notFound?.(request) ?? json(404, { error: 'Not Found' });
    request.params = match.params;
    try {
      return await match.handler(request, this.data);
    } catch (error) {
      // A handler bug, not a vendor behaviour: say so loudly rather than imitate a vendor 500.
      process.stderr.write(`[sandbox ${this.name}] ${request.method} ${request.path} failed: ${(error as Error).stack}\n`);
      return json(500, { error: 'Sandbox handler failed', message: (error as Error).message });
    }
  }
}

/** Writes the answer to the response, or drops the connection. */
function deliver(outgoing: ServerResponse, answer: Answer): void {
  if ('drop' in answer) {
    outgoing.socket?.destroy();
    return;
  }
  const { reply } = answer;
  outgoing.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
  outgoing.end(reply.body);
}
