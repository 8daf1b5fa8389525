import { trace } from '@opentelemetry/api';
import { secretRegistry } from '@junction/secrets';
import { createLogger } from './logger';
import { createTestTelemetry } from './testing';

const SECRET = 'rs-token-9f8e7d6c';

/** A logger writing into an array of parsed JSON lines. */
function capturedLogger(level?: string) {
  const raw: string[] = [];
  const logger = createLogger({ service: 'repairshopr', level, destination: { write: (line: string) => raw.push(line) } });
  const lines = () => raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, raw, lines };
}

describe('createLogger', () => {
  const telemetry = createTestTelemetry();

  beforeAll(() => secretRegistry.register(SECRET));

  afterAll(() => telemetry.shutdown());

  it('writes JSON lines with service, level label, ISO time and message', () => {
    const { logger, lines } = capturedLogger();
    logger.info({ connectionId: 'c-1' }, 'connected');
    expect(lines()).toEqual([
      { level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), service: 'repairshopr', connectionId: 'c-1', msg: 'connected' },
    ]);
  });

  it('adds trace_id and span_id inside an active span, and neither outside one', () => {
    const { logger, lines } = capturedLogger();
    const spanContext = trace.getTracer('test').startActiveSpan('sync', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');

    const [inside, outside] = lines();
    expect(inside).toMatchObject({ trace_id: spanContext.traceId, span_id: spanContext.spanId, msg: 'inside' });
    expect(outside).not.toHaveProperty('trace_id');
    expect(outside).not.toHaveProperty('span_id');
  });

  it('honours the level', () => {
    const { logger, lines } = capturedLogger('warn');
    logger.info('dropped');
    logger.warn('kept');
    expect(lines().map((line) => line.msg)).toEqual(['kept']);
  });

  describe('never writes a registered secret', () => {
    it('in the message, including interpolated arguments', () => {
      const { logger, raw, lines } = capturedLogger();
      logger.info(`calling with ${SECRET}`);
      logger.info('calling with %s and %j', SECRET, { header: `Bearer ${SECRET}` });
      expect(raw.join('')).not.toContain(SECRET);
      expect(lines().map((line) => line.msg)).toEqual([
        'calling with [REDACTED]',
        'calling with [REDACTED] and {"header":"Bearer [REDACTED]"}',
      ]);
    });

    it('nor values under secret-looking keys of interpolated objects', () => {
      const { logger, raw, lines } = capturedLogger();
      logger.info('payload %j', { login: 'me', password: 'unregistered-pw' });
      expect(raw.join('')).not.toContain('unregistered-pw');
      expect(lines()[0].msg).toBe('payload {"login":"me","password":"[REDACTED]"}');
    });

    it('in nested objects, and not under secret-looking keys either', () => {
      const { logger, raw, lines } = capturedLogger();
      logger.info({ request: { url: `https://x.test/?q=${SECRET}`, headers: { Authorization: 'Basic unregistered' } }, apiKey: 'k' }, 'sent');
      expect(raw.join('')).not.toContain(SECRET);
      expect(raw.join('')).not.toContain('unregistered');
      expect(lines()[0]).toMatchObject({
        request: { url: 'https://x.test/?q=[REDACTED]', headers: { Authorization: '[REDACTED]' } },
        apiKey: '[REDACTED]',
      });
    });

    it('in errors logged directly or under err, with message and stack', () => {
      const { logger, raw, lines } = capturedLogger();
      const error = new Error(`401 for token ${SECRET}`);
      logger.error(error);
      logger.error({ err: error }, 'vendor call failed');
      expect(raw.join('')).not.toContain(SECRET);
      const [direct, nested] = lines();
      expect(direct.msg).toBe('401 for token [REDACTED]');
      expect(direct.err).toMatchObject({ type: 'Error', message: '401 for token [REDACTED]' });
      expect((direct.err as { stack: string }).stack).toContain('401 for token [REDACTED]');
      expect(nested).toMatchObject({ msg: 'vendor call failed', err: { message: '401 for token [REDACTED]' } });
    });

    it('in child logger bindings', () => {
      const { logger, raw, lines } = capturedLogger();
      logger.child({ subdomain: SECRET, password: 'pw' }).info('child line');
      expect(raw.join('')).not.toContain(SECRET);
      expect(lines()[0]).toMatchObject({ subdomain: '[REDACTED]', password: '[REDACTED]', msg: 'child line' });
    });

    it('nor an e-mail address or phone number, wherever it is', () => {
      const { logger, raw, lines } = capturedLogger();
      const error = new Error('422: Email olive@outside.example.com or phone +36 30 123 4567 is invalid');
      logger.child({ buyer: 'olive@outside.example.com' }).error({ err: error, phone: '+36 30 123 4567' }, 'command given up');
      expect(raw.join('')).not.toMatch(/olive@|123 4567/);
      expect(lines()[0]).toMatchObject({
        buyer: '[email]',
        phone: '[phone]',
        err: { message: '422: Email [email] or phone [phone] is invalid' },
      });
    });

    it('while leaving the caller’s objects untouched', () => {
      const { logger } = capturedLogger();
      const payload = { token: SECRET };
      logger.info(payload);
      expect(payload.token).toBe(SECRET);
    });
  });
});
