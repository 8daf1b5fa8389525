import type { IncomingMessage } from 'node:http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { createInstrumentations, isUnobservedPath } from './instrumentations';

describe('instrumentations', () => {
  it.each(['/metrics', '/metrics?x=1', '/health', '/health/live', '/health/ready?verbose=1'])('does not trace %s', (path) => {
    expect(isUnobservedPath(path)).toBe(true);
  });

  it.each(['/connections', '/healthy', '/metrics/extra', '/api/health', undefined])('traces %s', (path) => {
    expect(isUnobservedPath(path)).toBe(false);
  });

  it('configures http to skip probes, and pg to keep statement parameters out of spans and trace only inside traces', () => {
    const [http, pg] = createInstrumentations({ traceQueries: true }) as [HttpInstrumentation, PgInstrumentation];
    try {
      expect(http).toBeInstanceOf(HttpInstrumentation);
      const ignore = http.getConfig().ignoreIncomingRequestHook;
      expect(ignore?.({ url: '/health/live' } as IncomingMessage)).toBe(true);
      expect(ignore?.({ url: '/connections' } as IncomingMessage)).toBe(false);
      expect(pg).toBeInstanceOf(PgInstrumentation);
      expect(pg.getConfig().enhancedDatabaseReporting).toBe(false);
      expect(pg.getConfig().requireParentSpan).toBe(true);
    } finally {
      http.disable();
      pg.disable();
    }
  });

  it('leaves queries untraced when no span is exported, and keeps http, which carries trace context', () => {
    const instrumentations = createInstrumentations({ traceQueries: false });
    try {
      expect(instrumentations.map((instrumentation) => instrumentation.constructor)).toEqual([HttpInstrumentation]);
    } finally {
      for (const instrumentation of instrumentations) instrumentation.disable();
    }
  });
});
