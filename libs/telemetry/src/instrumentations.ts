import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

/** Probes and scrapes hit every few seconds; tracing them would bury the real requests. */
export function isUnobservedPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?', 1)[0];
  return path === '/metrics' || path === '/health' || path.startsWith('/health/');
}

export function createInstrumentations(): [HttpInstrumentation, PgInstrumentation] {
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => isUnobservedPath(request.url) }),
    // Enhanced reporting would copy statement parameters (names, e-mails, addresses) into spans. Queries outside any
    // trace (lease heartbeats, scheduler ticks, metric callbacks) would each start a trace of one span: noise.
    new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
  ];
}
