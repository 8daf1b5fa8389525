import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

/** Probes and scrapes hit every few seconds; tracing them would bury the real requests. */
export function isUnobservedPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?', 1)[0];
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}

/**
 * http always: it carries trace context in and out of the process. pg only when spans are exported (`traceQueries`):
 * a span per query is a leaf nobody else reads, and building it cost about 4 % of a connector's CPU in the bench.
 */
export function createInstrumentations({ traceQueries }: { traceQueries: boolean }): Array<HttpInstrumentation | PgInstrumentation> {
  const http = new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isUnobservedPath(request.url) });
  if (!traceQueries) return [http];
  // Enhanced reporting would copy statement parameters (names, e-mails, addresses) into spans. Queries outside any
  // trace (lease heartbeats, scheduler ticks, metric callbacks) would each start a trace of one span: noise.
  return [http, new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true })];
}
